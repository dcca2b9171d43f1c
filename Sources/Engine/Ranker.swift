import GoRules

/// What a player makes of a position before the endgame rules pick its move: the candidates it
/// weighed, best first, and its win rate.
struct Ranking {
    /// The moves, best first (for a search: most visited, ties to the higher prior).
    var candidates: [MoveInfo]
    /// The win rate of the side to move.
    var winrate: Double
    /// The side to move's score lead from the network's score head, where it has one.
    var scoreLead: Double? = nil
    /// Whether the candidates' visits and win rates come from a search (a policy has neither).
    var searched: Bool
    /// The root's visits (a search's), against which a replacement's visits are weighed.
    var visits: Int
    /// Whether a search was large enough for its win rate to resign a game on.
    var trusted: Bool
}

/// A player made of a ranking of moves and the one conductor below, which applies the endgame
/// rules of docs/ENDGAME.md the same way for every ranker (as KataGo decides resignation once,
/// in command/gtp.cpp, for every search mode): pass when passing wins after the opponent's pass;
/// capture dead stones and pass when no move is worth playing; rank only the moves worth playing
/// (the pass pruned); when winning late, replace a move whose stone is expected to die; resign.
protocol Ranker: Player {
    /// Resign below this win rate (nil never).
    var resignThreshold: Double? { get }
    /// The move from which a winning player plays no doomed stones.
    var safePlayFromMove: Int { get }
    /// Random playouts of the endgame judgement.
    var judgementPlayouts: Int { get }
    /// Seed of the endgame judgement's playouts.
    var judgementSeed: UInt64 { get }
    /// The win rate of a position no ranking is needed for (a settled one).
    func value(_ game: Game) -> Double
    /// Ranks `allowed` (never empty, never the pass) for the side to move of `game`.
    func rank(_ game: Game, allowed: Set<Move>, seconds: Double?, analysis: ((Decision) -> Void)?) -> Ranking
    /// The move to play among `candidates` (ranked, never empty): the first, or a sample.
    func pick(_ candidates: [MoveInfo]) -> Move
}

extension Ranker {
    /// The conductor: the endgame rules around the ranking (see `Ranker`); each player's
    /// `decide` is this.
    func conduct(
        _ game: Game, color: Stone, seconds: Double?, restrictions: MoveRestrictions,
        analysis: ((Decision) -> Void)?
    ) -> Decision {
        let g = Moves.withMover(game, color)
        let moveNumber = g.moves.count + 1
        func permitted(_ m: Move) -> Bool { restrictions.permits(m, by: color, moveNumber: moveNumber) }
        let judge = Endgame(g, color, playouts: judgementPlayouts, seed: judgementSeed)
        let allowed = Moves.sensible(g, color).filter(judge.isWorthwhile).map { Move.play($0) }.filter(permitted)
        let cleanup = judge.cleanupMoves().map { Move.play($0) }.first(where: permitted)
        let passWins = judge.passWinsStrictly
        var decision: Decision
        if g.lastMove?.move == .pass && passWins || allowed.isEmpty {
            // Nothing to rank: end the game (or capture what strict scoring needs captured first).
            let winrate = value(g)
            let move = passWins && g.lastMove?.move == .pass ? .pass : cleanup ?? .pass
            decision = Decision(move: move, resign: false, candidates: [], winrate: winrate)
            decision.resign =
                !passWins
                && Resignation.shouldResign(
                    winrate: Resignation.unsearchedWinRate(value: winrate, judgement: judge), judgement: judge,
                    threshold: resignThreshold)
        } else {
            let ranking = rank(g, allowed: Set(allowed), seconds: seconds, analysis: analysis)
            let ranked = ranking.candidates.filter { $0.move.point != nil }
            var move = ranked.isEmpty ? cleanup ?? .pass : pick(ranked)
            if judge.avoidsDoomedMoves(winrate: ranking.winrate, fromMove: safePlayFromMove), let p = move.point,
                judge.isDoomed(p)
            {
                move = replacement(ranked, ranking, judge, cleanup: cleanup, passPermitted: permitted(.pass)) ?? move
            }
            decision = Decision(
                move: move, resign: false, candidates: ranking.candidates, winrate: ranking.winrate,
                scoreLead: ranking.scoreLead)
            let resignRate =
                ranking.searched
                ? (ranking.trusted ? ranking.winrate : nil)
                : Resignation.unsearchedWinRate(value: ranking.winrate, judgement: judge)
            decision.resign = Resignation.shouldResign(
                winrate: resignRate, judgement: judge, threshold: resignThreshold)
        }
        analysis?(decision)
        return decision
    }

    /// What a winning player plays instead of a doomed move: the best candidate that is not
    /// doomed (from a search, only one with a tenth of the visits, since a move seen a few times
    /// has an unreliable win rate, and a win rate within `Endgame.replacementTolerance` of the
    /// best's); else a cleanup move; else a pass that wins as the board stands; else nil (the
    /// doomed move stays).
    private func replacement(
        _ ranked: [MoveInfo], _ ranking: Ranking, _ judge: Endgame, cleanup: Move?, passPermitted: Bool
    ) -> Move? {
        let safe = ranked.filter { c in
            guard let p = c.move.point, !judge.isDoomed(p) else { return false }
            return !ranking.searched
                || (c.visits * 10 >= ranking.visits && c.winrate >= ranking.winrate - Endgame.replacementTolerance)
        }
        if !safe.isEmpty { return pick(safe) }
        if let cleanup { return cleanup }
        if judge.passWinsStrictly && passPermitted { return .pass }
        return nil
    }
}
