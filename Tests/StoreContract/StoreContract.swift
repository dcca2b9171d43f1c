import Foundation
import Tournament

/// The rules every `TournamentStore` keeps (docs/tournament-store.md), checked by the same calls
/// on each backend: versions, scheduling, claims in round order, renewal, commit exactly once, a
/// lease that runs out going to another worker (whose predecessor can neither renew nor commit),
/// a game given back, status counts, and unplayed slots dropped from the schedule.
public enum StoreContract {
    /// Runs every rule on `store`, a new tournament without entrants; returns each broken rule
    /// (empty when the store keeps them all).
    public static func violations(of store: any TournamentStore) throws -> [String] {
        var broken: [String] = []
        func expect(_ holds: Bool, _ rule: String) { if !holds { broken.append(rule) } }

        let engine = "[\"true\"]"
        let a = try store.add(Entrant(name: "a", kind: .engine, command: engine), network: nil)
        let b = try store.add(Entrant(name: "b", kind: .engine, command: engine), network: nil)
        let a2 = try store.add(Entrant(name: "a", kind: .engine, command: engine), network: nil)
        expect([a.version, b.version, a2.version] == [1, 1, 2], "a name submitted again is its next version")
        expect(try store.entrants().map(\.label) == ["a", "b", "a v2"], "entrants come back in the order added")
        guard let ai = a2.id, let bi = b.id else { return broken + ["added entrants have ids"] }

        func slot(_ k: Int) -> ScheduledSlot {
            ScheduledSlot(
                key: "\(ai)-\(bi)-\(k)", black: k % 2 == 0 ? ai : bi, white: k % 2 == 0 ? bi : ai,
                openingSeed: UInt64(k), round: k)
        }
        let slots = (0..<3).map(slot)
        expect(try store.schedule(slots) == 3, "scheduling adds every new slot")
        expect(try store.schedule(slots) == 0, "scheduling the same slots again adds none")

        var here = WorkerIdentity(name: "here")
        here.host = "contract-host-1"
        var there = WorkerIdentity(name: "there")
        there.host = "contract-host-2"
        func row(_ c: Claim, _ result: String = "B+R") -> GameRow {
            GameRow(
                slot: c.slot.key, black: c.slot.black, white: c.slot.white, result: result, winner: "B",
                reason: "contract", moves: 1, sgf: "\(c.slot.key).sgf", seconds: 0.1, worker: c.worker)
        }

        // Claims hand out rounds in order, each slot once, and skip the entrants asked.
        guard let c0 = try store.claim(by: here, lease: 60, skipping: []),
            let c1 = try store.claim(by: there, lease: 60, skipping: [])
        else { return broken + ["free slots are claimed"] }
        expect(c0.slot == slots[0] && c1.slot == slots[1], "claims follow the rounds")
        expect(c0.token != c1.token, "each claim has its own token")
        expect(try store.claim(by: here, lease: 60, skipping: [ai]) == nil, "a skipped entrant's games are not claimed")
        guard let short = try store.claim(by: here, lease: 0.3, skipping: []) else {
            return broken + ["the last free slot is claimed"]
        }
        expect(try store.claim(by: there, lease: 60, skipping: []) == nil, "a held slot is not claimed twice")
        expect(try store.renew(c0, lease: 60), "a held claim renews")

        // A game is committed once, with its record.
        expect(try store.commit(row(c0), record: "(;GM[1]RE[B+R])", for: c0), "a held claim commits")
        expect(try !store.commit(row(c0, "W+R"), record: "(;)", for: c0), "a claim commits only once")
        let games = try store.games()
        expect(games.map(\.slot) == [c0.slot.key] && games.first?.result == "B+R", "one game, the first commit's")
        if let g = games.first {
            expect(try store.record(of: g) == "(;GM[1]RE[B+R])", "the committed record reads back")
        }

        // A lease that runs out goes to another worker; the first can neither renew nor commit.
        let deadline = Date().addingTimeInterval(15)
        var taken: Claim?
        while taken == nil, Date() < deadline {
            taken = try store.claim(by: there, lease: 60, skipping: [])
            if taken == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        if let taken {
            expect(taken.slot == short.slot && taken.token != short.token, "an expired lease is claimed anew")
            expect(try !store.renew(short, lease: 60), "a lost claim does not renew")
            expect(try !store.commit(row(short), record: "(;)", for: short), "a lost claim does not commit")
            expect(try store.commit(row(taken), record: "(;)", for: taken), "the new claim commits")
        } else {
            broken.append("an expired lease is claimed again within 15 s")
        }

        // A game given back waits with the worker's reason, and the next claim gets it.
        try store.release(c1, reason: "engine missing here")
        let given = try store.status()
        expect(given.waiting == 1 && given.givenBack.contains { $0.slot == c1.slot.key }, "a released game waits")
        expect(
            given.givenBack.first?.reason == "\(c1.worker): engine missing here",
            "a released game keeps the worker's name and reason")
        if let again = try store.claim(by: here, lease: 60, skipping: []) {
            expect(again.slot == c1.slot, "a released game is claimed again")
            expect(try store.commit(row(again), record: "(;)", for: again), "a released game is played")
        } else {
            broken.append("a released game is claimed again")
        }
        let status = try store.status()
        expect(status.done == 3 && status.waiting == 0 && status.inFlight.isEmpty, "three games done, none waiting")
        expect(
            status.workers.map(\.name).sorted() == ["here", "there"]
                && status.workers.map(\.games).reduce(0, +) == 3,
            "each worker's games are counted")

        // Slots left out of a new schedule are dropped while nobody plays them (a superseded
        // version's games, or those an SPRT's decision leaves unplayed); played ones stay.
        expect(try store.schedule(slots + [slot(3)]) == 1, "a new slot is added")
        _ = try store.schedule(slots)
        expect(try store.status().waiting == 0, "an unplayed slot left out is dropped")
        expect(try store.games().count == 3, "played games stay")
        try courseRules(store, ids: (a.id ?? 0, a2.id ?? 0), expect: expect)
        return broken
    }

    /// Students, submissions and the teacher's settings.
    private static func courseRules(
        _ store: any TournamentStore, ids: (first: Int64, second: Int64), expect: (Bool, String) -> Void
    ) throws {
        expect(try store.courseSettings() == CourseSettings(), "a new tournament has the default course settings")
        let ann = try store.add(Student(name: "ann", lookup: "k1", tokenHash: "h1"))
        _ = try store.add(Student(name: "teacher", role: .teacher, lookup: "k2", tokenHash: "h2"))
        expect(ann.id != nil, "an added student has an id")
        expect((try? store.add(Student(name: "ann", lookup: "k3", tokenHash: "h3"))) == nil, "a live name is refused")
        expect(try store.revokeStudent(named: "ann") == 1, "revoking a student revokes their token")
        expect(try store.revokeStudent(named: "ann") == 0, "a revoked student is not revoked twice")
        _ = try store.add(Student(name: "ann", lookup: "k4", tokenHash: "h4"))
        let students = try store.students()
        expect(
            students.map(\.lookup) == ["k1", "k2", "k4"] && students.map { $0.revoked != nil } == [true, false, false]
                && students[1].role == .teacher,
            "students come back in order, with role and revocation")
        let refused = try store.add(
            SubmissionRecord(student: "ann", fileName: "x.onnx", sha256: "00", size: 3, accepted: false, verdict: "no"))
        _ = try store.add(
            SubmissionRecord(
                student: "ann", fileName: "y.safetensors", sha256: "11", size: 4, accepted: true, verdict: "yes",
                entrant: ids.second))
        let subs = try store.submissions()
        expect(
            refused.id != nil && subs.map(\.fileName) == ["x.onnx", "y.safetensors"]
                && subs.map(\.entrant) == [nil, ids.second] && subs.map(\.size) == [3, 4],
            "submissions come back in order with their verdicts")
        var settings = CourseSettings()
        settings.paused = true
        settings.deadline = Date(timeIntervalSince1970: 1_800_000_000)
        settings.withdrawn = [ids.second]
        try store.setCourseSettings(settings)
        expect(try store.courseSettings() == settings, "the course settings are kept")
        expect(
            try store.current().map(\.label).sorted() == ["a", "b"],
            "a withdrawn version leaves the current entrants and its name's previous version plays again")
        settings.withdrawn = []
        try store.setCourseSettings(settings)
        expect(try store.current().map(\.label).sorted() == ["a v2", "b"], "a version put back plays again")
    }
}
