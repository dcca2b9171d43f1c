import GoRecords
import GoRules

/// Who owns each point at the end of a game counted to the end: the ownership head's target
/// (docs/FORMATS.md). The record's last position is judged as `final_score` judges one (random
/// playouts, dead stones those the opponent owns in most of them, then area owners), and kept
/// only where that count agrees with the recorded result: a resigned, timed-out or unjudgeable
/// game gives no target rather than a wrong one.
public enum FinalOwnership {
    /// How far the judged area margin may be from the recorded one, in points. Records counted
    /// under territory rules (Korean, Japanese: most human games) differ from an area count by the
    /// stones each side played and lost, usually a point or two. With 3, 92% of the counted
    /// positions of the 3,000 Tygem games in `Games/` keep their targets (`games shards
    /// --ownership`: 186,349 of 203,409), and 21 of the first 25 counted GNU Go self-play games.
    static let tolerance = 3.0

    /// Playouts of the judgement: `Territory`'s default, whose count matched GNU Go's dead stones
    /// on its finished games.
    static let playouts = Territory.defaultPlayouts

    /// The owner of each point index (nil: neutral) at the end of `record`, or nil where the
    /// game was not counted, cannot be replayed, or the judged count disagrees with the result.
    public static func of(_ record: GameRecord) -> [Stone?]? {
        guard case .win(let winner, .score(let points)) = record.result, points.isFinite,
            record.size == Board.standardSize, let last = record.moves.last,
            let game = try? record.game(afterMoves: record.moves.count)
        else { return nil }
        let board = game.board
        let judged = Territory(board, toMove: last.color.opponent, playouts: playouts, seed: 1)
        let dead = Set(judged.deadStones(on: board, threshold: Territory.counted))
        let margin = board.areaScore(komi: record.komi, dead: dead).margin
        let recorded = winner == .black ? points : -points
        guard margin != 0, (margin > 0) == (recorded > 0), abs(margin - recorded) <= tolerance else { return nil }
        return board.areaOwners(dead: dead)
    }
}
