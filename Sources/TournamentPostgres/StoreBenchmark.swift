import Foundation
import Synchronization
import Tournament

/// `gonet bench tournament`: how many games per second one store hands out and takes back when
/// the games take no time (instant fake engines), with 1 to N workers each holding their own
/// connection, as workers on separate machines do. A real game takes minutes, so games/s here
/// divided by games/s per worker is how many workers one store can feed.
public enum StoreBenchmark {
    /// One measurement.
    public struct Figure: Sendable {
        /// "sqlite" or "postgres".
        public var backend: String
        /// Workers claiming and committing at once.
        public var workers: Int
        /// Games committed.
        public var games: Int
        /// Seconds it took.
        public var seconds: Double
        /// Claim-and-commit cycles a second, all workers together.
        public var gamesPerSecond: Double { Double(games) / seconds }
    }

    /// An SGF of a 250-move game is about 2.5 KB: each commit carries one.
    static let record = "(;FF[4]GM[1]SZ[19]" + String(repeating: ";B[dd];W[pp]", count: 125) + ")"

    /// Schedules `games` games between two instant entrants in a new store, then lets `workers`
    /// threads (each with the store `open` gives it) claim and commit them all.
    public static func measure(
        backend: String, workers: Int, games: Int, create: () throws -> any TournamentStore,
        open: () throws -> any TournamentStore
    ) throws -> Figure {
        let setup = try create()
        var ids: [Entrant] = []
        for name in ["a", "b"] {
            ids.append(try setup.add(Entrant(name: name, kind: .engine, command: "[\"true\"]"), network: nil))
        }
        try setup.schedule(try Scheduler.slots(ids, config: TournamentConfig(), gamesPerPairing: games))
        let stores = try (0..<workers).map { _ in try open() }
        let failure = Failure()
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { i in
            let me = WorkerIdentity(name: "bench-\(i)")
            do {
                while let claim = try stores[i].claim(by: me, lease: 60, skipping: []) {
                    let row = GameRow(
                        slot: claim.slot.key, black: claim.slot.black, white: claim.slot.white, result: "B+R",
                        winner: "B", reason: "benchmark", moves: 250, sgf: "games/\(claim.slot.key).sgf", seconds: 0)
                    guard try stores[i].commit(row, record: record, for: claim) else {
                        throw PostgresStoreError("benchmark: commit of \(claim.slot.key) refused")
                    }
                }
            } catch {
                failure.set(error)
            }
        }
        let seconds = Date().timeIntervalSince(start)
        if let e = failure.error { throw e }
        let done = try setup.status().done
        guard done == games else { throw PostgresStoreError("benchmark: \(done) of \(games) games committed") }
        return Figure(backend: backend, workers: workers, games: games, seconds: seconds)
    }

    /// SQLite in a fresh directory under `scratch`.
    public static func sqlite(workers: Int, games: Int, scratch: String) throws -> Figure {
        let dir = "\(scratch)/sqlite-\(workers)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TournamentConfig().save(dir)
        return try measure(
            backend: "SQLite", workers: workers, games: games, create: { try SQLiteStore(directory: dir) },
            open: { try SQLiteStore(directory: dir) })
    }

    /// PostgreSQL in a new database made at `url` (its user needs CREATEDB), dropped afterwards.
    public static func postgres(workers: Int, games: Int, url: String) throws -> Figure {
        let database = "gonet_bench_\(ProcessInfo.processInfo.processIdentifier)_\(workers)"
        try PostgresStore.execute("CREATE DATABASE \(database)", at: url)
        defer { try? PostgresStore.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)", at: url) }
        var c = URLComponents(string: url)!
        c.path = "/\(database)"
        let target = c.string!
        return try measure(
            backend: "PostgreSQL", workers: workers, games: games,
            create: { try PostgresStore(url: target, creating: TournamentConfig()) },
            open: { try PostgresStore(url: target) })
    }
}

private final class Failure: Sendable {
    private let first = Mutex<(any Error)?>(nil)
    var error: Error? { first.withLock { $0 } }
    func set(_ e: Error) { first.withLock { $0 = $0 ?? e } }
}
