import Foundation
import GRDB

/// A registered player: a network file (copied into the tournament) or an external GTP engine.
public struct Entrant: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "entrant"
    public var id: Int64?
    public var name: String
    /// 1 for the first submission of a name, then 2, 3, …
    public var version: Int
    /// "network" or "engine".
    public var kind: String
    /// The network's copy inside the tournament directory (networks).
    public var path: String?
    /// The command line, as a JSON array (engines).
    public var command: String?
    public var sha256: String?
    public var author: String?
    public var parameters: Int?
    public var added: Date

    /// `name v2`.
    public var label: String { version == 1 ? name : "\(name) v\(version)" }
}

/// One finished game.
public struct GameRow: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "game"
    public var id: Int64?
    /// The schedule slot this game fills: "A-B-K", the pairing's two entrant ids and the game's
    /// number within the pairing (colours alternate with K); unique.
    public var slot: String
    public var black: Int64
    public var white: Int64
    /// SGF's result: "B+R", "W+12.5", "0", "B+F" (forfeit), "W+T" (time).
    public var result: String
    /// "B", "W" or "" for a draw.
    public var winner: String
    /// Why it ended: "two passes", "resignation", "move cap", "illegal move by …", "timeout", "crash", …
    public var reason: String
    public var moves: Int
    public var sgf: String
    public var seconds: Double
    public var finished: Date
}

/// The tournament's SQLite database (through GRDB): entrants and games, each finished game
/// committed in its own transaction so a killed run loses nothing and counts nothing twice.
public final class TournamentStore {
    let db: DatabaseQueue

    public init(path: String) throws {
        // `standings` or `report` may read while `run` writes: wait for a lock instead of failing.
        var configuration = Configuration()
        configuration.busyMode = .timeout(15)
        db = try DatabaseQueue(path: path, configuration: configuration)
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "entrant") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("path", .text)
                t.column("command", .text)
                t.column("sha256", .text)
                t.column("author", .text)
                t.column("parameters", .integer)
                t.column("added", .datetime).notNull()
                t.uniqueKey(["name", "version"])
            }
            try db.create(table: "game") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("slot", .text).notNull().unique()
                t.column("black", .integer).notNull().references("entrant")
                t.column("white", .integer).notNull().references("entrant")
                t.column("result", .text).notNull()
                t.column("winner", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("moves", .integer).notNull()
                t.column("sgf", .text).notNull()
                t.column("seconds", .double).notNull()
                t.column("finished", .datetime).notNull()
            }
        }
        try migrator.migrate(db)
    }

    /// Registers an entrant under the next version of its name.
    @discardableResult
    public func add(_ e: Entrant) throws -> Entrant {
        try db.write { db in
            var e = e
            let last =
                try Int.fetchOne(db, sql: "SELECT MAX(version) FROM entrant WHERE name = ?", arguments: [e.name]) ?? 0
            e.version = last + 1
            try e.insert(db)
            e.id = db.lastInsertedRowID
            return e
        }
    }

    /// Every entrant, every version.
    public func entrants() throws -> [Entrant] {
        try db.read { try Entrant.order(Column("id")).fetchAll($0) }
    }

    /// The latest version of each name: who plays next.
    public func current() throws -> [Entrant] {
        let all = try entrants()
        return all.filter { e in !all.contains { $0.name == e.name && $0.version > e.version } }
    }

    public func games() throws -> [GameRow] {
        try db.read { try GameRow.order(Column("id")).fetchAll($0) }
    }

    /// Slots already played.
    public func playedSlots() throws -> Set<String> {
        Set(try db.read { try String.fetchAll($0, sql: "SELECT slot FROM game") })
    }

    /// Commits a finished game (a slot is recorded once: a replayed slot is ignored).
    public func record(_ g: GameRow) throws {
        try db.write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM game WHERE slot = ?", arguments: [g.slot]) ?? 0 > 0 {
                return
            }
            try g.insert(db)
        }
    }
}
