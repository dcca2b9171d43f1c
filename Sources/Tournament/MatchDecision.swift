import Foundation

/// A tournament whose config has an SPRT is a match of two entrants that ends when the test
/// decides: whichever process commits the deciding game (`gonet match` or any worker) drops the
/// games nobody has started, so workers on every machine run out of games.
extension Tournament {
    /// The two current entrants, the first registered first (A and B of a match); nil before both are in.
    public func matchSides() throws -> (a: Entrant, b: Entrant)? {
        let current = try store.current().sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        guard current.count == 2 else { return nil }
        return (current[0], current[1])
    }

    /// A's outcomes against B in the games committed so far, in the order they were committed.
    func matchOutcomes() throws -> [SPRT.Outcome]? {
        guard let (a, b) = try matchSides() else { return nil }
        return try store.games().filter { Set([$0.black, $0.white]) == Set([a.id, b.id]) }.map { g in
            g.winner.isEmpty ? .draw : (g.winner == "B") == (g.black == a.id) ? .win : .loss
        }
    }

    /// The SPRT's decision: the first one along the committed games (games in flight when it was
    /// reached do not undo it); nil without an SPRT or before both entrants are in.
    public func sprtDecision() throws -> SPRT.Decision? {
        guard let test = config.sprt, let outcomes = try matchOutcomes() else { return nil }
        return test.stop(along: outcomes).decision
    }

    /// Once the SPRT has decided, drops every game nobody has started; true when it has decided.
    @discardableResult
    func endIfDecided() throws -> Bool {
        guard let d = try sprtDecision(), d != .continueTesting else { return false }
        try store.schedule([])
        return true
    }
}
