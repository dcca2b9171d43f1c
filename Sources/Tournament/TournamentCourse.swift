import Foundation

extension Tournament {
    /// Withdraws an entrant version (`withdrawn`) or puts it back, and makes the schedule follow:
    /// a withdrawn version's unplayed games are dropped, its name's previous version (if any)
    /// plays again; its played games stay in the store but leave the standings.
    public func setWithdrawn(_ id: Int64, _ withdrawn: Bool) throws {
        guard try store.entrants().contains(where: { $0.id == id }) else {
            throw TournamentError("no entrant has the id \(id)")
        }
        var s = try store.courseSettings()
        s.withdrawn.removeAll { $0 == id }
        if withdrawn { s.withdrawn.append(id) }
        try store.setCourseSettings(s)
        try reschedule()
    }
}
