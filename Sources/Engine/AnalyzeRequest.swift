import GoNetwork
import GoRules

/// Moves a search may not choose at the root, as Leela Zero's `avoid` and `allow` tags give them:
/// each entry holds for one colour until an absolute move number.
public struct MoveRestrictions: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var color: Stone
        var move: Move
        /// The last move number (1-based, the game's next move is `moves.count + 1`) it holds for.
        var untilMove: Int
    }
    var avoid: [Entry] = []
    var allow: [Entry] = []

    /// No restriction.
    public static let none = MoveRestrictions()

    /// Whether no move is restricted.
    public var isEmpty: Bool { avoid.isEmpty && allow.isEmpty }

    /// Whether `color` may play `move` as move number `moveNumber`. With an `allow` list in
    /// force only its moves (and the pass) may be played, as in Leela Zero.
    public func permits(_ move: Move, by color: Stone, moveNumber: Int) -> Bool {
        if avoid.contains(where: { $0.color == color && $0.move == move && moveNumber <= $0.untilMove }) {
            return false
        }
        guard move != .pass else { return true }
        let active = allow.filter { $0.color == color && moveNumber <= $0.untilMove }
        return active.isEmpty || active.contains { $0.move == move }
    }
}

/// The arguments of `lz-analyze`, `lz-genmove_analyze` and `kata-analyze`, in Leela Zero's and
/// KataGo's grammar: tags in any order, `[COLOR] [INTERVAL | interval N] [avoid|allow COLOR
/// VERTICES UNTIL]… [minmoves N] [ownership true|false]`, where VERTICES is a comma-separated list
/// of vertices and `A1:C3` rectangles, and UNTIL counts moves from the current one.
public struct AnalyzeRequest: Sendable, Equatable {
    /// The side whose moves are analysed.
    public var color: Stone
    /// Seconds between output lines (the arguments give centiseconds).
    public var interval: Double = 1
    /// The `avoid`/`allow` moves of the request.
    public var restrictions = MoveRestrictions()
    /// Candidates each line must hold at least (fewer only when fewer moves exist).
    public var minMoves = 0
    /// KataGo's `ownership true`: append the ownership of every point.
    public var ownership = false

    /// The shortest interval honoured: a client asking for less would get lines faster than a
    /// search can change them (Leela Zero has no floor; 5 cs keeps a GUI's pipe light).
    static let shortestInterval = 0.05
    /// The longest: an hour between lines is already no analysis at all.
    static let longestIntervalCentis = 360_000

    /// Parses `words` for a game whose next move is number `nextMove` and whose side to move is `toMove`.
    public init(_ words: [String], toMove: Stone, nextMove: Int, boardSize: Int = 19) throws {
        color = toMove
        var i = 0
        var intervalCentis = 100
        func take() throws -> String {
            guard i < words.count else { throw EngineError("syntax error") }
            defer { i += 1 }
            return words[i]
        }
        while i < words.count {
            let tag = try take().lowercased()
            switch tag {
            case "b", "w", "black", "white":
                color = Stone(name: tag)!
            case "interval":
                intervalCentis = try GTPArguments.integer(try take(), 0...Self.longestIntervalCentis)
            case "minmoves":
                minMoves = try GTPArguments.integer(try take(), 0...Features.moves)
            case "ownership":
                switch try take().lowercased() {
                case "true": ownership = true
                case "false": ownership = false
                default: throw EngineError("syntax error")
                }
            case "avoid", "allow":
                guard let c = Stone(name: try take()) else { throw EngineError("syntax error") }
                let moves = try Self.vertices(try take(), size: boardSize)
                let until = try GTPArguments.integer(try take(), 1...100_000)
                let entries = moves.map { MoveRestrictions.Entry(color: c, move: $0, untilMove: nextMove - 1 + until) }
                if tag == "avoid" { restrictions.avoid += entries } else { restrictions.allow += entries }
            default:
                // A bare number is the interval (Leela Zero's first form).
                guard tag.allSatisfy(\.isNumber) else { throw EngineError("syntax error") }
                intervalCentis = try GTPArguments.integer(tag, 0...Self.longestIntervalCentis)
            }
        }
        // Leela Zero refuses `allow` together with `avoid` of a real move for the same colour.
        for s in Stone.allCases
        where restrictions.allow.contains(where: { $0.color == s })
            && restrictions.avoid.contains(where: { $0.color == s && $0.move != .pass })
        {
            throw EngineError("syntax error")
        }
        interval = max(Double(intervalCentis) / 100, Self.shortestInterval)
    }

    /// `Q16,D4,A1:C3` as moves (rectangles expanded; `pass` allowed only alone, not in a rectangle).
    static func vertices(_ text: String, size: Int) throws -> [Move] {
        var out: [Move] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard ends.count <= 2, let first = Coordinates.move(gtp: ends[0], size: size) else {
                throw EngineError("syntax error")
            }
            guard ends.count == 2 else {
                out.append(first)
                continue
            }
            guard case .play(let a) = first, case .play(let b)? = Coordinates.move(gtp: ends[1], size: size) else {
                throw EngineError("syntax error")
            }
            for y in min(a.y, b.y)...max(a.y, b.y) {
                for x in min(a.x, b.x)...max(a.x, b.x) { out.append(.play(Point(x: x, y: y))) }
            }
        }
        return out
    }
}
