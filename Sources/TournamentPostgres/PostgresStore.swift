import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Tournament

/// A tournament kept entirely in PostgreSQL (through postgres-nio): config, entrants, network
/// files by sha256, schedule with leases, every game with its SGF, workers. Leases use the
/// server's clock, so the workers' clocks need not agree. The store's calls block the calling
/// thread (gonet's workers and commands are threads, not tasks) while the pool's event loop talks
/// to the server; a lost connection is reopened by the pool on the next call.
public final class PostgresStore: TournamentStore, @unchecked Sendable {  // Constants only; the pool is thread-safe.
    /// The server and database.
    public let location: PostgresLocation
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let logger = Logger(label: "gonet.postgres")
    /// The schema this gonet writes; a database at a higher version is refused.
    static let schemaVersion = 2
    /// Seconds a call waits for the server before it fails: a worker cut off from the database
    /// must notice within a fraction of its lease (60 s by default).
    static let callTimeout = 15.0

    /// Connects to an existing tournament; `creating` with a config makes a new one in an empty
    /// database (or, with `orOpening`, opens the one there).
    public init(url: String, creating config: TournamentConfig? = nil, orOpening: Bool = false) throws {
        location = try PostgresLocation(url: url)
        var c = try Self.configuration(location)
        // Enough connections for a worker's game threads and their heartbeats.
        c.options.maximumConnections = 40
        client = PostgresClient(configuration: c)
        let client = client
        running = Task { await client.run() }
        do {
            try probe()
            try migrate(creating: config, orOpening: orOpening)
        } catch {
            running.cancel()
            throw error
        }
    }

    deinit { running.cancel() }

    /// A socket directory (host starting with /) or TCP with the URL's sslmode.
    private static func configuration(_ l: PostgresLocation) throws -> PostgresClient.Configuration {
        if l.host.hasPrefix("/") {
            return .init(
                unixSocketPath: "\(l.host)/.s.PGSQL.\(l.port)", username: l.user, password: l.password,
                database: l.database)
        }
        return .init(
            host: l.host, port: l.port, username: l.user, password: l.password, database: l.database, tls: try tls(l))
    }

    /// libpq's sslmodes: prefer and require encrypt without checking the certificate, verify-ca
    /// checks it against the CA, verify-full the host name too. nil: no TLS.
    private static func tlsSettings(_ l: PostgresLocation) throws -> (required: Bool, TLSConfiguration)? {
        var t = TLSConfiguration.makeClientConfiguration()
        if let ca = l.rootCertificate {
            t.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
        }
        switch l.sslMode {
        case "disable": return nil
        case "allow", "prefer":
            t.certificateVerification = .none
            return (false, t)
        case "require":
            t.certificateVerification = .none
            return (true, t)
        case "verify-ca":
            t.certificateVerification = .noHostnameVerification
            return (true, t)
        default: return (true, t)
        }
    }

    private static func tls(_ l: PostgresLocation) throws -> PostgresClient.Configuration.TLS {
        guard let (required, t) = try tlsSettings(l) else { return .disable }
        return required ? .require(t) : .prefer(t)
    }

    /// One connection made and closed at once, so that a wrong address, password or certificate
    /// is reported with its own message instead of as a pool that never answers.
    private func probe() throws {
        let l = location
        let logger = logger
        var c: PostgresConnection.Configuration
        if l.host.hasPrefix("/") {
            c = .init(
                unixSocketPath: "\(l.host)/.s.PGSQL.\(l.port)", username: l.user, password: l.password,
                database: l.database)
        } else {
            var tls = PostgresConnection.Configuration.TLS.disable
            if let (required, t) = try Self.tlsSettings(l) {
                let context = try NIOSSLContext(configuration: t)
                tls = required ? .require(context) : .prefer(context)
            }
            c = .init(
                host: l.host, port: l.port, username: l.user, password: l.password, database: l.database, tls: tls)
        }
        let configuration = c
        try call("connecting") {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        }
    }

    /// Runs one SQL statement at `url` outside any tournament (creating or dropping a benchmark's
    /// database).
    public static func execute(_ sql: String, at url: String) throws {
        let location = try PostgresLocation(url: url)
        let client = PostgresClient(configuration: try configuration(location))
        let running = Task { await client.run() }
        defer { running.cancel() }
        let box = Box<Void>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await client.query(PostgresQuery(unsafeSQL: sql))
                box.result = .success(())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        guard done.wait(timeout: .now() + callTimeout) == .success else {
            throw PostgresStoreError("\(location.description): no answer within \(Int(callTimeout)) s to \(sql)")
        }
        if case .failure(let e) = box.result! {
            throw PostgresStoreError("\(location.description): \(sql): \(describe(e))")
        }
    }

    // MARK: Blocking bridge

    /// Written by the event loop before it signals, read by the caller after the wait.
    private final class Box<T>: @unchecked Sendable { var result: Result<T, Error>? }

    /// Runs `body` on the pool and waits for it, at most `callTimeout` seconds.
    private func call<T>(_ what: String, _ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        guard done.wait(timeout: .now() + Self.callTimeout) == .success else {
            throw PostgresStoreError(
                "\(location.description): no answer within \(Int(Self.callTimeout)) s while \(what)")
        }
        switch box.result! {
        case .success(let v): return v
        case .failure(let e):
            throw PostgresStoreError(
                "\(location.description): \(what): \(Self.describe(e))",
                noTournament: Self.noTournament(e))
        }
    }

    /// Whether the error says the database holds no tournament (also from inside a transaction).
    static func noTournament(_ error: Error) -> Bool {
        if let e = error as? PostgresStoreError { return e.noTournament }
        if let e = error as? PostgresTransactionError { return e.closureError.map(noTournament) ?? false }
        return false
    }

    /// The server's message, not postgres-nio's deliberately generic description.
    static func describe(_ error: Error) -> String {
        if let e = error as? PostgresStoreError { return e.message }
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            if let underlying = e.underlying { return "\(e.code): \(underlying)" }
            return "\(e.code)"
        }
        if let e = error as? PostgresTransactionError {
            return [e.beginError, e.closureError, e.rollbackError, e.commitError].compactMap { $0.map(describe) }
                .joined(separator: "; ")
        }
        return "\(error)"
    }

    // MARK: Schema

    private func migrate(creating config: TournamentConfig?, orOpening: Bool) throws {
        let logger = logger
        let client = client
        let json = try config.map { String(decoding: try $0.json(), as: UTF8.self) }
        try call("opening the tournament") {
            try await client.withTransaction(logger: logger) { c in
                // Workers only read the version (a worker role may not create tables); creating
                // or migrating takes a lock, so that processes starting together do not race.
                var version = try await Self.version(c, logger)
                if version < Self.schemaVersion {
                    try await c.query("SELECT pg_advisory_xact_lock(7155632361)", logger: logger)
                    try await c.query(
                        "CREATE TABLE IF NOT EXISTS gonet_schema (version integer NOT NULL)", logger: logger)
                    version = try await Self.version(c, logger)
                }
                if version > Self.schemaVersion {
                    throw PostgresStoreError(
                        "the database holds gonet schema version \(version); this gonet knows up to \(Self.schemaVersion): update gonet"
                    )
                }
                if version < Self.schemaVersion {
                    for statement in (version < 1 ? Self.schemaV1 : []) + Self.schemaV2 {
                        try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await c.query("DELETE FROM gonet_schema", logger: logger)
                    try await c.query("INSERT INTO gonet_schema VALUES (\(Self.schemaVersion))", logger: logger)
                }
                var hasConfig = false
                for try await _ in try await c.query("SELECT 1 FROM config", logger: logger).decode(Int.self) {
                    hasConfig = true
                }
                if let json, !(hasConfig && orOpening) {
                    if hasConfig { throw PostgresStoreError("the database already holds a tournament") }
                    try await c.query("INSERT INTO config (id, json) VALUES (1, \(json))", logger: logger)
                } else if !hasConfig {
                    throw PostgresStoreError(
                        "the database holds no tournament: run `gonet tournament init URL` first", noTournament: true)
                }
            }
        }
    }

    /// The schema version, 0 for a database without gonet's tables.
    private static func version(_ c: PostgresConnection, _ logger: Logger) async throws -> Int {
        var exists = false
        for try await e in try await c.query("SELECT to_regclass('gonet_schema') IS NOT NULL", logger: logger)
            .decode(Bool.self)
        {
            exists = e
        }
        guard exists else { return 0 }
        var version = 0
        for try await v in try await c.query("SELECT version FROM gonet_schema", logger: logger).decode(Int.self) {
            version = v
        }
        return version
    }

    private static let schemaV1 = [
        "CREATE TABLE config (id integer PRIMARY KEY CHECK (id = 1), json text NOT NULL)",
        "CREATE TABLE network (sha256 text PRIMARY KEY, bytes bytea NOT NULL)",
        """
        CREATE TABLE entrant (id bigserial PRIMARY KEY, name text NOT NULL, version integer NOT NULL,
          kind text NOT NULL, command text, sha256 text REFERENCES network, author text, parameters integer,
          added timestamptz NOT NULL DEFAULT now(), UNIQUE (name, version))
        """,
        """
        CREATE TABLE scheduled (ordinal bigserial PRIMARY KEY, key text NOT NULL UNIQUE,
          black bigint NOT NULL REFERENCES entrant, white bigint NOT NULL REFERENCES entrant,
          seed bigint NOT NULL, round integer NOT NULL, token text, worker text, host text, pid integer,
          claimed timestamptz, expires timestamptz, note text)
        """,
        "CREATE INDEX scheduled_order ON scheduled (round, ordinal)",
        """
        CREATE TABLE game (id bigserial PRIMARY KEY, slot text NOT NULL UNIQUE,
          black bigint NOT NULL REFERENCES entrant, white bigint NOT NULL REFERENCES entrant,
          result text NOT NULL, winner text NOT NULL, reason text NOT NULL, moves integer NOT NULL,
          sgf text NOT NULL, record text NOT NULL, seconds double precision NOT NULL,
          finished timestamptz NOT NULL DEFAULT now(), worker text)
        """,
        """
        CREATE TABLE worker (name text PRIMARY KEY, host text NOT NULL, first_seen timestamptz NOT NULL,
          last_seen timestamptz NOT NULL, games integer NOT NULL DEFAULT 0)
        """,
    ]

    /// Version 2: the course server's students, their submissions and the teacher's settings.
    private static let schemaV2 = [
        """
        CREATE TABLE student (id bigserial PRIMARY KEY, name text NOT NULL, role text NOT NULL,
          lookup text NOT NULL UNIQUE, token_hash text NOT NULL, added timestamptz NOT NULL DEFAULT now(),
          revoked timestamptz)
        """,
        """
        CREATE TABLE submission (id bigserial PRIMARY KEY, student text NOT NULL, file_name text NOT NULL,
          sha256 text NOT NULL, size bigint NOT NULL, accepted boolean NOT NULL, verdict text NOT NULL,
          entrant bigint REFERENCES entrant, submitted timestamptz NOT NULL DEFAULT now())
        """,
        "CREATE TABLE course (id integer PRIMARY KEY CHECK (id = 1), json text NOT NULL)",
    ]

    // MARK: TournamentStore

    /// The tournament's settings, stored in the database.
    public func config() throws -> TournamentConfig {
        let (client, logger) = (client, logger)
        let json = try call("reading the config") { () -> String? in
            var out: String?
            for try await s in try await client.query("SELECT json FROM config WHERE id = 1", logger: logger)
                .decode(String.self)
            {
                out = s
            }
            return out
        }
        guard let json else { throw PostgresStoreError("\(location.description) holds no tournament config") }
        return try TournamentConfig.decode(Data(json.utf8), source: "\(location.description) config")
    }

    /// Adds an entrant (its network file stored by sha256), refusing a duplicate name.
    public func add(_ entrant: Entrant, network: [UInt8]?) throws -> Entrant {
        let (client, logger) = (client, logger)
        let bytes = network.map { Data($0) }
        return try call("adding \(entrant.name)") {
            try await client.withTransaction(logger: logger) { c in
                var e = entrant
                try await c.query("LOCK TABLE entrant IN SHARE ROW EXCLUSIVE MODE", logger: logger)
                if let bytes, let sha = e.sha256 {
                    try await c.query(
                        "INSERT INTO network (sha256, bytes) VALUES (\(sha), \(bytes)) ON CONFLICT DO NOTHING",
                        logger: logger)
                }
                var last = 0
                for try await v in try await c.query(
                    "SELECT COALESCE(MAX(version), 0) FROM entrant WHERE name = \(e.name)", logger: logger
                ).decode(Int.self) {
                    last = v
                }
                e.version = last + 1
                e.path = nil
                for try await id in try await c.query(
                    """
                    INSERT INTO entrant (name, version, kind, command, sha256, author, parameters, added)
                    VALUES (\(e.name), \(e.version), \(e.kind.rawValue), \(e.command), \(e.sha256), \(e.author), \(e.parameters), \(e.added))
                    RETURNING id
                    """, logger: logger
                ).decode(Int64.self) {
                    e.id = id
                }
                return e
            }
        }
    }

    /// Every entrant, in the order they were added.
    public func entrants() throws -> [Entrant] {
        let (client, logger) = (client, logger)
        return try call("reading the entrants") {
            var out: [Entrant] = []
            let rows = try await client.query(
                "SELECT id, name, version, kind, command, sha256, author, parameters, added FROM entrant ORDER BY id",
                logger: logger)
            for try await (id, name, version, kind, command, sha, author, parameters, added) in rows.decode(
                (Int64, String, Int, String, String?, String?, String?, Int?, Date).self)
            {
                guard let kind = Entrant.Kind(rawValue: kind) else {
                    throw PostgresStoreError("entrant \(name) v\(version) has the unknown kind \"\(kind)\"")
                }
                out.append(
                    Entrant(
                        id: id, name: name, version: version, kind: kind, command: command, sha256: sha,
                        author: author, parameters: parameters, added: added))
            }
            return out
        }
    }

    /// Every game played, in the order they were committed.
    public func games() throws -> [GameRow] {
        let (client, logger) = (client, logger)
        return try call("reading the games") {
            var out: [GameRow] = []
            let rows = try await client.query(
                """
                SELECT id, slot, black, white, result, winner, reason, moves, sgf, seconds, finished, worker
                FROM game ORDER BY id
                """, logger: logger)
            for try await (id, slot, black, white, result, winner, reason, moves, sgf, seconds, finished, worker)
                in rows.decode(
                    (Int64, String, Int64, Int64, String, String, String, Int, String, Double, Date, String?).self)
            {
                out.append(
                    GameRow(
                        id: id, slot: slot, black: black, white: white, result: result, winner: winner, reason: reason,
                        moves: moves, sgf: sgf, seconds: seconds, finished: finished, worker: worker))
            }
            return out
        }
    }

    /// The SGF of a game played.
    public func record(of game: GameRow) throws -> String? {
        let (client, logger) = (client, logger)
        let slot = game.slot
        return try call("reading game \(slot)") {
            var out: String?
            for try await s in try await client.query("SELECT record FROM game WHERE slot = \(slot)", logger: logger)
                .decode(String.self)
            {
                out = s
            }
            return out
        }
    }

    /// The network file with this sha256.
    public func network(sha256: String) throws -> [UInt8] {
        let (client, logger) = (client, logger)
        let data = try call("fetching network \(sha256.prefix(12))") { () -> Data? in
            var out: Data?
            for try await d in try await client.query(
                "SELECT bytes FROM network WHERE sha256 = \(sha256)", logger: logger
            ).decode(Data.self) {
                out = d
            }
            return out
        }
        guard let data else { throw PostgresStoreError("\(location.description) holds no network \(sha256)") }
        let bytes = [UInt8](data)
        guard SHA256.hex(bytes) == sha256 else {
            throw PostgresStoreError("network \(sha256) in \(location.description) does not match its sha256; refused")
        }
        return bytes
    }

    /// Adds slots not already scheduled or played; returns how many were added.
    @discardableResult
    public func schedule(_ slots: [ScheduledSlot]) throws -> Int {
        let (client, logger) = (client, logger)
        return try call("scheduling") {
            try await client.withTransaction(logger: logger) { c in
                // Two submissions at once must not both add the same slots.
                try await c.query("LOCK TABLE scheduled IN SHARE ROW EXCLUSIVE MODE", logger: logger)
                let keys = slots.map(\.key)
                try await c.query(
                    """
                    DELETE FROM scheduled WHERE NOT (key = ANY(\(keys))) AND (token IS NULL OR expires < now())
                    """, logger: logger)
                // One statement for the whole schedule: a remote server answers it in one round trip.
                let blacks = slots.map(\.black)
                let whites = slots.map(\.white)
                let seeds = slots.map { Int64(bitPattern: $0.openingSeed) }
                let rounds = slots.map { Int64($0.round) }
                var added = 0
                let rows = try await c.query(
                    """
                    INSERT INTO scheduled (key, black, white, seed, round)
                    SELECT u.k, u.b, u.w, u.s, u.r FROM unnest(\(keys)::text[], \(blacks)::bigint[], \(whites)::bigint[],
                      \(seeds)::bigint[], \(rounds)::bigint[]) WITH ORDINALITY AS u(k, b, w, s, r, i)
                    WHERE NOT EXISTS (SELECT 1 FROM game WHERE slot = u.k)
                    ORDER BY u.i
                    ON CONFLICT (key) DO NOTHING RETURNING 1
                    """, logger: logger)
                for try await _ in rows.decode(Int.self) { added += 1 }
                return added
            }
        }
    }

    /// Claims a waiting slot not in `skipping` (`FOR UPDATE SKIP LOCKED`), leased for `lease` seconds.
    public func claim(by worker: WorkerIdentity, lease: TimeInterval, skipping: Set<Int64>) throws -> Claim? {
        let (client, logger) = (client, logger)
        let skip = Array(skipping)
        let token = UUID().uuidString
        return try call("claiming a game") { () -> Claim? in
            try await client.query(
                """
                INSERT INTO worker (name, host, first_seen, last_seen) VALUES (\(worker.name), \(worker.host), now(), now())
                ON CONFLICT (name) DO UPDATE SET last_seen = now(), host = EXCLUDED.host
                """, logger: logger)
            let rows = try await client.query(
                """
                UPDATE scheduled SET token = \(token), worker = \(worker.name), host = \(worker.host),
                  pid = \(Int(worker.pid)), claimed = now(), expires = now() + make_interval(secs => \(lease)), note = NULL
                WHERE ordinal = (
                  SELECT ordinal FROM scheduled
                  WHERE (token IS NULL OR expires < now()) AND NOT (black = ANY(\(skip))) AND NOT (white = ANY(\(skip)))
                  ORDER BY round, ordinal LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING key, black, white, seed, round, expires
                """, logger: logger)
            for try await (key, black, white, seed, round, expires) in rows.decode(
                (String, Int64, Int64, Int64, Int, Date).self)
            {
                let slot = ScheduledSlot(
                    key: key, black: black, white: white, openingSeed: UInt64(bitPattern: seed), round: round)
                return Claim(slot: slot, token: token, worker: worker.name, expires: expires)
            }
            return nil
        }
    }

    /// Extends a claim's lease; false when it was lost.
    public func renew(_ claim: Claim, lease: TimeInterval) throws -> Bool {
        let (client, logger) = (client, logger)
        return try call("renewing the lease of \(claim.slot.key)") {
            var held = false
            for try await _ in try await client.query(
                """
                UPDATE scheduled SET expires = now() + make_interval(secs => \(lease))
                WHERE key = \(claim.slot.key) AND token = \(claim.token) RETURNING 1
                """, logger: logger
            ).decode(Int.self) {
                held = true
            }
            if held {
                try await client.query(
                    "UPDATE worker SET last_seen = now() WHERE name = \(claim.worker)", logger: logger)
            }
            return held
        }
    }

    /// Stores a finished game if `claim` still holds its slot; false otherwise.
    public func commit(_ game: GameRow, record: String, for claim: Claim) throws -> Bool {
        let (client, logger) = (client, logger)
        return try call("committing \(claim.slot.key)") {
            try await client.withTransaction(logger: logger) { c in
                var held = false
                for try await _ in try await c.query(
                    "SELECT 1 FROM scheduled WHERE key = \(claim.slot.key) AND token = \(claim.token) FOR UPDATE",
                    logger: logger
                ).decode(Int.self) {
                    held = true
                }
                guard held else { return false }
                let g = game
                try await c.query(
                    """
                    INSERT INTO game (slot, black, white, result, winner, reason, moves, sgf, record, seconds, finished, worker)
                    VALUES (\(g.slot), \(g.black), \(g.white), \(g.result), \(g.winner), \(g.reason), \(g.moves),
                      \(g.sgf), \(record), \(g.seconds), now(), \(claim.worker))
                    """, logger: logger)
                try await c.query("DELETE FROM scheduled WHERE key = \(claim.slot.key)", logger: logger)
                try await c.query(
                    "UPDATE worker SET games = games + 1, last_seen = now() WHERE name = \(claim.worker)",
                    logger: logger)
                return true
            }
        }
    }

    /// Gives a claimed slot back, saying why.
    public func release(_ claim: Claim, reason: String) throws {
        let (client, logger) = (client, logger)
        let note = "\(claim.worker): \(reason)"
        try call("giving back \(claim.slot.key)") {
            try await client.query(
                """
                UPDATE scheduled SET token = NULL, worker = NULL, host = NULL, pid = NULL, claimed = NULL,
                  expires = NULL, note = \(note)
                WHERE key = \(claim.slot.key) AND token = \(claim.token)
                """, logger: logger)
        }
    }

    /// Gives back the slots of this host's workers that are no longer alive.
    public func releaseAbandoned(on host: String, alive: (Int32) -> Bool) throws -> Int {
        let (client, logger) = (client, logger)
        let held = try call("looking for abandoned games") { () -> [(String, Int32, String)] in
            var out: [(String, Int32, String)] = []
            for try await row in try await client.query(
                """
                SELECT key, pid, worker FROM scheduled
                WHERE token IS NOT NULL AND expires >= now() AND host = \(host)
                """, logger: logger
            ).decode((String, Int32, String).self) {
                out.append(row)
            }
            return out
        }
        var freed = 0
        for (key, pid, worker) in held where !alive(pid) {
            let note = "\(worker): its process is gone"
            try call("freeing \(key)") {
                try await client.query(
                    """
                    UPDATE scheduled SET token = NULL, worker = NULL, host = NULL, pid = NULL, claimed = NULL,
                      expires = NULL, note = \(note)
                    WHERE key = \(key) AND host = \(host) AND pid = \(pid)
                    """, logger: logger)
            }
            freed += 1
        }
        return freed
    }

    /// Counts of slots by state, and the workers playing.
    public func status() throws -> StoreStatus {
        let (client, logger) = (client, logger)
        return try call("reading the status") {
            var done = 0
            for try await n in try await client.query("SELECT COUNT(*) FROM game", logger: logger).decode(Int.self) {
                done = n
            }
            var inFlight: [StoreStatus.InFlight] = []
            var waiting = 0
            var givenBack: [StoreStatus.GivenBack] = []
            for try await (key, worker, claimed, expires, live, note) in try await client.query(
                """
                SELECT key, worker, claimed, expires, COALESCE(expires >= now(), false), note FROM scheduled
                ORDER BY round, ordinal
                """, logger: logger
            ).decode((String, String?, Date?, Date?, Bool, String?).self) {
                if live, let worker, let claimed, let expires {
                    inFlight.append(.init(slot: key, worker: worker, claimed: claimed, expires: expires))
                } else {
                    waiting += 1
                    if let note { givenBack.append(.init(slot: key, reason: note)) }
                }
            }
            var workers: [StoreStatus.WorkerActivity] = []
            for try await (name, host, first, last, games) in try await client.query(
                "SELECT name, host, first_seen, last_seen, games FROM worker ORDER BY first_seen", logger: logger
            ).decode((String, String, Date, Date, Int).self) {
                workers.append(.init(name: name, host: host, firstSeen: first, lastSeen: last, games: games))
            }
            return StoreStatus(done: done, inFlight: inFlight, waiting: waiting, workers: workers, givenBack: givenBack)
        }
    }

    // MARK: Course

    /// Adds a student, refusing a name that already signs in.
    public func add(_ student: Student) throws -> Student {
        let (client, logger) = (client, logger)
        return try call("adding student \(student.name)") {
            try await client.withTransaction(logger: logger) { c in
                try await c.query("LOCK TABLE student IN SHARE ROW EXCLUSIVE MODE", logger: logger)
                for try await n in try await c.query(
                    "SELECT COUNT(*) FROM student WHERE name = \(student.name) AND revoked IS NULL", logger: logger
                ).decode(Int.self) where n > 0 {
                    throw PostgresStoreError("\(student.name) is already a student; revoke them first")
                }
                var s = student
                for try await id in try await c.query(
                    """
                    INSERT INTO student (name, role, lookup, token_hash, added)
                    VALUES (\(s.name), \(s.role.rawValue), \(s.lookup), \(s.tokenHash), \(s.added)) RETURNING id
                    """, logger: logger
                ).decode(Int64.self) {
                    s.id = id
                }
                return s
            }
        }
    }

    /// Every student, revoked ones included.
    public func students() throws -> [Student] {
        let (client, logger) = (client, logger)
        return try call("reading the students") {
            var out: [Student] = []
            for try await (id, name, role, lookup, hash, added, revoked) in try await client.query(
                "SELECT id, name, role, lookup, token_hash, added, revoked FROM student ORDER BY id", logger: logger
            ).decode((Int64, String, String, String, String, Date, Date?).self) {
                guard let role = Student.Role(rawValue: role) else {
                    throw PostgresStoreError("student \(name) has the unknown role \"\(role)\"")
                }
                out.append(
                    Student(
                        id: id, name: name, role: role, lookup: lookup, tokenHash: hash, added: added, revoked: revoked)
                )
            }
            return out
        }
    }

    /// Revokes every live token of `name`.
    public func revokeStudent(named name: String) throws -> Int {
        let (client, logger) = (client, logger)
        return try call("revoking \(name)") {
            var n = 0
            for try await _ in try await client.query(
                "UPDATE student SET revoked = now() WHERE name = \(name) AND revoked IS NULL RETURNING 1",
                logger: logger
            ).decode(Int.self) {
                n += 1
            }
            return n
        }
    }

    /// Records a submission.
    public func add(_ submission: SubmissionRecord) throws -> SubmissionRecord {
        let (client, logger) = (client, logger)
        return try call("recording a submission of \(submission.student)") {
            var s = submission
            for try await id in try await client.query(
                """
                INSERT INTO submission (student, file_name, sha256, size, accepted, verdict, entrant, submitted)
                VALUES (\(s.student), \(s.fileName), \(s.sha256), \(Int64(s.size)), \(s.accepted), \(s.verdict),
                  \(s.entrant), \(s.submitted)) RETURNING id
                """, logger: logger
            ).decode(Int64.self) {
                s.id = id
            }
            return s
        }
    }

    /// Every submission, oldest first.
    public func submissions() throws -> [SubmissionRecord] {
        let (client, logger) = (client, logger)
        return try call("reading the submissions") {
            var out: [SubmissionRecord] = []
            for try await (id, student, file, sha, size, accepted, verdict, entrant, submitted)
                in try await client
                .query(
                    """
                    SELECT id, student, file_name, sha256, size, accepted, verdict, entrant, submitted
                    FROM submission ORDER BY id
                    """, logger: logger
                ).decode((Int64, String, String, String, Int64, Bool, String, Int64?, Date).self)
            {
                out.append(
                    SubmissionRecord(
                        id: id, student: student, fileName: file, sha256: sha, size: Int(size), accepted: accepted,
                        verdict: verdict, entrant: entrant, submitted: submitted))
            }
            return out
        }
    }

    /// The teacher's settings.
    public func courseSettings() throws -> CourseSettings {
        let (client, logger) = (client, logger)
        let json = try call("reading the course settings") { () -> String? in
            var out: String?
            for try await s in try await client.query("SELECT json FROM course WHERE id = 1", logger: logger)
                .decode(String.self)
            {
                out = s
            }
            return out
        }
        return try CourseSettings.decode(json, source: "\(location.description) course settings")
    }

    /// Replaces the teacher's settings.
    public func setCourseSettings(_ settings: CourseSettings) throws {
        let (client, logger) = (client, logger)
        let json = settings.json()
        try call("saving the course settings") {
            try await client.query(
                "INSERT INTO course (id, json) VALUES (1, \(json)) ON CONFLICT (id) DO UPDATE SET json = EXCLUDED.json",
                logger: logger)
        }
    }
}
