import GoRules

/// The territory judgement applied to one decision: which moves are worth playing, which dead
/// stones must still be captured, and when passing is right. Both players use it the same way
/// (docs/ENDGAME.md).
struct Endgame {
    let game: Game
    let color: Stone
    let territory: Territory

    init(_ game: Game, _ color: Stone, playouts: Int = Territory.defaultPlayouts, seed: UInt64 = 1) {
        self.game = game
        self.color = color
        territory = Territory(game.board, toMove: color, playouts: playouts, seed: seed &+ UInt64(game.moves.count))
    }

    /// Whether a sensible move (legal, not filling a single-point eye) can gain anything: not a
    /// quiet move inside the opponent's settled area (captures, ataris and escapes from atari
    /// still count: the judgement of a group in a fight may be wrong), not inside its own unless
    /// it attacks a dead stone, not a self-atari of more than one stone.
    func isWorthwhile(_ p: Point) -> Bool {
        let shape = game.board.shape(of: p, for: color)
        guard let owner = territory.settledOwner(p) else { return !(shape.isSelfAtari && shape.stones > 1) }
        return owner == color ? isCleanup(p, shape) : isTactical(p, shape)
    }

    /// Whether a stone played on `p` is expected to die: the opponent owns the point in at least
    /// three quarters of the playouts (ownership ≤ −`doomedOwnership`) and the move captures
    /// nothing. A player that is winning does not play such moves (`avoidsDoomedMoves`).
    func isDoomed(_ p: Point) -> Bool {
        territory.ownership(p, for: color) <= -Endgame.doomedOwnership && !game.board.shape(of: p, for: color).captures
    }

    /// Ownership for the opponent from which a move's stone counts as doomed. Of the medium
    /// network's moves after move 230 in the 50 games it won against GNU Go level 10 (2026-11-27,
    /// docs/ENDGAME.md), 198 of the 289 whose stones were captured later were on such points,
    /// and 7 of the 914 that stayed on the board; in its 10 lost games, 86 of 136 and none of 266.
    static let doomedOwnership = 0.5

    /// Whether a player winning with `winrate` stops playing doomed moves: from move `fromMove`
    /// on, whenever it expects to win (`secureWinrate`). A losing player keeps its ko threats
    /// and its last invasions.
    func avoidsDoomedMoves(winrate: Double, fromMove: Int) -> Bool {
        game.moves.count + 1 >= fromMove && winrate >= Endgame.secureWinrate
    }

    /// The win rate of `avoidsDoomedMoves`: 0.5, the player expects to win. A search that mixes
    /// random playouts into its values is never sure: replaying 40 moves after move 230 of the
    /// medium network's won games against level 10 whose stones were captured later, its win rate
    /// was 0.79–0.93 (a first gate of 0.9 left most of them in place). Losing players' doomed stones
    /// did not live either (none of the 266 that stayed on the board in lost games was doomed).
    static let secureWinrate = 0.5

    /// How much worse a search's replacement for a doomed move may be: 0.05 of win rate, chosen
    /// (not measured) as about the noise of a 400-visit search's estimate of a move with a tenth
    /// of the visits.
    static let replacementTolerance = 0.05

    /// The move from which a winning player avoids doomed moves. The ownership test was measured
    /// on moves after 230 only; applied from the middle game, where random playouts call many
    /// living groups dead, it lost the medium network's first four games against GNU Go level 10
    /// (2–4 in six, where the same openings had gone 6–0).
    static let safePlayFromMove = 230

    /// A capture, an atari on a chain that is not pass-alive, or an escape to three liberties.
    private func isTactical(_ p: Point, _ shape: MoveShape) -> Bool {
        if shape.captures { return true }
        guard !shape.isSelfAtari else { return false }
        let board = game.board
        for n in p.neighbours(size: game.size) {
            guard let s = board[n], territory.passAlive[n.index(size: game.size)] == nil else { continue }
            let libs = board.liberties(at: n)
            if s == color.opponent && libs == 2 { return true }
            if s == color && libs <= 2 && shape.liberties >= 3 { return true }
        }
        return false
    }

    /// The opponent's stones that the judgement calls dead (on points settled for `color`).
    var deadOpponentStones: [Point] {
        territory.deadStones(on: game.board).filter { game.board[$0] == color.opponent }
    }

    /// Moves that attack dead opponent stones inside `color`'s area, the most urgent first:
    /// captures, then liberties of the chains with fewest liberties. Strict area scoring
    /// (Tromp-Taylor) counts a dead stone as alive and the region around it as nobody's, so they
    /// must be taken off before the game ends.
    func cleanupMoves() -> [Point] {
        let board = game.board
        var scored: [(Point, Int)] = []
        var seen = Set<Point>()
        for s in deadOpponentStones {
            let libs = board.liberties(at: s)
            for n in s.neighbours(size: game.size) where board[n] == nil && !seen.contains(n) {
                seen.insert(n)
                guard game.legality(.play(n), for: color) == .legal, !board.isEye(n, of: color) else { continue }
                let shape = board.shape(of: n, for: color)
                if shape.isSelfAtari { continue }
                scored.append((n, shape.captures ? 0 : libs))
            }
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// The share of the judgement's playouts `color` wins, with the game's komi.
    var playoutWinRate: Double { territory.winRate(for: color, komi: game.komi) }

    /// Whether passing now ends (or would end) the game in `color`'s favour under strict area scoring.
    var passWinsStrictly: Bool { game.score().winner == color }

    private func isCleanup(_ p: Point, _ shape: MoveShape) -> Bool {
        guard !shape.isSelfAtari else { return false }
        return p.neighbours(size: game.size).contains { n in
            guard game.board[n] == color.opponent else { return false }
            return territory.settledOwner(n) == color
        }
    }
}
