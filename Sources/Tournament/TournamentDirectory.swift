import Foundation
import GoRecords
import GoRules

/// A tournament directory: `tournament.json`, `tournament.sqlite`, `entrants/`, `games/`, `logs/`, `report.html`.
public final class TournamentDirectory {
    public let path: String
    public let config: TournamentConfig
    public let store: TournamentStore

    /// Creates a new tournament (refusing to overwrite one).
    public static func create(_ path: String, config: TournamentConfig = TournamentConfig()) throws
        -> TournamentDirectory
    {
        let fm = FileManager.default
        if fm.fileExists(atPath: (path as NSString).appendingPathComponent("tournament.json")) {
            throw TournamentError("\(path) already holds a tournament")
        }
        try config.validate()
        for sub in ["", "entrants", "games", "logs"] {
            try fm.createDirectory(
                atPath: (path as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try config.save(path)
        return try TournamentDirectory(path, creating: true)
    }

    /// Opens a tournament; its database must exist (a lost `tournament.sqlite` is not an empty tournament).
    public init(_ path: String, creating: Bool = false) throws {
        // Absolute, since engines run with the tournament directory as their working directory.
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        config = try TournamentConfig.load(path)
        for sub in ["entrants", "games", "logs"] {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let database = (path as NSString).appendingPathComponent("tournament.sqlite")
        if !creating {
            let size = (try? FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? nil
            guard let size else {
                throw TournamentError("\(database) is missing: the tournament's games and entrants are lost")
            }
            guard size > 0 else {
                throw TournamentError("\(database) is empty: the tournament's games and entrants are lost")
            }
        }
        store = try TournamentStore(path: database)
    }

    func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    /// Registers a network after checking it; the error lists every reason it is refused.
    @discardableResult
    public func submit(network source: String, name: String, author: String?) throws -> Entrant {
        try check(name)
        let (net, reasons) = Submission.problems(network: source, budget: config.parameterBudget)
        guard let net, reasons.isEmpty else {
            throw TournamentError("\(source) is refused: " + reasons.joined(separator: "; "))
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        var e = Entrant(
            id: nil, name: name, version: 0, kind: "network", path: nil, command: nil, sha256: SHA256.hex(bytes),
            author: author, parameters: net.parameterCount, added: Date())
        e = try store.add(e)
        let relative = "entrants/\(name)-v\(e.version).safetensors"
        try Data(bytes).write(to: URL(fileURLWithPath: file(relative)), options: .atomic)
        e.path = relative
        try store.update(e)
        return e
    }

    /// Registers an external GTP engine after checking that it answers.
    @discardableResult
    public func submit(engine command: String, name: String, author: String?) throws -> Entrant {
        try check(name)
        let words = Submission.words(command)
        if let why = Submission.engineProblem(words) {
            throw TournamentError("engine \"\(command)\" is refused: \(why)")
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: words), as: UTF8.self)
        return try store.add(
            Entrant(
                id: nil, name: name, version: 0, kind: "engine", path: nil, command: json, sha256: nil,
                author: author, parameters: nil, added: Date()))
    }

    func check(_ name: String) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw TournamentError("a name uses letters, digits, '-', '_' and '.' only: \"\(name)\"")
        }
    }

    /// The command that starts an entrant as a GTP engine.
    public func command(for e: Entrant, gonet: String) throws -> [String] {
        if e.kind == "engine" {
            guard let data = e.command?.data(using: .utf8),
                let words = try JSONSerialization.jsonObject(with: data) as? [String]
            else {
                throw TournamentError("entrant \(e.label) has no command")
            }
            return words
        }
        let spec = EngineSpec.network(path: file(e.path ?? ""), mode: config.networkMode, visits: config.visits)
        return spec.command(
            gonet: gonet, name: e.label, seed: UInt64(e.id ?? 1), resignThreshold: config.resignThreshold)
    }
}

extension TournamentStore {
    /// Saves changes to an entrant.
    public func update(_ e: Entrant) throws {
        try db.write { try e.update($0) }
    }
}
