import Foundation
import GTP
import GoNetwork
import GoRecords
import GoRules
import Synchronization

/// The settings of a head-to-head match; they become the config of the tournament that holds it.
public struct MatchSettings: Sendable, Equatable {
    /// Engine A and engine B as given (`EngineSpec` syntax).
    public var a: String
    /// Engine B as given.
    public var b: String
    /// Games to play (colours alternate: A is Black in even-numbered games).
    public var games = 60
    /// Komi.
    public var komi = 7.5
    /// How finished games are scored.
    public var scoring = ScoringRule.trompTaylor
    /// The engine that decides dead stones when the players disagree.
    public var refereeEngine = Referee.defaultRefereeEngine
    /// Moves after which a game is scored as it stands.
    public var moveCap = 450
    /// Seconds an engine may take per move before it forfeits.
    public var secondsPerMove = 10.0
    /// Random moves played by the referee first; both games of a colour pair share them.
    public var openingMoves = 4
    /// Win rate under which network engines resign (nil: they never do).
    public var resignThreshold: Double?
    /// Seed of the random openings.
    public var seed: UInt64 = 1
    /// Stop once the SPRT decides (nil: play every game).
    public var sprt: SPRT?

    /// A match of `a` against `b` with the defaults.
    public init(a: String, b: String) {
        self.a = a
        self.b = b
    }

    /// The tournament config that plays these settings (refused, naming the key, when out of range).
    public func config() throws -> TournamentConfig {
        guard (1...10_000).contains(games) else { throw TournamentError("games must be 1 to 10000, not \(games)") }
        var c = TournamentConfig()
        c.gamesPerPairing = games
        c.komi = komi
        c.scoring = scoring
        c.refereeEngine = refereeEngine
        c.moveCap = moveCap
        c.secondsPerMove = secondsPerMove
        c.randomOpeningMoves = openingMoves
        c.resignThreshold = resignThreshold
        c.seed = seed
        c.sprt = sprt
        // Each side names its own mode; a match is not a course's budget contest.
        c.parameterBudget = 1_000_000_000
        try c.validate()
        return c
    }
}

/// One finished game of a match, from A's side.
public struct MatchGame: Sendable, Equatable {
    /// How a game ended.
    public enum Ending: String, Sendable, CaseIterable {
        case twoPasses = "two passes"
        case moveCap = "move cap"
        case resignation
        /// An illegal move, no answer in time, a crash.
        case forfeit
        /// The referee could not score it.
        case undecided

        /// How a game with this result and record ended: a game scored on the board ended by two
        /// passes when its record ends with them (or no record is at hand), else at the move cap.
        public init(_ result: GameResult, record: GameRecord?) {
            switch result {
            case .win(_, .resignation): self = .resignation
            case .win(_, .forfeit), .win(_, .time): self = .forfeit
            case .unknown, .void: self = .undecided
            case .win, .draw:
                let last = record?.moves.suffix(2).map(\.move) ?? [.pass, .pass]
                self = last == [.pass, .pass] ? .twoPasses : .moveCap
            }
        }
    }

    /// Game k of the match (the schedule's round).
    public var index: Int
    /// Whether A had Black.
    public var aIsBlack: Bool
    /// A's outcome (a draw also for a game the referee could not decide).
    public var outcome: SPRT.Outcome
    /// SGF's RE.
    public var result: String
    /// How it ended.
    public var ending: Ending
    /// Why it ended, in the referee's words.
    public var reason: String
    /// Moves played.
    public var moves: Int
    /// Stones of A and of B captured after move 250 (endgame collapses show here).
    var aCapturedLate: Int
    var bCapturedLate: Int
    /// Seconds the game took.
    public var seconds: Double
    /// The SGF's name in the tournament's workspace (the store keeps its text).
    public var sgf: String
}

/// A head-to-head match between two engines: a tournament of two entrants (in a directory or in
/// PostgreSQL, so `gonet tournament worker` on other machines can help) whose games alternate
/// colours in pairs sharing a random opening, played by the tournament's worker and referee,
/// resumable, and ended by an SPRT when one is set.
public final class Match: Sendable {
    /// The tournament of two entrants that holds the match.
    public let tournament: Tournament
    /// The settings it was created (or resumed) with.
    public let settings: MatchSettings
    let engines: (a: EngineSpec, b: EngineSpec)
    /// Games already read back, by slot (their SGF is parsed once for the late captures).
    private let known = Mutex([String: MatchGame]())

    /// The move after which captured stones count as endgame losses.
    static let lateMove = 250

    /// Sets the match up in `tournament`: registers A and B in a new one (unless `registering` is
    /// false: then a side missing is an error), or checks that the one there is this match (same
    /// engines, network bytes and settings; the game count may change). A summary (`registering`
    /// false) plays nothing, so it reads the match whatever komi, seed or time it was played with.
    public init(tournament: Tournament, settings: MatchSettings, registering: Bool = true) throws {
        self.tournament = tournament
        self.settings = settings
        engines = (try EngineSpec(parsing: settings.a), try EngineSpec(parsing: settings.b))
        var wanted = try settings.config()
        wanted.gamesPerPairing = tournament.config.gamesPerPairing
        wanted.concurrency = tournament.config.concurrency
        guard wanted == tournament.config || !registering else {
            let keys = wanted.keysDiffering(from: tournament.config)
            let differ = keys.count == 1 ? "differs" : "differ"
            throw TournamentError(
                "\(tournament.workspace) holds another match or tournament (its \(keys.joined(separator: ", ")) \(differ) from this command's); resume it with the same settings or use a new location"
            )
        }
        let names = [Self.name("A", engines.a), Self.name("B", engines.b)]
        let present = try tournament.store.current()
        guard present.allSatisfy({ names.contains($0.name) }) else {
            throw TournamentError(
                "\(tournament.workspace) holds another match or tournament (entrants \(present.map(\.label).joined(separator: ", "))); use a new location"
            )
        }
        for (name, spec) in zip(names, [engines.a, engines.b]) {
            if let e = present.first(where: { $0.name == name }) {
                guard try Self.plays(e, as: spec) else {
                    throw TournamentError(
                        "\(tournament.workspace) holds another match (\(e.label) has changed); use a new location")
                }
                continue
            }
            guard registering else {
                throw TournamentError("\(tournament.workspace) holds no match (no entrant \(name))")
            }
            switch spec {
            case .network(let path, let mode, let visits):
                try tournament.submit(
                    network: path, name: name, author: nil,
                    play: NetworkPlay(mode: mode, visits: mode == .mcts ? visits : nil))
            case .command:
                try tournament.submit(engine: name == names[0] ? settings.a : settings.b, name: name, author: nil)
            }
        }
    }

    /// Opens the match in a tournament directory, creating it if it is new (unless `creating` is
    /// false). A directory of the old format (`match.json`, `results.jsonl`) is refused, its games
    /// left as they are.
    public static func open(directory: String, settings: MatchSettings, creating: Bool = true) throws -> Match {
        let fm = FileManager.default
        if fm.fileExists(atPath: (directory as NSString).appendingPathComponent("match.json")) {
            throw TournamentError(
                "\(directory) holds a match of an older gonet (match.json, results.jsonl): its games stay there; use a new directory"
            )
        }
        let exists = fm.fileExists(atPath: (directory as NSString).appendingPathComponent("tournament.json"))
        guard exists || creating else { throw TournamentError("\(directory) holds no match (no tournament.json)") }
        let t =
            exists
            ? try Tournament.open(directory: directory) : try Tournament.create(directory, config: settings.config())
        return try Match(tournament: t, settings: settings, registering: creating)
    }

    /// An entrant's name for side `side`: the side and the engine, in the characters names allow.
    static func name(_ side: String, _ spec: EngineSpec) -> String {
        let cleaned = spec.label.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }
        return String((side + "." + String(cleaned)).prefix(64))
    }

    /// Whether a registered entrant is `spec`: the same network bytes and way to play, or the same command.
    static func plays(_ e: Entrant, as spec: EngineSpec) throws -> Bool {
        switch spec {
        case .network(let path, let mode, let visits):
            guard e.kind == .network, let play = try e.networkPlay(), play.mode == mode,
                play.visits == (mode == .mcts ? visits : nil)
            else { return false }
            return SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))) == e.sha256
        case .command(let words):
            return e.kind == .engine && (try? e.commandWords()) == words
        }
    }

    /// The games played so far (by any worker), in the order they were committed.
    public func results() throws -> [MatchGame] {
        guard let (a, b) = try tournament.matchSides() else { return [] }
        return try tournament.store.games().filter { Set([$0.black, $0.white]) == Set([a.id, b.id]) }.map { row in
            if let g = known.withLock({ $0[row.slot] }) { return g }
            let g = try game(row, a: a)
            known.withLock { $0[row.slot] = g }
            return g
        }
    }

    private func game(_ row: GameRow, a: Entrant) throws -> MatchGame {
        let aIsBlack = row.black == a.id
        let record = try tournament.store.record(of: row).flatMap { try SGFReader.records(text: $0).first }
        let late = record.map(Self.capturedLate) ?? (black: 0, white: 0)
        let outcome: SPRT.Outcome = row.winner.isEmpty ? .draw : (row.winner == "B") == aIsBlack ? .win : .loss
        return MatchGame(
            index: Int(row.slot.split(separator: "-").last ?? "") ?? 0, aIsBlack: aIsBlack, outcome: outcome,
            result: row.result, ending: MatchGame.Ending(GameResult(sgf: row.result), record: record),
            reason: row.reason,
            moves: row.moves,
            aCapturedLate: aIsBlack ? late.black : late.white, bCapturedLate: aIsBlack ? late.white : late.black,
            seconds: row.seconds, sgf: row.sgf)
    }

    /// The statistics of a set of games, from A's side.
    public static func statistics(_ games: [MatchGame]) -> MatchStatistics {
        MatchStatistics(
            wins: games.filter { $0.outcome == .win }.count, draws: games.filter { $0.outcome == .draw }.count,
            losses: games.filter { $0.outcome == .loss }.count)
    }

    /// Schedules the games not played yet and plays them, `concurrency` at once, until none is
    /// left here or elsewhere or the SPRT decides; `progress` hears of each game this process
    /// finishes with all games so far, `note` of games given back and a store that is away.
    @discardableResult
    public func run(
        gonet: String, concurrency: Int, progress: @escaping @Sendable (MatchGame, [MatchGame]) -> Void = { _, _ in },
        note: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> [MatchGame] {
        try tournament.reschedule(gamesPerPairing: settings.games, strict: true)
        try tournament.work(gonet: gonet, options: WorkerOptions(gamesAtOnce: concurrency)) { [self] event in
            switch event {
            case .finished(let row, _):
                if let all = try? results(), let g = all.first(where: { $0.sgf == row.sgf }) { progress(g, all) }
            case .gaveBack(let slot, let reason): note("game \(slot) given back: \(reason)")
            case .lostLease(let slot): note("game \(slot) was played elsewhere after its lease ran out")
            case .storeTrouble(let why): note("store: \(why)")
            }
        }
        return try results()
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
}

extension Match {
    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    public static func median(_ values: [Int]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The SPRT's line of the summary for A's outcomes in commit order: the LLR, the bounds and the
    /// decision, with the game that decided it when games in flight then were played out after it.
    public static func sprtLine(_ s: SPRT, _ outcomes: [SPRT.Outcome]) -> String {
        let stop = s.stop(along: outcomes)
        let verdict =
            stop.decision == .acceptH1 ? "H1 accepted" : stop.decision == .acceptH0 ? "H0 accepted" : "continue"
        var line = String(
            format: "SPRT elo0 %g elo1 %g alpha %g beta %g: LLR %.2f [%.2f, %.2f] — %@", s.elo0, s.elo1, s.alpha,
            s.beta, stop.llr, s.lowerBound, s.upperBound, verdict)
        let after = outcomes.count - stop.games
        if after > 0 {
            let w = outcomes.filter { $0 == .win }.count
            let d = outcomes.filter { $0 == .draw }.count
            let now = s.llr(wins: w, draws: d, losses: outcomes.count - w - d)
            line += String(
                format: " at game %d; with the %d %@ in flight then played out, the LLR is %.2f", stop.games, after,
                after == 1 ? "game" : "games", now)
        }
        return line
    }

    /// The line `gonet match` prints after each game, as cutechess-cli's rating interval does:
    /// the score so far with its 95% intervals and, with an SPRT, the LLR against its bounds.
    public func progressLine(_ games: [MatchGame]) -> String {
        var line = "\(games.count) game\(games.count == 1 ? "" : "s"): A \(Self.statistics(games).summary)"
        if let s = settings.sprt {
            let outcomes = games.map(\.outcome)
            let stop = s.stop(along: outcomes)
            line += String(format: "; LLR %.2f [%.2f, %.2f]", stop.llr, s.lowerBound, s.upperBound)
            if stop.decision != .continueTesting { line += " " + stop.decision.rawValue + " accepted" }
        }
        return line
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
            let outcomes = games.map(\.outcome)
            lines.append(Self.sprtLine(s, outcomes))
        }
        lines.append(
            String(
                format: "game length: median %g moves; stones captured after move %d: median A %g, B %g",
                Self.median(games.map(\.moves)), Self.lateMove, Self.median(games.map(\.aCapturedLate)),
                Self.median(games.map(\.bCapturedLate))))
        let ends = Dictionary(grouping: games, by: \.ending.rawValue)
        lines.append("endings: " + ends.keys.sorted().map { "\($0) \(ends[$0]!.count)" }.joined(separator: ", "))
        return lines
    }
}
