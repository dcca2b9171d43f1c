import Foundation
import GoNetwork
import GoRules

/// A tournament's settings, `DIR/tournament.json`.
public struct TournamentConfig: Codable, Sendable, Equatable {
    /// Games per pairing (colours alternate).
    public var gamesPerPairing = 4
    /// Komi.
    public var komi = 7.5
    /// How games that end on the board are scored: "tromp-taylor" (strict; "area" is its old
    /// name) or "dead-removed" (area scoring after the players' or the referee engine's dead stones).
    public var scoring = ScoringRule.trompTaylor
    /// The engine that decides dead stones when the players disagree (dead-removed scoring).
    public var refereeEngine = Referee.defaultRefereeEngine
    /// Moves after which the game is scored as it stands.
    public var moveCap = 450
    /// How networks play: "policy" or "mcts". In mcts mode a network searches `visits` playouts
    /// per move, or, with `"visits": null`, for the time a move allows (see `searchSeconds`).
    public var networkMode = PlayMode.policy
    /// Visits per move in mcts mode; nil searches for the time a move allows.
    public var visits: Int? = 100
    /// Seconds an engine may take per move before it forfeits.
    public var secondsPerMove = 10.0
    /// Win rate under which networks resign (`gonet gtp --resign-threshold`); nil: they play on.
    public var resignThreshold: Double?
    /// Largest number of trainable parameters a submitted network may have.
    public var parameterBudget = 100_000
    /// Games played at once.
    public var concurrency = 2
    /// Moves chosen at random by the referee at the start, for variety (the same for both colours of a pairing's game pair).
    public var randomOpeningMoves = 4
    /// "round-robin", or "gauntlet" (everyone against `reference`).
    public var schedule = "round-robin"
    /// The gauntlet's entrant everyone plays.
    public var reference: String?
    /// Seed of the random openings.
    public var seed: UInt64 = 1
    /// A match: stop scheduling once this test between the two entrants decides, from the side of
    /// the first one registered (nil: play every game). A third entrant is refused.
    public var sprt: SPRT?

    /// The defaults of `gonet tournament init`.
    public init() {}

    /// The `tournament.json` keys whose values differ from `other`'s, sorted (what a refused
    /// resume names, so the user sees which setting to repeat).
    func keysDiffering(from other: TournamentConfig) -> [String] {
        func fields(_ c: TournamentConfig) -> [String: Any] {
            guard let data = try? JSONEncoder().encode(c),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return [:] }
            return object
        }
        // Each value written back as sorted JSON: comparable on Linux, where Foundation's values
        // do not bridge to NSObject.
        func json(_ value: Any?) -> Data? {
            value.flatMap { try? JSONSerialization.data(withJSONObject: [$0], options: .sortedKeys) }
        }
        let (a, b) = (fields(self), fields(other))
        return Set(a.keys).union(b.keys).filter { json(a[$0]) != json(b[$0]) }.sorted()
    }

    enum CodingKeys: String, CodingKey {
        case gamesPerPairing, komi, scoring, refereeEngine, moveCap, networkMode, visits, secondsPerMove,
            resignThreshold, parameterBudget, concurrency
        case randomOpeningMoves, schedule, reference, seed, sprt
    }

    /// Every key is written, `"visits": null` included (a missing key would read back as the default).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(gamesPerPairing, forKey: .gamesPerPairing)
        try c.encode(komi, forKey: .komi)
        try c.encode(scoring, forKey: .scoring)
        try c.encode(refereeEngine, forKey: .refereeEngine)
        try c.encode(moveCap, forKey: .moveCap)
        try c.encode(networkMode, forKey: .networkMode)
        try c.encode(visits, forKey: .visits)
        try c.encode(secondsPerMove, forKey: .secondsPerMove)
        try c.encodeIfPresent(resignThreshold, forKey: .resignThreshold)
        try c.encode(parameterBudget, forKey: .parameterBudget)
        try c.encode(concurrency, forKey: .concurrency)
        try c.encode(randomOpeningMoves, forKey: .randomOpeningMoves)
        try c.encode(schedule, forKey: .schedule)
        try c.encodeIfPresent(reference, forKey: .reference)
        try c.encode(seed, forKey: .seed)
        try c.encodeIfPresent(sprt, forKey: .sprt)
    }

    /// Missing keys keep their defaults; a wrong type or a value out of range is an error naming the key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Numbers are read as JSON numbers and checked here, so that `"seed": -1` or `1e20` gets a
        // message naming the key instead of a decoder dump.
        func number(_ key: CodingKeys) throws -> Double? {
            guard c.contains(key) else { return nil }
            guard let x = try? c.decode(Double.self, forKey: key) else {
                throw TournamentError("\(key.stringValue) must be a number")
            }
            return x
        }
        func integer(_ key: CodingKeys, _ range: ClosedRange<Double>) throws -> Int? {
            guard let x = try number(key) else { return nil }
            guard x == x.rounded(), range.contains(x) else {
                throw TournamentError(
                    "\(key.stringValue) must be an integer from \(Int(range.lowerBound)) to \(Int(range.upperBound)), not \(x)"
                )
            }
            return Int(x)
        }
        func text(_ key: CodingKeys) throws -> String? {
            guard c.contains(key) else { return nil }
            guard let s = try? c.decode(String.self, forKey: key) else {
                throw TournamentError("\(key.stringValue) must be a string")
            }
            return s
        }
        gamesPerPairing = try integer(.gamesPerPairing, 1...10_000) ?? gamesPerPairing
        komi = try number(.komi) ?? komi
        if let name = try text(.scoring) {
            guard let rule = ScoringRule(name: name) else {
                throw TournamentError(
                    "scoring must be \(ScoringRule.allCases.map(\.rawValue).joined(separator: " or ")), not \(name)")
            }
            scoring = rule
        }
        if c.contains(.refereeEngine) {
            guard let words = try? c.decode([String].self, forKey: .refereeEngine) else {
                throw TournamentError("refereeEngine must be a list of strings (the command and its arguments)")
            }
            refereeEngine = words
        }
        moveCap = try integer(.moveCap, 1...10_000) ?? moveCap
        if let name = try text(.networkMode) {
            guard let mode = PlayMode(rawValue: name) else {
                throw TournamentError("networkMode must be policy or mcts, not \(name)")
            }
            networkMode = mode
        }
        if c.contains(.visits), try c.decodeNil(forKey: .visits) {
            visits = nil
        } else {
            visits = try integer(.visits, 1...1_000_000) ?? visits
        }
        secondsPerMove = try number(.secondsPerMove) ?? secondsPerMove
        resignThreshold = try number(.resignThreshold)
        parameterBudget = try integer(.parameterBudget, 1...1_000_000_000) ?? parameterBudget
        concurrency = try integer(.concurrency, 1...Double(Self.mostGamesAtOnce)) ?? concurrency
        randomOpeningMoves = try integer(.randomOpeningMoves, 0...Double(Self.mostOpeningMoves)) ?? randomOpeningMoves
        schedule = try text(.schedule) ?? schedule
        reference = try text(.reference)
        if let x = try number(.seed) {
            guard x == x.rounded(), x >= 0, x < 0x1p64 else {
                throw TournamentError("seed must be a whole number from 0 to 2^64-1, not \(x)")
            }
            seed = UInt64(x)
        }
        if c.contains(.sprt), try !c.decodeNil(forKey: .sprt) {
            guard let test = try? c.decode(SPRT.self, forKey: .sprt) else {
                throw TournamentError("sprt must be {\"elo0\": …, \"elo1\": …, \"alpha\": …, \"beta\": …} with numbers")
            }
            sprt = test
        }
        try validate()
    }

    /// Games at once: more than a machine has cores is no use, and each game holds two processes.
    static let mostGamesAtOnce = 256
    /// Random opening moves: 75 leaves most of a game to the players (and a colour pair shares them).
    static let mostOpeningMoves = 75
    /// Seconds per move: a day is far past any real time control.
    static let longestMove = 86_400.0

    /// Checks every value's range, naming the key: at `init`, before `run` and at load.
    public func validate() throws {
        guard ["round-robin", "gauntlet"].contains(schedule) else {
            throw TournamentError("schedule must be round-robin or gauntlet, not \(schedule)")
        }
        guard !refereeEngine.isEmpty else { throw TournamentError("refereeEngine must name a command") }
        guard Limits.isValidKomi(komi, size: Board.standardSize) else {
            let k = Int(Limits.komi(size: Board.standardSize))
            throw TournamentError("komi must be a number from -\(k) to \(k), not \(komi)")
        }
        if let r = resignThreshold, !(r >= 0 && r < 1) {
            throw TournamentError("resignThreshold must be in 0..<1, not \(r)")
        }
        guard (0...Self.mostOpeningMoves).contains(randomOpeningMoves) else {
            throw TournamentError("randomOpeningMoves must be 0 to \(Self.mostOpeningMoves), not \(randomOpeningMoves)")
        }
        guard (1...10_000).contains(gamesPerPairing) else {
            throw TournamentError("gamesPerPairing must be 1 to 10000, not \(gamesPerPairing)")
        }
        guard (1...Self.mostGamesAtOnce).contains(concurrency) else {
            throw TournamentError("concurrency must be 1 to \(Self.mostGamesAtOnce), not \(concurrency)")
        }
        guard (1...10_000).contains(moveCap) else {
            throw TournamentError("moveCap must be 1 to 10000, not \(moveCap)")
        }
        if let visits, !(1...1_000_000).contains(visits) {
            throw TournamentError("visits must be 1 to 1000000 (or null: search by time), not \(visits)")
        }
        guard secondsPerMove > 0, secondsPerMove <= Self.longestMove else {
            throw TournamentError(
                "secondsPerMove must be more than 0 and at most \(Int(Self.longestMove)), not \(secondsPerMove)")
        }
        try sprt?.validate()
        guard parameterBudget >= 1 else {
            throw TournamentError("parameterBudget must be positive, not \(parameterBudget)")
        }
    }

    /// Seconds a network searches per move when it plays by time: the referee's limit less a
    /// fifth for process start-up, pipes and the network's batch in flight (measured: a 2 s move
    /// limit left 0.2–0.3 s between a search's end and the referee's clock on a loaded 2-core machine).
    public var searchSeconds: Double { secondsPerMove * 0.8 }

    /// Reads `DIR/tournament.json`, naming the key that is wrong.
    public static func load(_ dir: String) throws -> TournamentConfig {
        let path = (dir as NSString).appendingPathComponent("tournament.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TournamentError("\(path) not found: run `gonet tournament init \(dir)` first")
        }
        return try decode(data, source: path)
    }

    /// Reads a config's JSON; errors name `source` (a file, or the database's config row).
    public static func decode(_ data: Data, source: String) throws -> TournamentConfig {
        do { return try JSONDecoder().decode(TournamentConfig.self, from: data) } catch let e as TournamentError {
            throw TournamentError("\(source): \(e.message)")
        } catch {
            throw TournamentError("\(source): not valid JSON")
        }
    }

    /// The config as JSON (sorted keys, pretty).
    public func json() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try enc.encode(self)
    }

    /// Writes `DIR/tournament.json`.
    public func save(_ dir: String) throws {
        try json().write(
            to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("tournament.json")), options: .atomic)
    }
}

/// A tournament operation that cannot be done, and why.
public struct TournamentError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
    /// What is wrong.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
