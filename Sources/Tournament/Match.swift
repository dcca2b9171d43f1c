import Foundation
import GTP
import GoRecords
import GoRules

/// The settings of a head-to-head match, kept in `DIR/match.json` so a rerun resumes it.
public struct MatchSettings: Codable, Sendable, Equatable {
    /// Engine A and engine B as given (`EngineSpec` syntax).
    public var a: String
    public var b: String
    /// Games to play (colours alternate: A is Black in even-numbered games).
    public var games = 60
    public var komi = 7.5
    public var scoring = ScoringRule.trompTaylor
    public var refereeEngine = Referee.defaultRefereeEngine
    /// Moves after which a game is scored as it stands.
    public var moveCap = 450
    /// Seconds an engine may take per move before it forfeits.
    public var secondsPerMove = 10.0
    /// Random moves played by the referee first; both games of a colour pair share them.
    public var openingMoves = 4
    /// Win rate under which network engines resign (nil: they never do).
    public var resignThreshold: Double?
    public var seed: UInt64 = 1
    /// Stop once the SPRT decides (nil: play every game).
    public var sprt: SPRT?

    public init(a: String, b: String) {
        self.a = a
        self.b = b
    }

    /// Refuses values that cannot make a match, naming the setting.
    public func validate() throws {
        guard (1...100_000).contains(games) else { throw TournamentError("games must be 1 to 100000, not \(games)") }
        guard Limits.isValidKomi(komi, size: 19) else {
            throw TournamentError("komi must be a number from -361 to 361, not \(komi)")
        }
        guard (1...10_000).contains(moveCap) else {
            throw TournamentError("move cap must be 1 to 10000, not \(moveCap)")
        }
        guard secondsPerMove.isFinite, secondsPerMove > 0, secondsPerMove <= 86_400 else {
            throw TournamentError("seconds per move must be above 0 and at most 86400, not \(secondsPerMove)")
        }
        guard (0...75).contains(openingMoves) else {
            throw TournamentError("opening moves must be 0 to 75, not \(openingMoves)")
        }
        if let r = resignThreshold, !(r.isFinite && r >= 0 && r < 1) {
            throw TournamentError("resign threshold must be in 0..<1, not \(r)")
        }
        if let s = sprt {
            guard s.elo0.isFinite, s.elo1.isFinite, s.elo0 < s.elo1 else {
                throw TournamentError("SPRT needs elo0 < elo1")
            }
            guard s.alpha > 0, s.alpha < 0.5, s.beta > 0, s.beta < 0.5 else {
                throw TournamentError("SPRT's alpha and beta must be in 0..<0.5")
            }
        }
    }
}

/// One finished game of a match, a line of `DIR/results.jsonl`.
public struct MatchGame: Codable, Sendable, Equatable {
    public var index: Int
    public var aIsBlack: Bool
    /// "A", "B", or "draw" (also for a game the referee could not decide).
    public var winner: String
    /// SGF's RE.
    public var result: String
    public var reason: String
    public var moves: Int
    /// Stones of A and of B captured after move 250 (endgame collapses show here).
    public var aCapturedLate: Int
    public var bCapturedLate: Int
    public var seconds: Double
    /// The SGF's path relative to the match directory.
    public var sgf: String
}

/// A head-to-head match between two engines through the tournament's referee: N games with
/// alternating colours and random openings, several at once, saved as SGF, resumable, and
/// stopped early by an SPRT when one is set.
public final class Match {
    public let directory: String
    public let settings: MatchSettings
    let engines: (a: EngineSpec, b: EngineSpec)

    /// The move after which captured stones count as endgame losses (the issue's measure).
    public static let lateMove = 250

    /// Opens `directory`, creating it with `settings`, or resuming the match already there
    /// (whose engines, komi, scoring, openings and seed must be the same; the game count may grow).
    public init(directory: String, settings: MatchSettings) throws {
        try settings.validate()
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        engines = (try EngineSpec(parsing: settings.a), try EngineSpec(parsing: settings.b))
        let fm = FileManager.default
        for sub in ["", "games", "logs"] {
            try fm.createDirectory(atPath: self.directory + "/" + sub, withIntermediateDirectories: true)
        }
        let path = self.directory + "/match.json"
        if let data = fm.contents(atPath: path) {
            let old: MatchSettings
            do { old = try JSONDecoder().decode(MatchSettings.self, from: data) } catch {
                throw TournamentError("\(path) is not a match's settings: \(error)")
            }
            var same = settings
            same.games = old.games
            same.sprt = old.sprt
            same.secondsPerMove = old.secondsPerMove
            guard same == old else {
                throw TournamentError(
                    "\(directory) holds another match (\(old.a) against \(old.b)); use a new directory")
            }
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try enc.encode(settings).write(to: URL(fileURLWithPath: path), options: .atomic)
        self.settings = settings
    }

    /// The games played so far, in the order they finished.
    public func results() throws -> [MatchGame] {
        guard let data = FileManager.default.contents(atPath: directory + "/results.jsonl") else { return [] }
        var games: [MatchGame] = []
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n")
        for (n, line) in lines.enumerated() {
            guard let g = try? JSONDecoder().decode(MatchGame.self, from: Data(line.utf8)) else {
                // A last line cut short by a kill is the game that was being written: it is played again.
                if n == lines.count - 1 && !text.hasSuffix("\n") { continue }
                throw TournamentError("\(directory)/results.jsonl line \(n + 1) is not a game")
            }
            games.append(g)
        }
        return games
    }

    /// The statistics of a set of games, from A's side.
    public static func statistics(_ games: [MatchGame]) -> MatchStatistics {
        MatchStatistics(
            wins: games.filter { $0.winner == "A" }.count, draws: games.filter { $0.winner == "draw" }.count,
            losses: games.filter { $0.winner == "B" }.count)
    }

    /// Plays the games not played yet, `concurrency` at once; `progress` hears of each finished
    /// game with all games so far. Stops scheduling new games once the SPRT decides.
    @discardableResult
    public func run(gonet: String, concurrency: Int, progress: @escaping (MatchGame, [MatchGame]) -> Void = { _, _ in })
        throws -> [MatchGame]
    {
        var all = try results()
        let done = Set(all.map(\.index))
        let todo = (0..<settings.games).filter { !done.contains($0) }
        let lock = NSLock()
        var next = 0
        var failure: Error?
        func decided() -> Bool {
            guard let s = settings.sprt else { return false }
            let st = Self.statistics(all)
            return s.decision(wins: st.wins, draws: st.draws, losses: st.losses) != .continueTesting
        }
        DispatchQueue.concurrentPerform(iterations: max(1, min(concurrency, todo.count))) { _ in
            while true {
                lock.lock()
                guard next < todo.count, failure == nil, !decided() else {
                    lock.unlock()
                    return
                }
                let index = todo[next]
                next += 1
                lock.unlock()
                do {
                    let g = try play(index, gonet: gonet)
                    lock.lock()
                    all.append(g)
                    let snapshot = all
                    defer { lock.unlock() }
                    try append(g)
                    progress(g, snapshot)
                } catch {
                    lock.lock()
                    failure = failure ?? error
                    lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return all
    }

    /// Plays game `index` with fresh engine processes and saves its SGF.
    func play(_ index: Int, gonet: String) throws -> MatchGame {
        let aIsBlack = index % 2 == 0
        let (black, white) = aIsBlack ? (engines.a, engines.b) : (engines.b, engines.a)
        let (blackName, whiteName) =
            aIsBlack
            ? ("A: \(engines.a.label)", "B: \(engines.b.label)") : ("B: \(engines.b.label)", "A: \(engines.a.label)")
        let name = String(format: "%05d", index)
        let logPath = "\(directory)/logs/\(name).log"
        let log = GameLog(path: logPath)
        defer { log.close() }
        // Both games of a colour pair open the same way.
        var seed = settings.seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(index / 2) &* 0xBF58_476D_1CE4_E5B9
        seed ^= seed >> 31
        let referee = Referee(
            komi: settings.komi, moveCap: settings.moveCap, secondsPerMove: settings.secondsPerMove,
            opening: Referee.randomOpening(count: settings.openingMoves, seed: seed),
            scoring: settings.scoring, refereeEngine: settings.refereeEngine)
        let date = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let outcome: GameOutcome
        do {
            let b = try GTPClient(
                command: black.command(
                    gonet: gonet, name: "black", seed: UInt64(index + 1), resignThreshold: settings.resignThreshold),
                log: log)
            defer { b.stop() }
            let w = try GTPClient(
                command: white.command(
                    gonet: gonet, name: "white", seed: UInt64(index + 1), resignThreshold: settings.resignThreshold),
                log: log)
            defer { w.stop() }
            outcome = referee.play(black: b, white: w, blackName: blackName, whiteName: whiteName, date: date)
        } catch {
            throw TournamentError("game \(index): cannot start an engine: \(error)")
        }
        let sgf = "games/\(name).sgf"
        try AtomicText.write(SGFWriter.sgf(outcome.record) + "\n", to: "\(directory)/\(sgf)")
        let late = Self.capturedLate(outcome.record)
        let winner = outcome.winner.map { ($0 == .black) == aIsBlack ? "A" : "B" } ?? "draw"
        return MatchGame(
            index: index, aIsBlack: aIsBlack, winner: winner, result: outcome.result.description,
            reason: outcome.reason,
            moves: outcome.record.moves.count, aCapturedLate: aIsBlack ? late.black : late.white,
            bCapturedLate: aIsBlack ? late.white : late.black, seconds: outcome.seconds, sgf: sgf)
    }

    /// Black's and White's stones captured after move `lateMove` of a record.
    static func capturedLate(_ record: GameRecord) -> (black: Int, white: Int) {
        guard let end = try? record.replay(koRule: .positionalSuperko) else { return (0, 0) }
        var early = Game(size: record.size, komi: record.komi)
        for m in record.moves.prefix(lateMove) { try? early.play(m.move, by: m.color) }
        // Black's stones are what White captured, and the other way round.
        return (
            end.board.captures(by: .white) - early.board.captures(by: .white),
            end.board.captures(by: .black) - early.board.captures(by: .black)
        )
    }

    private func append(_ g: MatchGame) throws {
        let path = directory + "/results.jsonl"
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { throw TournamentError("cannot write \(path)") }
        defer { try? h.close() }
        h.seekToEndOfFile()
        h.write(try JSONEncoder().encode(g) + Data("\n".utf8))
    }
}

extension Match {
    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    public static func median(_ values: [Int]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The summary `gonet match` prints: results with intervals, the SPRT's state, game lengths
    /// and late captures.
    public func report(_ games: [MatchGame]) -> [String] {
        let st = Self.statistics(games)
        var lines = ["A: \(engines.a.label)", "B: \(engines.b.label)", "\(st.games) games: A \(st.summary)"]
        let asBlack = Self.statistics(games.filter(\.aIsBlack))
        let asWhite = Self.statistics(games.filter { !$0.aIsBlack })
        lines.append(
            "A as Black \(asBlack.wins)-\(asBlack.draws)-\(asBlack.losses), as White \(asWhite.wins)-\(asWhite.draws)-\(asWhite.losses)"
        )
        if let s = settings.sprt {
            let llr = s.llr(wins: st.wins, draws: st.draws, losses: st.losses)
            let d = s.decision(wins: st.wins, draws: st.draws, losses: st.losses)
            let verdict = d == .acceptH1 ? "H1 accepted" : d == .acceptH0 ? "H0 accepted" : "continue"
            lines.append(
                String(
                    format: "SPRT elo0 %g elo1 %g alpha %g beta %g: LLR %.2f [%.2f, %.2f] — %@", s.elo0, s.elo1,
                    s.alpha, s.beta,
                    llr, s.lowerBound, s.upperBound, verdict))
        }
        lines.append(
            String(
                format: "game length: median %g moves; stones captured after move %d: median A %g, B %g",
                Self.median(games.map(\.moves)), Self.lateMove, Self.median(games.map(\.aCapturedLate)),
                Self.median(games.map(\.bCapturedLate))))
        let ends = Dictionary(grouping: games) { g -> String in
            if g.reason.contains("resigns") { return "resignation" }
            if g.reason.contains("forfeits") { return "forfeit" }
            if g.reason.hasPrefix("move cap") { return "move cap" }
            return "two passes"
        }
        lines.append("endings: " + ends.keys.sorted().map { "\($0) \(ends[$0]!.count)" }.joined(separator: ", "))
        return lines
    }
}
