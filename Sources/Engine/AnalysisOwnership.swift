import GoNetwork
import GoRules

/// The ownership an analysis reports (KataGo's `ownership`; here +1 is Black's, rows from the
/// top, as `Territory.ownership`): the network's ownership head averaged over the 8 symmetries
/// where it has one (trained on the final owners of counted games), else the share of random
/// playouts (`Territory`) that end with each point in Black's or White's area.
enum AnalysisOwnership {
    static func black(_ game: Game, network: PolicyValueNetwork?, playouts: Int, seed: UInt64) -> [Double] {
        if let network, let own = network.headsSymmetric(EncodedPosition(game)).ownership {
            // The head speaks for the side to move.
            let sign: Double = game.toMove == .black ? 1 : -1
            return own.map { sign * Double($0) }
        }
        return Territory(game.board, toMove: game.toMove, playouts: playouts, seed: seed).ownership
    }
}
