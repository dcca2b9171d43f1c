import Foundation
import GoNetwork
import GoRules

/// An answer the analysis protocol gives instead of a result: `{"error": …, "field": …, "id": …}`,
/// or with `warning` instead of `error` when the query still runs.
struct AnalysisProtocolError: Error, Equatable {
    var message: String
    var field: String?
    var id: String?

    init(_ message: String, field: String? = nil, id: String? = nil) {
        self.message = message
        self.field = field
        self.id = id
    }

    /// The answer line's object.
    func json(key: String = "error") -> [String: Any] {
        var o: [String: Any] = [key: message]
        if let field { o["field"] = field }
        if let id { o["id"] = id }
        return o
    }
}

/// Whose side the win rates, score leads and ownership of an answer are told from
/// (KataGo's `reportAnalysisWinratesAs`).
public enum ReportPerspective: String, Sendable, CaseIterable {
    case black = "BLACK"
    case white = "WHITE"
    case sideToMove = "SIDETOMOVE"

    /// +1 when a value for `toMove` is reported as it is, -1 when it is turned to the other side.
    func sign(toMove: Stone) -> Double {
        switch self {
        case .sideToMove: return 1
        case .black: return toMove == .black ? 1 : -1
        case .white: return toMove == .white ? 1 : -1
        }
    }
}

/// One analysis query of KataGo's JSON protocol, checked: the game (setup stones, moves, rules,
/// komi), which turns to analyse and how.
struct AnalysisQuery {
    var id: String
    /// The position before any move: setup stones, komi and ko rule, the side to move of turn 0.
    var start: Game
    var moves: [PlayedMove]
    var turns: [Int]
    var priorities: [Int]
    var maxVisits: Int?
    var maxTime: Double?
    var includeOwnership = false
    var includeMovesOwnership = false
    var includePolicy = false
    var includePVVisits = false
    var reportEvery: Double?
    var perspective: ReportPerspective
    /// `avoidMoves`/`allowMoves`: (colour, moves, plies from the analysed turn, allow).
    var restrictions: [(color: Stone, moves: [Move], depth: Int, allow: Bool)] = []
    /// Warnings to send before the results (settings read but not honoured).
    var warnings: [AnalysisProtocolError] = []

    /// The largest `maxVisits`: a search of this many is hours of a CPU and a tree of gigabytes,
    /// and KaTrain's endless pondering asks 10,000,000.
    static let mostVisits = PlayerSettings.mostVisits
    /// The most moves a query may hold: twice the longest professional game on record (411 moves)
    /// and then some; each analysed turn replays them.
    static let mostMoves = 1_000
    /// The longest `maxTime` or report interval: a day.
    static let longestSeconds = 86_400.0

    /// A query for every turn of a game, as `AnalysisEngine.review` makes it.
    init(id: String, start: Game, moves: [PlayedMove], maxVisits: Int?) {
        self.id = id
        self.start = start
        self.moves = moves
        turns = Array(0...moves.count)
        priorities = turns.map { _ in 0 }
        self.maxVisits = maxVisits
        perspective = .sideToMove
    }

    /// Reads a query object; the error names the field, as KataGo's do.
    init(_ fields: [String: JSONValue], defaults: ReportPerspective) throws(AnalysisProtocolError) {
        guard case .string(let id)? = fields["id"] else {
            throw AnalysisProtocolError("Required field 'id' is missing or not a string", field: "id")
        }
        self.id = id
        func fail(_ message: String, _ field: String) -> AnalysisProtocolError {
            AnalysisProtocolError(message, field: field, id: id)
        }
        func integer(_ field: String, _ range: ClosedRange<Int>) throws(AnalysisProtocolError) -> Int? {
            guard let v = fields[field] else { return nil }
            guard case .number(let n) = v, n == n.rounded(), n >= Double(range.lowerBound),
                n <= Double(range.upperBound)
            else { throw fail("Must be an integer from \(range.lowerBound) to \(range.upperBound)", field) }
            return Int(n)
        }
        func flag(_ field: String) throws(AnalysisProtocolError) -> Bool {
            guard let v = fields[field] else { return false }
            guard case .bool(let b) = v else { throw fail("Must be a boolean", field) }
            return b
        }
        for field in ["boardXSize", "boardYSize"] {
            guard let size = try integer(field, 1...Board.maxSize) else {
                throw fail("Required field is missing", field)
            }
            guard size == Board.standardSize else {
                throw fail("gonet's networks play on 19x19 boards only, not \(size)", field)
            }
        }
        guard let rulesValue = fields["rules"] else { throw fail("Required field is missing", "rules") }
        let rules: AnalysisRules
        do { rules = try AnalysisRules.parse(rulesValue) } catch { throw fail(error.message, "rules") }
        var komi = 7.5
        if let k = fields["komi"] {
            guard case .number(let n) = k, n.isFinite, abs(n) <= 150, (2 * n).rounded() == 2 * n else {
                throw fail("Must be an integer or half-integer from -150 to 150", "komi")
            }
            komi = n
        }
        let setup = try Self.placements(fields["initialStones"], field: "initialStones", id: id) ?? []
        var seen = Set<Point>()
        for s in setup {
            guard let p = s.move.point, seen.insert(p).inserted else {
                throw fail(
                    "Stone placed twice or a pass among the stones: \(Coordinates.gtp(s.move, size: Board.standardSize))",
                    "initialStones")
            }
        }
        guard let moves = try Self.placements(fields["moves"], field: "moves", id: id) else {
            throw fail("Required field is missing", "moves")
        }
        self.moves = moves
        // A top-level whiteHandicapBonus takes precedence over the rules' own, as in KataGo.
        var bonus = rules.handicapBonus
        if let b = fields["whiteHandicapBonus"] {
            guard case .string(let text) = b, let parsed = AnalysisRules.HandicapBonus(rawValue: text.uppercased())
            else {
                throw fail("Must be \"0\", \"N\" or \"N-1\"", "whiteHandicapBonus")
            }
            bonus = parsed
        }
        let handicap = setup.contains { $0.color == .white } ? 0 : setup.count
        var game = Game(size: Board.standardSize, komi: komi + bonus.points(handicap), koRule: rules.koRule)
        game.placeSetup(setup)
        if let p = fields["initialPlayer"] {
            guard case .string(let name) = p, let c = Stone(name: name) else {
                throw fail("Must be \"B\" or \"W\"", "initialPlayer")
            }
            game.setToMove(c)
        } else if let first = moves.first {
            game.setToMove(first.color)
        }
        start = game
        // Every move is checked now, so that an illegal one is refused before anything runs.
        for (i, m) in moves.enumerated() {
            do { try game.play(m.move, by: m.color) } catch {
                throw fail(
                    "Illegal move \(i): \(Coordinates.gtp(m.move, size: Board.standardSize)) (\(error.reason))", "moves"
                )
            }
        }
        turns = try Self.turns(fields["analyzeTurns"], moves: moves.count, id: id)
        let priority = try integer("priority", -1_000_000_000...1_000_000_000) ?? 0
        priorities =
            try Self.priorities(fields["priorities"], turns: turns.count, id: id) ?? turns.map { _ in priority }
        maxVisits = try integer("maxVisits", 1...Self.mostVisits)
        includeOwnership = try flag("includeOwnership")
        includeMovesOwnership = try flag("includeMovesOwnership")
        includePolicy = try flag("includePolicy")
        includePVVisits = try flag("includePVVisits")
        if let r = fields["reportDuringSearchEvery"] {
            guard case .number(let s) = r, s.isFinite, s > 0, s <= Self.longestSeconds else {
                throw fail("Must be a number of seconds above 0", "reportDuringSearchEvery")
            }
            reportEvery = s
        }
        perspective = defaults
        for (field, allow) in [("avoidMoves", false), ("allowMoves", true)] {
            if let v = fields[field] { restrictions += try Self.restrictions(v, field: field, allow: allow, id: id) }
        }
        if let o = fields["overrideSettings"] {
            guard case .object(let settings) = o else { throw fail("Must be an object", "overrideSettings") }
            try readOverrides(settings)
        }
        let known: Set<String> = [
            "id", "moves", "initialStones", "initialPlayer", "rules", "komi", "boardXSize", "boardYSize",
            "analyzeTurns", "maxVisits", "includeOwnership", "includeMovesOwnership", "includePolicy",
            "includePVVisits", "avoidMoves", "allowMoves", "overrideSettings", "reportDuringSearchEvery",
            "priority", "priorities", "whiteHandicapBonus",
        ]
        for key in fields.keys.sorted() where !known.contains(key) {
            warnings.append(fail("Unexpected or unused field", key))
        }
    }

    /// `analyzeTurns`: turn numbers from 0 to `moves` (default: the last position only).
    private static func turns(_ value: JSONValue?, moves: Int, id: String) throws(AnalysisProtocolError) -> [Int] {
        guard let value else { return [moves] }
        guard case .array(let values) = value, !values.isEmpty, values.count <= moves + 1 else {
            throw AnalysisProtocolError(
                "Must be a list of 1 to \(moves + 1) turn numbers", field: "analyzeTurns", id: id)
        }
        return try values.map { v throws(AnalysisProtocolError) in
            guard case .number(let n) = v, n == n.rounded(), n >= 0, n <= Double(moves) else {
                throw AnalysisProtocolError(
                    "Turn numbers must be integers from 0 to \(moves)", field: "analyzeTurns", id: id)
            }
            return Int(n)
        }
    }

    /// `priorities`: one integer per analysed turn (nil when absent).
    private static func priorities(_ value: JSONValue?, turns: Int, id: String) throws(AnalysisProtocolError)
        -> [Int]?
    {
        guard let value else { return nil }
        guard case .array(let values) = value, values.count == turns else {
            throw AnalysisProtocolError("Must be a list as long as analyzeTurns", field: "priorities", id: id)
        }
        return try values.map { v throws(AnalysisProtocolError) in
            guard case .number(let n) = v, n == n.rounded(), abs(n) <= 1e9 else {
                throw AnalysisProtocolError("Priorities must be integers", field: "priorities", id: id)
            }
            return Int(n)
        }
    }

    /// `avoidMoves` or `allowMoves` (`allow`; exactly one entry): per entry the player, the moves
    /// and the depth until which the rule holds.
    private static func restrictions(_ value: JSONValue, field: String, allow: Bool, id: String)
        throws(AnalysisProtocolError) -> [(color: Stone, moves: [Move], depth: Int, allow: Bool)]
    {
        func fail(_ message: String) -> AnalysisProtocolError { AnalysisProtocolError(message, field: field, id: id) }
        guard case .array(let entries) = value, !allow || entries.count == 1 else {
            throw fail(allow ? "Must be a list of exactly one object" : "Must be a list of objects")
        }
        return try entries.map { e throws(AnalysisProtocolError) in
            guard case .object(let o) = e, case .string(let who)? = o["player"], let c = Stone(name: who),
                case .array(let list)? = o["moves"], case .number(let depth)? = o["untilDepth"],
                depth == depth.rounded(), depth >= 1, depth <= 1_000_000
            else { throw fail("Each entry needs player, moves and a positive untilDepth") }
            let ms = try list.map { m throws(AnalysisProtocolError) in
                guard case .string(let text) = m, let move = location(text) else {
                    throw fail("Could not parse a move in the list")
                }
                return move
            }
            return (c, ms, Int(depth), allow)
        }
    }

    /// KataGo's per-query settings that gonet honours; the others are reported as not used.
    private mutating func readOverrides(_ settings: [String: JSONValue]) throws(AnalysisProtocolError) {
        var unused: [String] = []
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            switch (key, value) {
            case ("reportAnalysisWinratesAs", .string(let s)):
                guard let p = ReportPerspective(rawValue: s.uppercased()) else {
                    throw AnalysisProtocolError(
                        "reportAnalysisWinratesAs must be BLACK, WHITE or SIDETOMOVE", field: "overrideSettings", id: id
                    )
                }
                perspective = p
            case ("maxTime", .number(let t)):
                guard t.isFinite, t > 0 else {
                    throw AnalysisProtocolError(
                        "maxTime must be a positive number of seconds", field: "overrideSettings", id: id)
                }
                maxTime = min(t, Self.longestSeconds)
            case ("maxVisits", .number(let n)), ("maxPlayouts", .number(let n)):
                guard n == n.rounded(), n >= 1, n <= Double(Self.mostVisits) else {
                    throw AnalysisProtocolError(
                        "\(key) must be an integer from 1 to \(Self.mostVisits)", field: "overrideSettings", id: id)
                }
                maxVisits = maxVisits ?? Int(n)
            default:
                unused.append(key)
            }
        }
        if !unused.isEmpty {
            warnings.append(
                AnalysisProtocolError(
                    "Settings gonet does not use, ignored: \(unused.joined(separator: ", "))",
                    field: "overrideSettings", id: id))
        }
    }

    /// `[["B","Q4"],…]` as moves; nil when the field is absent.
    private static func placements(_ value: JSONValue?, field: String, id: String) throws(AnalysisProtocolError)
        -> [PlayedMove]?
    {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            throw AnalysisProtocolError("Must be a list of [player, location] pairs", field: field, id: id)
        }
        let most = field == "moves" ? mostMoves : 19 * 19
        guard items.count <= most else {
            throw AnalysisProtocolError("\(items.count) entries: gonet reads at most \(most)", field: field, id: id)
        }
        return try items.enumerated().map { i, item throws(AnalysisProtocolError) in
            guard case .array(let pair) = item, pair.count == 2, case .string(let who) = pair[0],
                let c = Stone(name: who), case .string(let where_) = pair[1]
            else { throw AnalysisProtocolError("Entry \(i) is not a [player, location] pair", field: field, id: id) }
            guard let m = location(where_) else {
                throw AnalysisProtocolError("Could not parse location \(i): \(where_.prefix(20))", field: field, id: id)
            }
            return PlayedMove(c, m)
        }
    }

    /// A location as KataGo reads it: a GTP vertex (`Q4`, `pass`) or `(x,y)` from the top left.
    static func location(_ text: String) -> Move? {
        if let m = Coordinates.move(gtp: text, size: Board.standardSize) { return m }
        let t = text.filter { !$0.isWhitespace }
        guard t.hasPrefix("("), t.hasSuffix(")") else { return nil }
        let parts = t.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let x = Int(parts[0]), let y = Int(parts[1]) else { return nil }
        let p = Point(x: x, y: y)
        return p.isOn(size: Board.standardSize) ? .play(p) : nil
    }

    /// The game at `turn` (after `moves[0..<turn]`), its side to move the next move's player.
    func game(at turn: Int) -> Game {
        var g = start
        for m in moves[..<turn] { try? g.play(m.move, by: m.color) }
        if turn < moves.count { g.setToMove(moves[turn].color) }
        return g
    }

    /// The root restrictions of `turn` (`untilDepth` plies from its move on).
    func moveRestrictions(at turn: Int) -> MoveRestrictions {
        var r = MoveRestrictions()
        for entry in restrictions {
            let until = turn + entry.depth
            for m in entry.moves {
                let e = MoveRestrictions.Entry(color: entry.color, move: m, untilMove: until)
                if entry.allow { r.allow.append(e) } else { r.avoid.append(e) }
            }
        }
        return r
    }
}
