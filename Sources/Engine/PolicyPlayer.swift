import GoNetwork
import GoRules

/// Plays the network's policy directly: the most probable sensible move (or a sample at a
/// temperature), never filling its own eyes, passing only when that does not lose under
/// Tromp-Taylor scoring.
public final class PolicyPlayer: Player {
    let network: PolicyValueNetwork
    public var temperature: Double
    public var resignThreshold: Double?
    var rng: RandomSource

    public init(network: PolicyValueNetwork, temperature: Double = 0, seed: UInt64 = 1, resignThreshold: Double? = nil) {
        self.network = network
        self.temperature = temperature
        self.resignThreshold = resignThreshold
        rng = RandomSource(seed: seed)
    }

    public func decide(_ game: Game, color: Stone, seconds: Double?, analysis: ((Decision) -> Void)?) -> Decision {
        let g = Moves.withMover(game, color)
        let (policy, value) = network.evaluate([EncodedPosition(g)])
        let winrate = Double(value[0] + 1) / 2
        var candidates = Moves.sensible(g, color).map { p -> MoveInfo in
            let prior = Double(policy[p.index(size: 19)])
            // No search: a move's "visits" are its prior in thousandths, so clients rank and show it.
            return MoveInfo(move: .play(p), visits: Int((prior * 1000).rounded()), winrate: winrate, prior: prior, pv: [.play(p)])
        }
        candidates.sort { $0.prior > $1.prior }
        let passPrior = Double(policy[361])
        let passInfo = MoveInfo(move: .pass, visits: Int((passPrior * 1000).rounded()), winrate: winrate, prior: passPrior, pv: [.pass])
        var all = candidates
        all.insert(passInfo, at: all.firstIndex { $0.prior < passPrior } ?? all.count)
        var decision = Decision(move: .pass, resign: false, candidates: all, winrate: winrate)
        defer { analysis?(decision) }
        if let r = resignThreshold, winrate < r, game.moves.count > 60 {
            decision.resign = true
            return decision
        }
        guard !candidates.isEmpty else { return decision }
        let opponentPassed = game.lastMove?.move == .pass
        let safe = Moves.passIsSafe(g, color)
        // When the opponent passed and we win as the board stands, passing ends the game in our favour.
        if opponentPassed && safe { return decision }
        if passPrior > candidates[0].prior && safe { return decision }
        decision.move = temperature > 0 ? sample(candidates) : candidates[0].move
        return decision
    }

    func sample(_ c: [MoveInfo]) -> Move {
        let weights = c.map { pow($0.prior, 1 / temperature) }
        let total = weights.reduce(0, +)
        guard total > 0 else { return c[0].move }
        var x = Double(rng.next() >> 11) / Double(1 << 53) * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x <= 0 { return c[i].move }
        }
        return c.last!.move
    }
}

import Foundation
