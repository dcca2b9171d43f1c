import Foundation
import GTP
import GoRecords
import GoRules

/// One game to play: who has Black, who has White, and the opening.
public struct Slot: Sendable, Equatable {
    /// Unique and stable: the same entrants and index give the same key, run after run.
    public var key: String
    public var black: Entrant
    public var white: Entrant
    public var openingSeed: UInt64
}

/// Round robin (every pair) or gauntlet (everyone against the reference), colours alternating.
public enum Scheduler {
    public static func slots(_ entrants: [Entrant], config: TournamentConfig, gamesPerPairing: Int) throws -> [Slot] {
        var pairs: [(Entrant, Entrant)] = []
        if config.schedule == "gauntlet" {
            guard let refName = config.reference, let ref = entrants.first(where: { $0.name == refName }) else {
                throw TournamentError("a gauntlet needs \"reference\" naming an entrant")
            }
            pairs = entrants.filter { $0.id != ref.id }.map { (ref, $0) }
        } else {
            for i in entrants.indices {
                for j in entrants.indices where j > i { pairs.append((entrants[i], entrants[j])) }
            }
        }
        var out: [Slot] = []
        // Game k of every pairing before game k + 1 of any: partial runs stay balanced.
        for k in 0..<gamesPerPairing {
            for (a, b) in pairs {
                let (black, white) = k % 2 == 0 ? (a, b) : (b, a)
                var seed = config.seed &* 0x9E37_79B9_7F4A_7C15
                seed ^=
                    UInt64(a.id ?? 0) &* 0xBF58_476D_1CE4_E5B9 ^ UInt64(b.id ?? 0) &* 0x94D0_49BB_1331_11EB
                    ^ UInt64(k / 2)
                out.append(Slot(key: "\(a.id ?? 0)-\(b.id ?? 0)-\(k)", black: black, white: white, openingSeed: seed))
            }
        }
        return out
    }
}

/// Progress of a run.
public struct RunProgress: Sendable {
    public var done: Int
    public var running: Int
    public var left: Int
    /// The game that just finished, if any.
    public var finished: GameRow?
}

extension TournamentDirectory {
    /// Plays every scheduled game not played yet, `concurrency` at a time; each game is saved as
    /// SGF and committed to the database as soon as it ends. Returns the games played now.
    @discardableResult
    public func run(
        gonet: String, concurrency: Int? = nil, gamesPerPairing: Int? = nil,
        progress: @escaping (RunProgress) -> Void = { _ in }
    ) throws -> [GameRow] {
        let entrants = try store.current()
        guard entrants.count >= 2 else {
            throw TournamentError("a tournament needs at least two entrants (gonet tournament submit)")
        }
        let all = try Scheduler.slots(
            entrants, config: config, gamesPerPairing: gamesPerPairing ?? config.gamesPerPairing)
        let played = try store.playedSlots()
        let todo = all.filter { !played.contains($0.key) }
        let workers = max(1, min(concurrency ?? config.concurrency, todo.count))
        let lock = NSLock()
        var next = 0
        var running = 0
        var done = 0
        var results: [GameRow] = []
        var failure: Error?
        progress(RunProgress(done: 0, running: 0, left: todo.count, finished: nil))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                lock.lock()
                guard next < todo.count, failure == nil else {
                    lock.unlock()
                    return
                }
                let slot = todo[next]
                next += 1
                running += 1
                lock.unlock()
                do {
                    let row = try playSlot(slot, gonet: gonet)
                    lock.lock()
                    running -= 1
                    done += 1
                    results.append(row)
                    let p = RunProgress(done: done, running: running, left: todo.count - done - running, finished: row)
                    lock.unlock()
                    progress(p)
                } catch {
                    lock.lock()
                    running -= 1
                    failure = failure ?? error
                    lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return results
    }

    /// Plays one slot with fresh engine processes, writes its SGF and commits it.
    func playSlot(_ slot: Slot, gonet: String) throws -> GameRow {
        let logPath = file("logs/\(slot.key).log")
        let log = GameLog(path: logPath)
        defer { log.close() }
        let referee = Referee(
            komi: config.komi, moveCap: config.moveCap, secondsPerMove: config.secondsPerMove,
            opening: Referee.randomOpening(count: config.randomOpeningMoves, seed: slot.openingSeed),
            scoring: config.scoring, refereeEngine: config.refereeEngine)
        let date = ISO8601DateFormatter().string(from: Date()).prefix(10)
        let outcome: GameOutcome
        // An engine that cannot even start forfeits the game.
        let black: GTPClient
        let white: GTPClient
        do {
            black = try GTPClient(command: try command(for: slot.black, gonet: gonet), log: log, directory: path)
        } catch {
            return try save(slot, forfeit: .black, why: "cannot start: \(error)")
        }
        do {
            white = try GTPClient(command: try command(for: slot.white, gonet: gonet), log: log, directory: path)
        } catch {
            black.stop()
            return try save(slot, forfeit: .white, why: "cannot start: \(error)")
        }
        outcome = referee.play(
            black: black, white: white, blackName: slot.black.label, whiteName: slot.white.label, date: String(date))
        black.stop()
        white.stop()
        return try save(slot, outcome)
    }

    func save(_ slot: Slot, forfeit loser: Stone, why: String) throws -> GameRow {
        var r = GameRecord(size: 19, komi: config.komi)
        r.blackPlayer = slot.black.label
        r.whitePlayer = slot.white.label
        r.result = .win(loser.opponent, .forfeit)
        r.extraProperties = [SGFProperty("C", ["\(loser) forfeits: \(why)"])]
        return try save(
            slot,
            GameOutcome(
                winner: loser.opponent, result: r.result, reason: "\(loser) forfeits: \(why)", record: r, seconds: 0))
    }

    func save(_ slot: Slot, _ o: GameOutcome) throws -> GameRow {
        let name = "games/\(slot.key)-\(slot.black.label)-vs-\(slot.white.label).sgf".replacingOccurrences(
            of: " ", with: "_")
        try AtomicText.write(SGFWriter.sgf(o.record) + "\n", to: file(name))
        let row = GameRow(
            id: nil, slot: slot.key, black: slot.black.id!, white: slot.white.id!, result: o.result.description,
            winner: o.winner?.letter ?? "", reason: o.reason, moves: o.record.moves.count, sgf: name,
            seconds: o.seconds, finished: Date())
        try store.record(row)
        return row
    }
}

/// Whole-file text writes through a temporary file and a rename.
enum AtomicText {
    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
