import GoRules

/// When a player gives up: the one rule both modes share (docs/ENDGAME.md).
///
/// Two estimates may resign a game. The player's own win rate (the value head's for the policy
/// player, the search's for MCTS) counts from `earliestMove`. From `playoutsFromMove` on, the
/// share of the territory judgement's random playouts the player wins counts too: networks
/// trained on games that end by resignation call their lost endgames won (the medium network's
/// value did in 93–100% of the positions of its lost games against GNU Go level 10), and a
/// search that mixes that value into its leaves stays near one half, so without the playouts
/// a lost game was never resigned and was played out stone by stone.
enum Resignation {
    /// No resignation before this many moves: the value head's error on opening positions
    /// (value MSE ~0.95 on held-out games, README "Training results") makes early values close
    /// to a coin flip, and a 19x19 game is rarely lost before move 60.
    static let earliestMove = 60

    /// The move from which the judgement's playouts may resign a game. Earlier, random playouts
    /// call many living groups dead (docs/ENDGAME.md); the sign of their mean score foretold the
    /// result of the medium network's games against GNU Go level 10 with a balanced accuracy of
    /// 67% at moves 150–199, 73% at 200–249 and 82% after (session 11, docs/STRENGTH.md). In 21
    /// games of budget-xl's policy against level 10 (session 14), its lowest share after move 200
    /// in the 12 it won was 0.30, while the 9 it lost fell under 0.1 at moves 252–310.
    static let playoutsFromMove = 200

    /// Whether the player to move in `judgement`'s position resigns at `threshold`: `winrate`
    /// (nil when it is not to be trusted yet) or, late enough, the playouts' share is below it.
    static func shouldResign(winrate: Double?, judgement: Endgame, threshold: Double?) -> Bool {
        guard let t = threshold, judgement.game.moves.count > earliestMove else { return false }
        if let w = winrate, w < t { return true }
        return judgement.game.moves.count + 1 >= playoutsFromMove && judgement.playoutWinRate < t
    }
}
