import Foundation

/// Where a tournament lives: its config, entrants and their network files, the schedule, the
/// games. Two backends: `SQLiteStore` (a tournament directory on one machine, the default) and
/// `PostgresStore` (module TournamentPostgres: workers on many machines). Both give the same
/// answers to the same calls; `docs/tournament-store.md` states the rules every backend keeps.
public protocol TournamentStore: AnyObject, Sendable {
    /// The tournament's settings.
    func config() throws -> TournamentConfig
    /// Registers an entrant under the next version of its name, with its network file's bytes
    /// (networks); the entrant comes back with its id and version.
    func add(_ entrant: Entrant, network: [UInt8]?) throws -> Entrant
    /// Every entrant, every version, in the order they were added.
    func entrants() throws -> [Entrant]
    /// Every finished game, in the order they were committed.
    func games() throws -> [GameRow]
    /// A network's bytes by its sha256, checked against it.
    func network(sha256: String) throws -> [UInt8]
    /// Makes the schedule the given slots: adds the missing ones, drops those not given that
    /// nobody plays or has played (a superseded entrant's). Returns how many were added.
    @discardableResult func schedule(_ slots: [ScheduledSlot]) throws -> Int
    /// Takes the first scheduled game that is free (never claimed, or its lease ran out) and
    /// involves none of `skipping`, for `lease` seconds; nil when none is free.
    func claim(by worker: WorkerIdentity, lease: TimeInterval, skipping: Set<Int64>) throws -> Claim?
    /// Extends the lease; false when the claim was lost (expired and taken by another worker).
    func renew(_ claim: Claim, lease: TimeInterval) throws -> Bool
    /// Commits a finished game in one transaction, only while `claim` still holds its slot;
    /// false (and nothing written) when it does not.
    func commit(_ game: GameRow, record: String, for claim: Claim) throws -> Bool
    /// Gives a claimed game back unplayed, with the reason (for `status`).
    func release(_ claim: Claim, reason: String) throws
    /// Frees the claims held by processes of `host` that `alive` says are gone; returns how many.
    @discardableResult func releaseAbandoned(on host: String, alive: (Int32) -> Bool) throws -> Int
    /// A finished game's SGF text.
    func record(of game: GameRow) throws -> String?
    /// Slots scheduled, in flight and done, and each worker's activity.
    func status() throws -> StoreStatus

    /// Adds a student (or teacher); refused when one of that name holds a token that is not revoked.
    func add(_ student: Student) throws -> Student
    /// Every student and teacher ever added, revoked ones included, in the order they were added.
    func students() throws -> [Student]
    /// Revokes the tokens of `name`; returns how many were revoked (0: no such name signs in).
    @discardableResult func revokeStudent(named name: String) throws -> Int
    /// Records a network handed in through the course server.
    func add(_ submission: SubmissionRecord) throws -> SubmissionRecord
    /// Every submission, in the order they were handed in.
    func submissions() throws -> [SubmissionRecord]
    /// The teacher's decisions (defaults before any was made).
    func courseSettings() throws -> CourseSettings
    /// Replaces the teacher's decisions.
    func setCourseSettings(_ settings: CourseSettings) throws
}

/// A game the schedule holds: its slot key, the two entrants and the opening's seed.
public struct ScheduledSlot: Sendable, Equatable {
    /// The slot's unique key (docs/tournament-store.md).
    public var key: String
    /// The entrant with Black.
    public var black: Int64
    /// The entrant with White.
    public var white: Int64
    /// Seed of the game's random opening (shared by a colour pair).
    public var openingSeed: UInt64
    /// Game k of a pairing: all games of round k are handed out before any of round k + 1.
    public var round: Int

    /// A slot of the schedule.
    public init(key: String, black: Int64, white: Int64, openingSeed: UInt64, round: Int) {
        self.key = key
        self.black = black
        self.white = white
        self.openingSeed = openingSeed
        self.round = round
    }
}

/// Who plays: a name chosen by the user (or host-pid), the host and the process.
public struct WorkerIdentity: Sendable, Equatable {
    /// The worker's name, shown by `status`.
    public var name: String
    /// The local machine's name: claims of processes on it that are gone are freed at once.
    public var host: String
    /// The worker's process id on `host`.
    public var pid: Int32

    /// This process, named `name` or host-pid.
    public init(name: String? = nil) {
        host = ProcessInfo.processInfo.hostName
        pid = ProcessInfo.processInfo.processIdentifier
        self.name = name ?? "\(host)-\(pid)"
    }
}

/// A scheduled game held by one worker until `expires`; `token` tells this claim from a later
/// claim of the same slot, so a worker whose lease was taken over cannot commit.
public struct Claim: Sendable, Equatable {
    /// The slot claimed.
    public var slot: ScheduledSlot
    /// The claim's own token, asked for by renew, commit and release.
    public var token: String
    /// The worker that holds it.
    public var worker: String
    /// When the lease runs out unless renewed.
    public var expires: Date

    /// A claim of `slot`.
    public init(slot: ScheduledSlot, token: String, worker: String, expires: Date) {
        self.slot = slot
        self.token = token
        self.worker = worker
        self.expires = expires
    }
}

/// What `gonet tournament status` shows.
public struct StoreStatus: Sendable, Equatable {
    /// A game being played.
    public struct InFlight: Sendable, Equatable {
        /// Its slot key.
        public var slot: String
        /// The worker playing it.
        public var worker: String
        /// When it was claimed.
        public var claimed: Date
        /// When its lease runs out.
        public var expires: Date

        /// A game in flight.
        public init(slot: String, worker: String, claimed: Date, expires: Date) {
            self.slot = slot
            self.worker = worker
            self.claimed = claimed
            self.expires = expires
        }
    }
    /// A worker seen by the store.
    public struct WorkerActivity: Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its host.
        public var host: String
        /// Its first claim.
        public var firstSeen: Date
        /// Its last claim, renewal or commit.
        public var lastSeen: Date
        /// Games it committed.
        public var games: Int

        /// A worker's activity.
        public init(name: String, host: String, firstSeen: Date, lastSeen: Date, games: Int) {
            self.name = name
            self.host = host
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.games = games
        }
    }
    /// Games played.
    public var done: Int
    /// Games being played.
    public var inFlight: [InFlight]
    /// Scheduled and not claimed (or with an expired lease).
    public var waiting: Int
    /// Workers seen, most recent first.
    public var workers: [WorkerActivity]
    /// Waiting slots that a worker gave back, with the worker's reason.
    public var givenBack: [GivenBack]
    /// A slot given back.
    public struct GivenBack: Sendable, Equatable {
        /// Its key.
        public var slot: String
        /// The worker's reason.
        public var reason: String

        /// A slot given back for `reason`.
        public init(slot: String, reason: String) {
            self.slot = slot
            self.reason = reason
        }
    }

    /// A status of these counts.
    public init(done: Int, inFlight: [InFlight], waiting: Int, workers: [WorkerActivity], givenBack: [GivenBack]) {
        self.done = done
        self.inFlight = inFlight
        self.waiting = waiting
        self.workers = workers
        self.givenBack = givenBack
    }
}

extension TournamentStore {
    /// The latest version of each name that was not withdrawn: who plays next.
    public func current() throws -> [Entrant] {
        let withdrawn = Set(try courseSettings().withdrawn)
        return Entrant.current(try entrants().filter { !withdrawn.contains($0.id ?? -1) })
    }

    /// Every version that was not withdrawn: who the standings rank.
    public func ranked() throws -> [Entrant] {
        let withdrawn = Set(try courseSettings().withdrawn)
        return try entrants().filter { !withdrawn.contains($0.id ?? -1) }
    }
}
