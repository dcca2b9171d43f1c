import Foundation
import GoNetwork
import GoRecords
import GoRules
import Synchronization

/// A tournament: its store (a directory's SQLite, or PostgreSQL), its config, and a local
/// workspace for engine logs, SGF copies and the cache of network files fetched by sha256.
public final class Tournament: Sendable {
    /// Where its entrants, schedule and games are kept.
    public let store: any TournamentStore
    /// Its settings.
    public let config: TournamentConfig
    /// The tournament directory (SQLite), or a worker's cache directory (PostgreSQL).
    public let workspace: String
    private let verified = Verified()

    /// Opens a tournament in `store`; engines run with `workspace` as their working directory.
    public init(store: any TournamentStore, workspace: String) throws {
        self.store = store
        config = try store.config()
        // Absolute, since engines run with the workspace as their working directory.
        self.workspace = URL(fileURLWithPath: workspace).standardizedFileURL.path
        for sub in ["games", "logs", "networks"] {
            try FileManager.default.createDirectory(
                atPath: (workspace as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    /// Creates a tournament directory, refusing to overwrite one. A directory that holds only a
    /// `tournament.json` (a prepared configuration, such as the shipped `Tournament/`) becomes a
    /// tournament with `config`.
    public static func create(_ path: String, config: TournamentConfig = TournamentConfig()) throws -> Tournament {
        let fm = FileManager.default
        if fm.fileExists(atPath: (path as NSString).appendingPathComponent("tournament.json")), !isPrepared(path) {
            throw TournamentError("\(path) already holds a tournament")
        }
        try config.validate()
        try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        try config.save(path)
        return try Tournament(store: SQLiteStore(directory: path), workspace: path)
    }

    /// True when `path` holds a configuration that no tournament was created from yet: no
    /// database and none of the folders a tournament makes. (A tournament that lost its database
    /// still has them, and is not mistaken for a new one.)
    public static func isPrepared(_ path: String) -> Bool {
        let fm = FileManager.default
        return ["tournament.sqlite", "games", "networks", "logs"].allSatisfy {
            !fm.fileExists(atPath: (path as NSString).appendingPathComponent($0))
        }
    }

    /// Opens a tournament directory; its database must exist (a lost `tournament.sqlite` is not
    /// an empty tournament).
    public static func open(directory path: String) throws -> Tournament {
        _ = try TournamentConfig.load(path)
        if isPrepared(path) {
            throw TournamentError(
                "\(path) holds a configuration but no tournament yet: create it with `gonet tournament init \(path)`, which reads its tournament.json"
            )
        }
        let database = (path as NSString).appendingPathComponent("tournament.sqlite")
        let size = (try? FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? nil
        guard let size else {
            throw TournamentError("\(database) is missing: the tournament's games and entrants are lost")
        }
        guard size > 0 else {
            throw TournamentError("\(database) is empty: the tournament's games and entrants are lost")
        }
        return try Tournament(store: SQLiteStore(directory: path), workspace: path)
    }

    func file(_ relative: String) -> String { (workspace as NSString).appendingPathComponent(relative) }

    /// Registers a network after checking it (`Submission.verdict`; with `gonet`, this executable,
    /// also a legal move over GTP), and schedules its games; the error lists every reason it is
    /// refused. Without a `name` the entrant takes the file's own (its metadata's `name`, else the
    /// file name's stem). A `verdict` the caller already has for this file is used instead of
    /// running the checks again.
    @discardableResult
    public func submit(
        network source: String, name: String? = nil, author: String?, play: NetworkPlay? = nil,
        gonet: String? = nil, verdict checked: SubmissionVerdict? = nil
    ) throws -> Entrant {
        if let name { try check(name) }
        let verdict = checked ?? Submission.verdict(network: source, budget: config.parameterBudget, gonet: gonet)
        guard verdict.accepted, let parameters = verdict.parameters else {
            throw TournamentError("\(source) is refused: " + verdict.reasons.joined(separator: "; "))
        }
        let entrantName = try name ?? Submission.name(ofNetwork: source)
        if name == nil { try check(entrantName) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        let e = try store.add(
            Entrant(
                name: entrantName, kind: .network,
                command: play?.json,
                sha256: SHA256.hex(bytes), author: author, parameters: parameters),
            network: bytes)
        try reschedule()
        return e
    }

    /// Registers an external GTP engine after checking that it answers, and schedules its games.
    @discardableResult
    public func submit(engine command: String, name: String, author: String?) throws -> Entrant {
        try check(name)
        let words = Submission.words(command)
        if let why = Submission.engineProblem(words) {
            throw TournamentError("engine \"\(command)\" is refused: \(why)")
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: words), as: UTF8.self)
        let e = try store.add(Entrant(name: name, kind: .engine, command: json, author: author), network: nil)
        try reschedule()
        return e
    }

    private func check(_ name: String) throws {
        if config.sprt != nil {
            let names = Set(try store.entrants().map(\.name))
            guard names.count < 2 || names.contains(name) else {
                throw TournamentError("this tournament is a match (it has an SPRT): it takes no entrant beside its two")
            }
        }
        guard Submission.isValidName(name) else {
            throw TournamentError("a name is 1 to 64 letters, digits, '-', '_' and '.': \"\(name)\"")
        }
    }

    /// Makes the store's schedule the games the current entrants owe each other (the pairings
    /// of a new entrant added, a superseded version's unplayed games dropped). Returns how many
    /// were added.
    /// A gauntlet waits for its reference: until it is submitted nothing is scheduled (an error
    /// only when `strict`, as for `run`).
    @discardableResult
    func reschedule(gamesPerPairing: Int? = nil, strict: Bool = false) throws -> Int {
        let entrants = try store.current()
        guard entrants.count >= 2 else { return 0 }
        // A match its SPRT has decided is over: nothing more is scheduled.
        if try endIfDecided() { return 0 }
        if !strict, config.schedule == "gauntlet", !entrants.contains(where: { $0.name == config.reference }) {
            return 0
        }
        let slots = try Scheduler.slots(
            entrants, config: config, gamesPerPairing: gamesPerPairing ?? config.gamesPerPairing)
        return try store.schedule(slots)
    }

    /// The command that starts an entrant as a GTP engine (a network from the verified cache).
    public func command(for e: Entrant, gonet: String) throws -> [String] {
        if e.kind == .engine { return try e.commandWords() }
        let own = try e.networkPlay()
        let mode = own?.mode ?? config.networkMode
        let visits = own.map { $0.visits } ?? config.visits
        // Without visits a search runs for the time a move allows (`gonet gtp` then has no visit cap).
        return EngineSpec.network(path: try networkFile(for: e), mode: mode, visits: visits)
            .command(
                gonet: gonet, name: e.label, seed: UInt64(e.id ?? 1), resignThreshold: config.resignThreshold,
                seconds: mode == .mcts && visits == nil ? config.searchSeconds : nil)
    }

    /// A network entrant's file on the local machine, its bytes checked against the sha256 it was
    /// submitted with (once per process): the directory's copy, or the cache filled from the store.
    public func networkFile(for e: Entrant) throws -> String {
        guard let sha = e.sha256 else { throw TournamentError("entrant \(e.label) has no network") }
        let path = e.path.map(file) ?? file("networks/\(sha).safetensors")
        if verified.contains(path) { return path }
        if let data = FileManager.default.contents(atPath: path) {
            guard SHA256.hex([UInt8](data)) == sha else {
                if e.path != nil {
                    throw TournamentError(
                        "\(path) does not match \(e.label)'s sha256 \(sha): the file was changed; refused")
                }
                // A damaged cache entry is fetched again.
                try FileManager.default.removeItem(atPath: path)
                return try networkFile(for: e)
            }
        } else {
            let bytes = try store.network(sha256: sha)
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        verified.insert(path)
        return path
    }
}

/// Paths already checked, shared by a worker's game threads.
private final class Verified: Sendable {
    private let paths = Mutex(Set<String>())
    func contains(_ p: String) -> Bool { paths.withLock { $0.contains(p) } }
    func insert(_ p: String) { _ = paths.withLock { $0.insert(p) } }
}
