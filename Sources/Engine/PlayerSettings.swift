import Foundation
import GoNetwork

/// How `gonet gtp` (and anything else that plays a network) builds its player: the mode and every
/// knob of both players, range-checked, in one place.
public struct PlayerSettings: Sendable {
    /// The policy alone, or a search.
    public var mode = PlayMode.policy
    /// Policy mode: sampling temperature (0: the best move).
    public var temperature = 0.0
    /// Use the board's 8 symmetries: the policy player averages over them, the search averages
    /// its root and evaluates each batch of leaves in a random one.
    public var symmetries = true
    /// MCTS mode: the search settings (visits, time, batch, c_puct, FPU, noise).
    public var search = SearchSettings()
    /// Both modes.
    public var seed: UInt64 = 1
    /// Resign below this win rate (0..<1); nil never resigns.
    public var resignThreshold: Double?
    /// Both modes: the move from which a winning player plays no doomed stones (docs/ENDGAME.md).
    public var safePlayFromMove = Endgame.safePlayFromMove

    /// The defaults of `gonet gtp`.
    public init() {}

    /// The largest visit count a search takes: a search by time sets it and lets the clock stop it.
    public static let mostVisits = 100_000_000

    /// The player, or an error naming the setting that cannot be used.
    public func player(network: PolicyValueNetwork) throws(EngineError) -> Player {
        if let r = resignThreshold, !(r >= 0 && r < 1) {
            throw EngineError("the resign threshold must be in 0..<1, not \(r)")
        }
        guard (1...1_000_000).contains(safePlayFromMove) else {
            throw EngineError("the safe-play move must be 1 to 1000000, not \(safePlayFromMove)")
        }
        switch mode {
        case .policy:
            guard temperature.isFinite, temperature >= 0, temperature <= 100 else {
                throw EngineError("the temperature must be a number from 0 to 100, not \(temperature)")
            }
            let player = PolicyPlayer(
                network: network, temperature: temperature, seed: seed, resignThreshold: resignThreshold,
                symmetries: symmetries)
            player.safePlayFromMove = safePlayFromMove
            return player
        case .mcts:
            var s = search
            for (name, v) in [("c_puct", s.cPuct), ("the FPU reduction", s.fpuReduction)]
            where !(v.isFinite && v >= 0 && v <= 100) {
                throw EngineError("\(name) must be a number from 0 to 100, not \(v)")
            }
            guard s.playoutWeight.isFinite, (0...1).contains(s.playoutWeight) else {
                throw EngineError("the playout weight must be a number from 0 to 1, not \(s.playoutWeight)")
            }
            guard (1...1000).contains(s.playoutsPerLeaf) else {
                throw EngineError("the playouts per leaf must be 1 to 1000, not \(s.playoutsPerLeaf)")
            }
            guard (1...Self.mostVisits).contains(s.visits) else {
                throw EngineError("visits must be 1 to \(Self.mostVisits), not \(s.visits)")
            }
            guard (1...4096).contains(s.batchSize) else {
                throw EngineError("the batch must be 1 to 4096, not \(s.batchSize)")
            }
            if let t = s.seconds, !(t.isFinite && t > 0) {
                throw EngineError("the time per move must be a positive number, not \(t)")
            }
            s.seed = seed
            s.symmetries = symmetries
            s.resignThreshold = resignThreshold
            s.safePlayFromMove = safePlayFromMove
            return MCTSPlayer(network: network, settings: s)
        }
    }
}
