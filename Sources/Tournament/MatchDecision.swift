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

    /// A's wins, draws and losses against B in the games committed so far.
    func matchStatistics() throws -> MatchStatistics? {
        guard let (a, b) = try matchSides() else { return nil }
        var w = 0
        var d = 0
        var l = 0
        for g in try store.games() where Set([g.black, g.white]) == Set([a.id, b.id]) {
            if g.winner.isEmpty {
                d += 1
            } else if (g.winner == "B") == (g.black == a.id) {
                w += 1
            } else {
                l += 1
            }
        }
        return MatchStatistics(wins: w, draws: d, losses: l)
    }

    /// The SPRT's decision so far; nil without an SPRT or before both entrants are in.
    public func sprtDecision() throws -> SPRT.Decision? {
        guard let test = config.sprt, let st = try matchStatistics() else { return nil }
        return test.decision(wins: st.wins, draws: st.draws, losses: st.losses)
    }

    /// Once the SPRT has decided, drops every game nobody has started; true when it has decided.
    @discardableResult
    func endIfDecided() throws -> Bool {
        guard let d = try sprtDecision(), d != .continueTesting else { return false }
        try store.schedule([])
        return true
    }
}
