import Foundation
import GoNetwork
import GoRules

/// Plays the network's policy directly: the most probable move (or a sample at a temperature)
/// among those the endgame judgement calls worthwhile; the conductor (`Ranker`) ends the game
/// as docs/ENDGAME.md says.
public final class PolicyPlayer: Ranker {
    let network: PolicyValueNetwork
    /// Sampling temperature: 0 plays the most likely sensible move.
    public var temperature: Double
    /// Resign below this win rate (the value's mixed with the judgement's playouts', `Resignation`); nil never resigns.
    public var resignThreshold: Double?
    /// Average the network over the board's 8 symmetries (one batch of 8): +1.6 points of top-1
    /// on held-out games for the budget network, at 8 positions' cost per move (~7 ms).
    public var symmetries: Bool
    /// Playouts of the endgame judgement (docs/ENDGAME.md); fewer only where speed matters more
    /// than the judgement (the GTP fuzz target).
    public var judgementPlayouts = Territory.defaultPlayouts
    /// The move from which a winning player plays no doomed stones (`Endgame.safePlayFromMove`).
    public var safePlayFromMove = Endgame.safePlayFromMove
    var rng: RandomSource
    let seed: UInt64

    /// A player that plays `network`'s policy, filtered by the endgame rules.
    public init(
        network: PolicyValueNetwork, temperature: Double = 0, seed: UInt64 = 1, resignThreshold: Double? = nil,
        symmetries: Bool = true
    ) {
        self.network = network
        self.symmetries = symmetries
        self.temperature = temperature
        self.resignThreshold = resignThreshold
        self.seed = seed
        rng = RandomSource(seed: seed)
    }

    /// The network it plays, whose analysis heads an analysis reads.
    public var analysisNetwork: PolicyValueNetwork? { network }

    /// The move, as the conductor (`Ranker.conduct`) makes it of this player's ranking.
    public func decide(
        _ game: Game, color: Stone, seconds: Double?, restrictions: MoveRestrictions,
        analysis: ((Decision) -> Void)?
    ) -> Decision {
        conduct(game, color: color, seconds: seconds, restrictions: restrictions, analysis: analysis)
    }

    // MARK: Ranker

    var judgementSeed: UInt64 { seed }

    /// The value's win rate (averaged over the symmetries when they are on).
    func value(_ game: Game) -> Double { evaluate(game).winrate }

    /// The allowed moves by prior, each with the value's win rate.
    func rank(_ g: Game, allowed: Set<Move>, seconds: Double?, analysis: ((Decision) -> Void)?) -> Ranking {
        let (policy, winrate, lead) = evaluate(g)
        var candidates = allowed.compactMap(\.point).map { p -> MoveInfo in
            // A non-finite output (a network that overflows on this position) counts as no prior.
            let prior =
                policy[p.index(size: Board.standardSize)].isFinite
                ? Double(policy[p.index(size: Board.standardSize)]) : 0
            // No search: a move's "visits" are its prior in thousandths, so clients rank and show it.
            return MoveInfo(
                move: .play(p), visits: Int((prior * 1000).rounded()), winrate: winrate, prior: prior, pv: [.play(p)],
                scoreLead: lead)
        }
        // Highest prior first; equal priors in board order, so that the choice never depends on a set's order.
        candidates.sort { ($0.prior, $1.move.point!) > ($1.prior, $0.move.point!) }
        return Ranking(
            candidates: candidates, winrate: winrate, scoreLead: lead, searched: false, visits: 0, trusted: false)
    }

    /// The policy's favourite, or a sample at the temperature.
    func pick(_ candidates: [MoveInfo]) -> Move { temperature > 0 ? sample(candidates) : candidates[0].move }

    /// The policy, the value's win rate and the score head's lead (where the network has one)
    /// of one position.
    private func evaluate(_ g: Game) -> (policy: [Float], winrate: Double, lead: Double?) {
        let (policy, value) =
            symmetries ? network.evaluateSymmetric([EncodedPosition(g)]) : network.evaluate([EncodedPosition(g)])
        let leads = network.lastScores(batch: symmetries ? 8 : 1)
        return (policy, Double(value[0] + 1) / 2, leads.map { Double($0.reduce(0, +)) / Double($0.count) })
    }

    func sample(_ c: [MoveInfo]) -> Move {
        let weights = c.map { pow($0.prior, 1 / temperature) }
        let total = weights.reduce(0, +)
        guard total > 0 else { return c[0].move }
        var x = rng.uniform() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x <= 0 { return c[i].move }
        }
        return c.last!.move
    }
}
