import Foundation
import GoRules

/// A tournament's settings, `DIR/tournament.json`.
public struct TournamentConfig: Codable, Sendable, Equatable {
    /// Games per pairing (colours alternate).
    public var gamesPerPairing = 4
    public var komi = 7.5
    /// How games that end on the board are scored: "tromp-taylor" (strict; "area" is its old
    /// name) or "dead-removed" (area scoring after the players' or the referee engine's dead stones).
    public var scoring = ScoringRule.trompTaylor
    /// The engine that decides dead stones when the players disagree (dead-removed scoring).
    public var refereeEngine = Referee.defaultRefereeEngine
    /// Moves after which the game is scored as it stands.
    public var moveCap = 450
    /// How networks play: "policy" or "mcts", with visits per move for mcts.
    public var networkMode = "policy"
    public var visits = 100
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
    public var reference: String?
    public var seed: UInt64 = 1

    public init() {}

    enum CodingKeys: String, CodingKey {
        case gamesPerPairing, komi, scoring, refereeEngine, moveCap, networkMode, visits, secondsPerMove, resignThreshold, parameterBudget, concurrency
        case randomOpeningMoves, schedule, reference, seed
    }

    /// Missing keys keep their defaults; a wrong type is an error naming the key.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gamesPerPairing = try c.decodeIfPresent(Int.self, forKey: .gamesPerPairing) ?? gamesPerPairing
        komi = try c.decodeIfPresent(Double.self, forKey: .komi) ?? komi
        if let name = try c.decodeIfPresent(String.self, forKey: .scoring) {
            guard let rule = ScoringRule(name: name) else {
                throw TournamentError("scoring must be \(ScoringRule.allCases.map(\.rawValue).joined(separator: " or ")), not \(name)")
            }
            scoring = rule
        }
        refereeEngine = try c.decodeIfPresent([String].self, forKey: .refereeEngine) ?? refereeEngine
        moveCap = try c.decodeIfPresent(Int.self, forKey: .moveCap) ?? moveCap
        networkMode = try c.decodeIfPresent(String.self, forKey: .networkMode) ?? networkMode
        visits = try c.decodeIfPresent(Int.self, forKey: .visits) ?? visits
        secondsPerMove = try c.decodeIfPresent(Double.self, forKey: .secondsPerMove) ?? secondsPerMove
        resignThreshold = try c.decodeIfPresent(Double.self, forKey: .resignThreshold)
        parameterBudget = try c.decodeIfPresent(Int.self, forKey: .parameterBudget) ?? parameterBudget
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency) ?? concurrency
        randomOpeningMoves = try c.decodeIfPresent(Int.self, forKey: .randomOpeningMoves) ?? randomOpeningMoves
        schedule = try c.decodeIfPresent(String.self, forKey: .schedule) ?? schedule
        reference = try c.decodeIfPresent(String.self, forKey: .reference)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        guard ["round-robin", "gauntlet"].contains(schedule) else { throw TournamentError("schedule must be round-robin or gauntlet, not \(schedule)") }
        guard ["policy", "mcts"].contains(networkMode) else { throw TournamentError("networkMode must be policy or mcts, not \(networkMode)") }
        guard !refereeEngine.isEmpty else { throw TournamentError("refereeEngine must name a command") }
        guard Limits.isValidKomi(komi, size: 19) else { throw TournamentError("komi must be a number from -361 to 361, not \(komi)") }
        if let r = resignThreshold, !(r >= 0 && r < 1) { throw TournamentError("resignThreshold must be in 0..<1, not \(r)") }
        guard (0...75).contains(randomOpeningMoves) else { throw TournamentError("randomOpeningMoves must be 0 to 75, not \(randomOpeningMoves)") }
        guard gamesPerPairing >= 1, concurrency >= 1, moveCap >= 1, secondsPerMove > 0 else { throw TournamentError("gamesPerPairing, concurrency, moveCap and secondsPerMove must be positive") }
    }

    public static func load(_ dir: String) throws -> TournamentConfig {
        let path = (dir as NSString).appendingPathComponent("tournament.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TournamentError("\(path) not found: run `gonet tournament init \(dir)` first")
        }
        do { return try JSONDecoder().decode(TournamentConfig.self, from: data) } catch {
            throw TournamentError("\(path): \(error)")
        }
    }

    public func save(_ dir: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try enc.encode(self).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("tournament.json")), options: .atomic)
    }
}

/// A tournament operation that cannot be done, and why.
public struct TournamentError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
