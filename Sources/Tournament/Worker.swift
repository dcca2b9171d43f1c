import Foundation
import GTP
import GoRecords
import GoRules
import Synchronization

/// How a worker plays the schedule.
public struct WorkerOptions: Sendable {
    /// Who claims the games.
    public var identity: WorkerIdentity
    /// Games played at once, capped at the machine's cores: the two engines of a game take
    /// turns (one thread each, no pondering), so a game keeps one core busy.
    public var gamesAtOnce: Int
    /// Seconds a claim lasts without a heartbeat. A minute: a worker killed or cut off loses its
    /// games that long at most, while a heartbeat every quarter of it survives a loaded machine
    /// and a database that is slow for a few seconds.
    public var lease: TimeInterval = 60
    /// Keep running when nothing is left, for games scheduled by later submissions.
    public var wait = false
    /// Seconds between looks at the schedule when nothing is free: 2 s, next to games of minutes.
    public var poll: TimeInterval = 2
    /// Asked to stop (a signal, a test): no new claims, games in flight given back by `stop`.
    public var stop = WorkerStop()

    /// A worker playing `gamesAtOnce` games at once.
    public init(identity: WorkerIdentity = WorkerIdentity(), gamesAtOnce: Int) {
        self.identity = identity
        self.gamesAtOnce = max(1, min(gamesAtOnce, ProcessInfo.processInfo.activeProcessorCount))
    }
}

/// What a worker reports as it goes.
public enum WorkerEvent: Sendable {
    /// A game was committed; the status right after it.
    case finished(GameRow, StoreStatus)
    /// A game was given back unplayed (an engine missing on the worker's machine).
    case gaveBack(slot: String, reason: String)
    /// A game was played but not committed: its lease went to another worker.
    case lostLease(slot: String)
    /// The store could not be reached; the worker goes on trying.
    case storeTrouble(String)
}

extension Tournament {
    /// Schedules the games the current entrants owe each other (`gamesPerPairing` overriding the
    /// config's) and plays them, `concurrency` at once, until none is left: `gonet tournament run`.
    @discardableResult
    public func run(
        gonet: String, concurrency: Int? = nil, gamesPerPairing: Int? = nil,
        events: @escaping @Sendable (WorkerEvent) -> Void = { _ in }
    ) throws -> [GameRow] {
        guard try store.current().count >= 2 else {
            throw TournamentError("a tournament needs at least two entrants (gonet tournament submit)")
        }
        try reschedule(gamesPerPairing: gamesPerPairing, strict: true)
        return try work(
            gonet: gonet, options: WorkerOptions(gamesAtOnce: concurrency ?? config.concurrency), events: events)
    }

    /// Claims scheduled games one at a time per thread, plays each through the referee and commits
    /// it while the claim holds; returns the games this worker committed. Without `wait` it stops
    /// when no game is free for it and none is in flight elsewhere (a lease that runs out is taken
    /// over, so a dead worker's game is played again).
    @discardableResult
    public func work(
        gonet: String, options: WorkerOptions, events: @escaping @Sendable (WorkerEvent) -> Void = { _ in }
    )
        throws -> [GameRow]
    {
        let shared = WorkerState()
        releaseAbandoned(options, events)
        DispatchQueue.concurrentPerform(iterations: options.gamesAtOnce) { _ in
            while shared.failure == nil, !options.stop.requested {
                // The teacher paused play: games in flight finish, no new one starts; a worker
                // that does not wait for more games stops here.
                if (try? store.courseSettings().paused) == true {
                    if !options.wait { return }
                    Thread.sleep(forTimeInterval: options.poll)
                    continue
                }
                let claim: Claim?
                do {
                    claim = try store.claim(by: options.identity, lease: options.lease, skipping: shared.skipping)
                } catch {
                    events(.storeTrouble("\(error)"))
                    Thread.sleep(forTimeInterval: options.poll)
                    continue
                }
                if let claim, !options.stop.hold(claim) {
                    try? store.release(claim, reason: "the worker is stopping")
                    return
                }
                defer { if let claim { options.stop.drop(claim) } }
                guard let claim else {
                    if !options.wait, (try? nothingLeft(for: options.identity.name, shared: shared)) == true { return }
                    releaseAbandoned(options, events)
                    Thread.sleep(forTimeInterval: options.poll)
                    continue
                }
                do {
                    if let row = try play(claim, gonet: gonet, options: options, shared: shared, events: events) {
                        shared.append(row)
                        if let status = try? store.status() { events(.finished(row, status)) }
                    }
                } catch {
                    shared.fail(error)
                }
            }
        }
        if let failure = shared.failure { throw failure }
        return shared.rows
    }

    /// Frees at once the games of workers on this host whose process is gone (a `kill -9`, a
    /// crash), instead of waiting for their leases to run out.
    private func releaseAbandoned(_ options: WorkerOptions, _ events: (WorkerEvent) -> Void) {
        do {
            _ = try store.releaseAbandoned(on: options.identity.host) { pid in kill(pid, 0) == 0 || errno == EPERM }
        } catch {
            events(.storeTrouble("\(error)"))
        }
    }

    /// Nothing this worker could still play: no free game that avoids its skipped entrants, and
    /// no game in flight at another worker (whose lease might run out).
    private func nothingLeft(for name: String, shared: WorkerState) throws -> Bool {
        let s = try store.status()
        if s.inFlight.contains(where: { $0.worker != name }) { return false }
        if s.waiting == 0 { return true }
        // Games are waiting: only those of entrants this worker cannot run remain.
        return !shared.skipping.isEmpty
    }

    /// Plays one claimed game; nil when it was given back or its lease was lost.
    private func play(
        _ claim: Claim, gonet: String, options: WorkerOptions, shared: WorkerState,
        events: @escaping @Sendable (WorkerEvent) -> Void
    ) throws -> GameRow? {
        let all: [Entrant]
        do { all = try store.entrants() } catch {
            // The store is away: the lease runs out and the game is claimed again.
            events(.storeTrouble("\(error)"))
            return nil
        }
        guard let black = all.first(where: { $0.id == claim.slot.black }),
            let white = all.first(where: { $0.id == claim.slot.white })
        else {
            try store.release(claim, reason: "entrant \(claim.slot.black) or \(claim.slot.white) is not registered")
            return nil
        }
        // An engine the worker's machine does not have is that machine's problem, not the entrant's loss.
        for e in [black, white] where e.kind == .engine {
            let program = try e.commandWords()[0]
            if GTPClient.executable(program) == nil {
                let reason = "\(program) (\(e.label)) is not installed on \(options.identity.host)"
                shared.skip(e.id!)
                try store.release(claim, reason: reason)
                events(.gaveBack(slot: claim.slot.key, reason: reason))
                return nil
            }
        }
        // A network that cannot be fetched or whose bytes do not match its sha256 is no result
        // of the game: the game goes back, and this worker leaves that entrant alone.
        var commands: [[String]] = []
        for e in [black, white] {
            do { commands.append(try command(for: e, gonet: gonet)) } catch {
                let reason = "\(e.label) cannot run on \(options.identity.host): \(error)"
                if e.kind == .network { shared.skip(e.id!) }
                try? store.release(claim, reason: reason)
                events(.gaveBack(slot: claim.slot.key, reason: reason))
                return nil
            }
        }
        let heartbeat = Heartbeat(claim: claim, store: store, lease: options.lease, events: events)
        defer { heartbeat.stop() }
        let (outcome, sgfName) = playGame(claim.slot, black: black, white: white, commands: commands)
        let record = SGFWriter.sgf(outcome.record) + "\n"
        // Through a temporary file and a rename: a reader never sees half a record.
        try Data(record.utf8).write(to: URL(fileURLWithPath: file(sgfName)), options: .atomic)
        let row = GameRow(
            slot: claim.slot.key, black: black.id!, white: white.id!, result: outcome.result.description,
            winner: outcome.winner?.letter ?? "", reason: outcome.reason, moves: outcome.record.moves.count,
            sgf: sgfName, seconds: outcome.seconds, finished: Date(), worker: options.identity.name)
        // A database that is away for a while is waited for, up to one lease: after that another
        // worker may hold the game and the commit would be refused anyway.
        let deadline = Date().addingTimeInterval(options.lease)
        while true {
            do {
                guard try store.commit(row, record: record, for: claim) else {
                    events(.lostLease(slot: claim.slot.key))
                    return nil
                }
                // A match may be decided by this game; if the check fails, the next commit or
                // `gonet match` ends it.
                if config.sprt != nil { _ = try? endIfDecided() }
                return row
            } catch {
                guard Date() < deadline else { throw error }
                events(.storeTrouble("committing \(claim.slot.key): \(error)"))
                Thread.sleep(forTimeInterval: options.poll)
            }
        }
    }

    /// Plays a slot with fresh engine processes; an engine that cannot start forfeits.
    private func playGame(_ slot: ScheduledSlot, black: Entrant, white: Entrant, commands: [[String]])
        -> (GameOutcome, String)
    {
        let name = "games/\(slot.key)-\(black.label)-vs-\(white.label).sgf".replacingOccurrences(of: " ", with: "_")
        let log = GameLog(path: file("logs/\(slot.key).log"))
        defer { log.close() }
        let referee = Referee(
            komi: config.komi, moveCap: config.moveCap, secondsPerMove: config.secondsPerMove,
            opening: Referee.randomOpening(count: config.randomOpeningMoves, seed: slot.openingSeed),
            scoring: config.scoring, refereeEngine: config.refereeEngine)
        let date = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let blackClient: GTPClient
        do {
            blackClient = try GTPClient(command: commands[0], log: log, directory: workspace)
        } catch {
            return (forfeit(.black, black: black, white: white, why: "cannot start: \(error)"), name)
        }
        defer { blackClient.stop() }
        let whiteClient: GTPClient
        do {
            whiteClient = try GTPClient(command: commands[1], log: log, directory: workspace)
        } catch {
            return (forfeit(.white, black: black, white: white, why: "cannot start: \(error)"), name)
        }
        defer { whiteClient.stop() }
        let outcome = referee.play(
            black: blackClient, white: whiteClient, blackName: black.label, whiteName: white.label, date: date)
        return (outcome, name)
    }

    private func forfeit(_ loser: Stone, black: Entrant, white: Entrant, why: String) -> GameOutcome {
        var r = GameRecord(size: Board.standardSize, komi: config.komi)
        r.blackPlayer = black.label
        r.whitePlayer = white.label
        r.result = .win(loser.opponent, .forfeit)
        r.extraProperties = [SGFProperty("C", ["\(loser) forfeits: \(why)"])]
        return GameOutcome(
            winner: loser.opponent, result: r.result, reason: "\(loser) forfeits: \(why)", record: r, seconds: 0)
    }
}

/// Stops a worker: no claims after `request`, and `giveBack` returns the games in flight to the
/// schedule at once (a worker stopped by systemd or Slurm should not make others wait a lease).
public final class WorkerStop: Sendable {
    private let state = Mutex((stopping: false, held: [String: Claim]()))

    /// No stop asked yet.
    public init() {}

    /// Whether a stop was asked.
    public var requested: Bool { state.withLock { $0.stopping } }

    /// Stops claiming; games in flight play on.
    public func request() { state.withLock { $0.stopping = true } }

    /// Gives every game in flight back to `store`.
    public func giveBack(to store: any TournamentStore) {
        request()
        for claim in state.withLock({ Array($0.held.values) }) {
            try? store.release(claim, reason: "the worker was stopped")
        }
    }

    func hold(_ c: Claim) -> Bool {
        state.withLock {
            if $0.stopping { return false }
            $0.held[c.token] = c
            return true
        }
    }

    func drop(_ c: Claim) { _ = state.withLock { $0.held.removeValue(forKey: c.token) } }
}

/// Renews a claim every quarter lease while its game is played.
private final class Heartbeat: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(
        claim: Claim, store: any TournamentStore, lease: TimeInterval, events: @escaping @Sendable (WorkerEvent) -> Void
    ) {
        let thread = Thread { [done, finished] in
            while done.wait(timeout: .now() + lease / 4) == .timedOut {
                do {
                    if try !store.renew(claim, lease: lease) { break }
                } catch {
                    events(.storeTrouble("heartbeat for \(claim.slot.key): \(error)"))
                }
            }
            finished.signal()
        }
        thread.start()
    }

    func stop() {
        done.signal()
        finished.wait()
    }
}

/// What a worker's game threads share.
private final class WorkerState: Sendable {
    private let state = Mutex((rows: [GameRow](), skipping: Set<Int64>(), failure: (any Error)?.none))

    var rows: [GameRow] { state.withLock { $0.rows } }
    var skipping: Set<Int64> { state.withLock { $0.skipping } }
    var failure: Error? { state.withLock { $0.failure } }
    func append(_ r: GameRow) { state.withLock { $0.rows.append(r) } }
    func skip(_ id: Int64) { _ = state.withLock { $0.skipping.insert(id) } }
    func fail(_ e: Error) { state.withLock { $0.failure = $0.failure ?? e } }
}
