import Foundation
import GRDB

extension Entrant: FetchableRecord, PersistableRecord {
    /// The SQL table of entrants.
    public static let databaseTableName = "entrant"
}

extension GameRow: FetchableRecord, PersistableRecord {
    /// The SQL table of games.
    public static let databaseTableName = "game"
}

/// A tournament directory's store: `tournament.json` for the config, `tournament.sqlite`
/// (through GRDB, WAL mode) for entrants, schedule and games, `entrants/` for the network files.
/// Claims and commits are IMMEDIATE transactions, so several `gonet tournament run` processes
/// on one machine share the schedule as PostgreSQL workers do.
public final class SQLiteStore: TournamentStore, Sendable {
    /// The tournament directory.
    public let directory: String
    let db: DatabaseQueue

    /// Opens (creating or migrating) `DIRECTORY/tournament.sqlite`; a database written by a newer
    /// gonet (a migration this one does not know) is refused rather than guessed at.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(
            atPath: (directory as NSString).appendingPathComponent("entrants"), withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("tournament.sqlite")
        // `standings` or `report` may read while `run` writes: wait for a lock instead of failing.
        var configuration = Configuration()
        configuration.busyMode = .timeout(15)
        db = try DatabaseQueue(path: path, configuration: configuration)
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        let migrator = Self.migrator
        if try db.read({ try migrator.hasBeenSuperseded($0) }) {
            throw TournamentError("\(path) was written by a newer gonet (unknown schema version); update gonet")
        }
        try migrator.migrate(db)
    }

    private static var migrator: DatabaseMigrator {
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
        // v2: the schedule with leases, workers, and the SGF text kept with each game.
        migrator.registerMigration("v2") { db in
            try db.alter(table: "game") { t in
                t.add(column: "worker", .text)
                t.add(column: "record", .text)
            }
            try db.create(table: "scheduled") { t in
                t.autoIncrementedPrimaryKey("ordinal")
                t.column("key", .text).notNull().unique()
                t.column("black", .integer).notNull()
                t.column("white", .integer).notNull()
                t.column("seed", .integer).notNull()
                t.column("round", .integer).notNull()
                t.column("token", .text)
                t.column("worker", .text)
                t.column("host", .text)
                t.column("pid", .integer)
                t.column("claimed", .double)
                t.column("expires", .double)
                t.column("note", .text)
            }
            try db.create(table: "worker") { t in
                t.primaryKey("name", .text)
                t.column("host", .text).notNull()
                t.column("firstSeen", .double).notNull()
                t.column("lastSeen", .double).notNull()
                t.column("games", .integer).notNull().defaults(to: 0)
            }
        }
        // v3: the course server's students, their submissions and the teacher's settings.
        migrator.registerMigration("v3") { db in
            try db.create(table: "student") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.column("lookup", .text).notNull().unique()
                t.column("tokenHash", .text).notNull()
                t.column("added", .double).notNull()
                t.column("revoked", .double)
            }
            try db.create(table: "submission") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("student", .text).notNull()
                t.column("fileName", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("accepted", .boolean).notNull()
                t.column("verdict", .text).notNull()
                t.column("entrant", .integer)
                t.column("submitted", .double).notNull()
            }
            try db.create(table: "course") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("json", .text).notNull()
            }
        }
        return migrator
    }

    private func file(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }

    /// Writes inside `BEGIN IMMEDIATE`: another process's claim waits for the lock instead of
    /// failing when a read transaction would have to become a write one.
    private func immediate<T>(_ body: (Database) throws -> T) throws -> T {
        try db.writeWithoutTransaction { db in
            var out: T?
            try db.inTransaction(.immediate) {
                out = try body(db)
                return .commit
            }
            return out!
        }
    }

    /// The directory's `tournament.json`.
    public func config() throws -> TournamentConfig { try TournamentConfig.load(directory) }

    /// Adds an entrant (its network file copied under `entrants/`), refusing a duplicate name.
    public func add(_ entrant: Entrant, network: [UInt8]?) throws -> Entrant {
        try immediate { db in
            var e = entrant
            let last =
                try Int.fetchOne(db, sql: "SELECT MAX(version) FROM entrant WHERE name = ?", arguments: [e.name]) ?? 0
            e.version = last + 1
            if let network {
                let relative = "entrants/\(e.name)-v\(e.version).safetensors"
                try Data(network).write(to: URL(fileURLWithPath: file(relative)), options: .atomic)
                e.path = relative
            }
            try e.insert(db)
            e.id = db.lastInsertedRowID
            return e
        }
    }

    /// Every entrant, in the order they were added.
    public func entrants() throws -> [Entrant] {
        try db.read { try Entrant.order(Column("id")).fetchAll($0) }
    }

    /// Every game played, in the order they were committed.
    public func games() throws -> [GameRow] {
        try db.read { try GameRow.order(Column("id")).fetchAll($0) }
    }

    /// The SGF of a game played.
    public func record(of game: GameRow) throws -> String? {
        if let id = game.id,
            let text = try db.read({
                try String.fetchOne($0, sql: "SELECT record FROM game WHERE id = ?", arguments: [id])
            })
        {
            return text
        }
        // Games from before v2 keep their SGF in the directory only.
        return try? String(contentsOfFile: file(game.sgf), encoding: .utf8)
    }

    /// The network file with this sha256.
    public func network(sha256: String) throws -> [UInt8] {
        guard
            let relative = try db.read({
                try String.fetchOne(
                    $0, sql: "SELECT path FROM entrant WHERE sha256 = ? AND path IS NOT NULL", arguments: [sha256])
            })
        else {
            throw TournamentError("no network with sha256 \(sha256) in \(directory)")
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(relative))))
        guard SHA256.hex(bytes) == sha256 else {
            throw TournamentError(
                "\(file(relative)) does not match its sha256 \(sha256): the file was changed; refused")
        }
        return bytes
    }

    /// Adds slots not already scheduled or played; returns how many were added.
    @discardableResult
    public func schedule(_ slots: [ScheduledSlot]) throws -> Int {
        try immediate { db in
            let now = Date().timeIntervalSince1970
            let wanted = Set(slots.map(\.key))
            let played = Set(try String.fetchAll(db, sql: "SELECT slot FROM game"))
            let present = Set(try String.fetchAll(db, sql: "SELECT key FROM scheduled"))
            for key in present where !wanted.contains(key) {
                try db.execute(
                    sql: "DELETE FROM scheduled WHERE key = ? AND (token IS NULL OR expires < ?)",
                    arguments: [key, now])
            }
            var added = 0
            for s in slots where !played.contains(s.key) && !present.contains(s.key) {
                try db.execute(
                    sql: "INSERT INTO scheduled (key, black, white, seed, round) VALUES (?, ?, ?, ?, ?)",
                    arguments: [s.key, s.black, s.white, Int64(bitPattern: s.openingSeed), s.round])
                added += 1
            }
            return added
        }
    }

    private func seen(_ w: WorkerIdentity, _ db: Database, now: Double, games: Int = 0) throws {
        try db.execute(
            sql: """
                INSERT INTO worker (name, host, firstSeen, lastSeen, games) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET lastSeen = excluded.lastSeen, games = games + excluded.games
                """, arguments: [w.name, w.host, now, now, games])
    }

    /// Claims the first waiting slot not in `skipping`, leased for `lease` seconds.
    public func claim(by worker: WorkerIdentity, lease: TimeInterval, skipping: Set<Int64>) throws -> Claim? {
        try immediate { db in
            let now = Date().timeIntervalSince1970
            try seen(worker, db, now: now)
            let skip = skipping.map(String.init).joined(separator: ",")
            let filter = skip.isEmpty ? "" : "AND black NOT IN (\(skip)) AND white NOT IN (\(skip))"
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT key, black, white, seed, round FROM scheduled
                        WHERE (token IS NULL OR expires < ?) \(filter) ORDER BY round, ordinal LIMIT 1
                        """, arguments: [now])
            else { return nil }
            let slot = ScheduledSlot(
                key: row["key"], black: row["black"], white: row["white"],
                openingSeed: UInt64(bitPattern: row["seed"] as Int64), round: row["round"])
            let token = UUID().uuidString
            try db.execute(
                sql: """
                    UPDATE scheduled SET token = ?, worker = ?, host = ?, pid = ?, claimed = ?, expires = ?, note = NULL
                    WHERE key = ?
                    """, arguments: [token, worker.name, worker.host, worker.pid, now, now + lease, slot.key])
            return Claim(
                slot: slot, token: token, worker: worker.name, expires: Date(timeIntervalSince1970: now + lease))
        }
    }

    /// Extends a claim's lease; false when it was lost.
    public func renew(_ claim: Claim, lease: TimeInterval) throws -> Bool {
        try immediate { db in
            let now = Date().timeIntervalSince1970
            try db.execute(
                sql: "UPDATE scheduled SET expires = ? WHERE key = ? AND token = ?",
                arguments: [now + lease, claim.slot.key, claim.token])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE worker SET lastSeen = ? WHERE name = ?", arguments: [now, claim.worker])
            return true
        }
    }

    /// Stores a finished game if `claim` still holds its slot; false otherwise.
    public func commit(_ game: GameRow, record: String, for claim: Claim) throws -> Bool {
        try immediate { db in
            let token = try String.fetchOne(
                db, sql: "SELECT token FROM scheduled WHERE key = ?", arguments: [claim.slot.key])
            guard token == claim.token else { return false }
            var g = game
            g.worker = claim.worker
            try g.insert(db)
            try db.execute(
                sql: "UPDATE game SET record = ? WHERE id = ?", arguments: [record, db.lastInsertedRowID])
            try db.execute(sql: "DELETE FROM scheduled WHERE key = ?", arguments: [claim.slot.key])
            try db.execute(
                sql: "UPDATE worker SET lastSeen = ?, games = games + 1 WHERE name = ?",
                arguments: [Date().timeIntervalSince1970, claim.worker])
            return true
        }
    }

    /// Gives a claimed slot back, saying why.
    public func release(_ claim: Claim, reason: String) throws {
        try immediate { db in
            try db.execute(
                sql: """
                    UPDATE scheduled SET token = NULL, worker = NULL, claimed = NULL, expires = NULL, note = ?
                    WHERE key = ? AND token = ?
                    """, arguments: ["\(claim.worker): \(reason)", claim.slot.key, claim.token])
        }
    }

    /// Gives back the slots of this host's workers that are no longer alive.
    public func releaseAbandoned(on host: String, alive: (Int32) -> Bool) throws -> Int {
        try immediate { db in
            let now = Date().timeIntervalSince1970
            var freed = 0
            for row in try Row.fetchAll(
                db, sql: "SELECT key, pid, worker FROM scheduled WHERE token IS NOT NULL AND expires >= ? AND host = ?",
                arguments: [now, host])
            where !alive(row["pid"] as Int32? ?? 0) {
                try db.execute(
                    sql: """
                        UPDATE scheduled SET token = NULL, worker = NULL, host = NULL, pid = NULL, claimed = NULL,
                        expires = NULL, note = ? WHERE key = ?
                        """,
                    arguments: ["\(row["worker"] as String? ?? "?"): its process is gone", row["key"] as String])
                freed += 1
            }
            return freed
        }
    }

    /// Counts of slots by state, and the workers playing.
    public func status() throws -> StoreStatus {
        try db.read { db in
            let now = Date().timeIntervalSince1970
            let done = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM game") ?? 0
            var inFlight: [StoreStatus.InFlight] = []
            var waiting = 0
            var givenBack: [StoreStatus.GivenBack] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT key, worker, claimed, expires, note FROM scheduled ORDER BY round, ordinal")
            {
                if let expires = row["expires"] as Double?, expires >= now, let worker = row["worker"] as String? {
                    inFlight.append(
                        .init(
                            slot: row["key"], worker: worker,
                            claimed: Date(timeIntervalSince1970: row["claimed"] as Double? ?? now),
                            expires: Date(timeIntervalSince1970: expires)))
                } else {
                    waiting += 1
                    if let note = row["note"] as String? { givenBack.append(.init(slot: row["key"], reason: note)) }
                }
            }
            let workers = try Row.fetchAll(db, sql: "SELECT * FROM worker ORDER BY firstSeen").map { r in
                StoreStatus.WorkerActivity(
                    name: r["name"], host: r["host"], firstSeen: Date(timeIntervalSince1970: r["firstSeen"]),
                    lastSeen: Date(timeIntervalSince1970: r["lastSeen"]), games: r["games"])
            }
            return StoreStatus(done: done, inFlight: inFlight, waiting: waiting, workers: workers, givenBack: givenBack)
        }
    }

    /// A consistent copy of the database while it is in use (SQLite's backup API), as bytes.
    public func backup() throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "gonet-backup-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let copy = try DatabaseQueue(path: path)
        try db.backup(to: copy)
        try copy.close()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    // MARK: Course

    /// Adds a student, refusing a name that already signs in.
    public func add(_ student: Student) throws -> Student {
        try immediate { db in
            let live = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM student WHERE name = ? AND revoked IS NULL", arguments: [student.name])
            guard live == 0 else { throw TournamentError("\(student.name) is already a student; revoke them first") }
            try db.execute(
                sql: "INSERT INTO student (name, role, lookup, tokenHash, added) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    student.name, student.role.rawValue, student.lookup, student.tokenHash,
                    student.added.timeIntervalSince1970,
                ])
            var s = student
            s.id = db.lastInsertedRowID
            return s
        }
    }

    /// Every student, revoked ones included.
    public func students() throws -> [Student] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM student ORDER BY id").map { r in
                let role: String = r["role"]
                guard let role = Student.Role(rawValue: role) else {
                    throw TournamentError("student \(r["name"] as String) has the unknown role \"\(role)\"")
                }
                return Student(
                    id: r["id"], name: r["name"], role: role, lookup: r["lookup"], tokenHash: r["tokenHash"],
                    added: Date(timeIntervalSince1970: r["added"]),
                    revoked: (r["revoked"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// Revokes every live token of `name`.
    public func revokeStudent(named name: String) throws -> Int {
        try immediate { db in
            try db.execute(
                sql: "UPDATE student SET revoked = ? WHERE name = ? AND revoked IS NULL",
                arguments: [Date().timeIntervalSince1970, name])
            return db.changesCount
        }
    }

    /// Records a submission.
    public func add(_ submission: SubmissionRecord) throws -> SubmissionRecord {
        try immediate { db in
            let s = submission
            try db.execute(
                sql: """
                    INSERT INTO submission (student, fileName, sha256, size, accepted, verdict, entrant, submitted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    s.student, s.fileName, s.sha256, s.size, s.accepted, s.verdict, s.entrant,
                    s.submitted.timeIntervalSince1970,
                ])
            var out = s
            out.id = db.lastInsertedRowID
            return out
        }
    }

    /// Every submission, oldest first.
    public func submissions() throws -> [SubmissionRecord] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM submission ORDER BY id").map { r in
                SubmissionRecord(
                    id: r["id"], student: r["student"], fileName: r["fileName"], sha256: r["sha256"], size: r["size"],
                    accepted: r["accepted"], verdict: r["verdict"], entrant: r["entrant"],
                    submitted: Date(timeIntervalSince1970: r["submitted"]))
            }
        }
    }

    /// The teacher's settings.
    public func courseSettings() throws -> CourseSettings {
        let json = try db.read { try String.fetchOne($0, sql: "SELECT json FROM course WHERE id = 1") }
        return try CourseSettings.decode(json, source: file("tournament.sqlite"))
    }

    /// Replaces the teacher's settings.
    public func setCourseSettings(_ settings: CourseSettings) throws {
        try immediate { db in
            try db.execute(
                sql: "INSERT INTO course (id, json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
                arguments: [settings.json()])
        }
    }
}
