import GoRules

/// When a player gives up: the one rule both modes share (docs/ENDGAME.md).
///
/// Two estimates may resign a game. From `earliestMove` the player's win rate: the search's for
/// MCTS, which mixes random playouts into its leaves from move 100 (`SearchSettings`), and for
/// the policy player (and a settled position MCTS answers without searching) the same mix
/// without a search (`unsearchedWinRate`). From `playoutsFromMove`
/// on, the share of the territory judgement's random playouts the player wins counts alone too:
/// networks trained on games that end by resignation call their lost endgames won (the medium
/// network's value did in 93–100% of the positions of its lost games against GNU Go level 10),
/// and any mix with that value stays near one half, so a lost game was never resigned and was
/// played out stone by stone.
enum Resignation {
    /// The first move on which a player may resign. The value alone is no verdict: its sign foretold
    /// the medium network's results against level 10 no better than a coin at moves 100–249
    /// (2026-11-27, docs/STRENGTH.md), and budget-xl's policy player, resigning on its value alone from move 61,
    /// gave up at move 86 (value 0.12) a game GNU Go called 9.5 points ahead of it and that the
    /// same opening had won in the match before (2026-11-27). From move 100 both players' win
    /// rates include random playouts.
    static let earliestMove = 100

    /// The win rate for resigning of a position no search has looked at: half the value's and
    /// half the judgement's playouts' share, AlphaGo's mix and the search's default
    /// (`SearchSettings.playoutWeight`).
    static func unsearchedWinRate(value winrate: Double, judgement: Endgame) -> Double {
        (winrate + judgement.playoutWinRate) / 2
    }

    /// The move from which the judgement's playouts may resign a game. Earlier, random playouts
    /// call many living groups dead (docs/ENDGAME.md); the sign of their mean score foretold the
    /// result of the medium network's games against GNU Go level 10 with a balanced accuracy of
    /// 67% at moves 150–199, 73% at 200–249 and 82% after (2026-11-27, docs/STRENGTH.md). In 21
    /// games of budget-xl's policy against level 10 (2026-11-27), its lowest share after move 200
    /// in the 12 it won was 0.30, while the 9 it lost fell under 0.1 at moves 252–310.
    static let playoutsFromMove = 200

    /// Whether the player to move in `judgement`'s position resigns at `threshold`: `winrate`
    /// (nil when it is not to be trusted yet) or, late enough, the playouts' share is below it.
    static func shouldResign(winrate: Double?, judgement: Endgame, threshold: Double?) -> Bool {
        guard let t = threshold, judgement.game.moves.count + 1 >= earliestMove else { return false }
        if let w = winrate, w < t { return true }
        return judgement.game.moves.count + 1 >= playoutsFromMove && judgement.playoutWinRate < t
    }
}
