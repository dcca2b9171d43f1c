import Foundation

/// How repetition is forbidden.
public enum KoRule: String, Sendable {
    /// Only the immediate recapture of a single stone is illegal.
    case simple
    /// No move may recreate an earlier position of the board (Tromp-Taylor, Chinese, CGOS).
    case positionalSuperko = "superko"
}

/// One move of a game's history.
public struct PlayedMove: Hashable, Sendable {
    /// Who played.
    public var color: Stone
    /// What was played.
    public var move: Move

    /// `move` played by `color`.
    public init(_ color: Stone, _ move: Move) {
        self.color = color
        self.move = move
    }
}

/// A move that the rules refuse.
public struct IllegalMoveError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
    /// The refused move.
    public var move: PlayedMove
    /// Why it is refused.
    public var reason: Legality
    /// The number of moves already played when it was tried.
    public var moveNumber: Int
    /// The board size, to name the point as GTP does.
    public var size: Int

    /// The move and why it is illegal.
    public var description: String {
        let what: String
        switch reason {
        case .offBoard: what = "off the board"
        case .occupied: what = "point occupied"
        case .suicide: what = "suicide"
        case .ko: what = "ko recapture"
        case .superko: what = "repeats an earlier position (superko)"
        case .legal: what = "legal"
        }
        return
            "illegal move \(move.color.letter) \(Coordinates.gtp(move.move, size: size)) at move \(moveNumber + 1): \(what)"
    }
}

/// A stone put on or taken off the board between moves (SGF `AB`, `AW`, `AE` after the root:
/// problem collections, edited records).
public struct SetupStone: Hashable, Sendable {
    /// How many moves had been played when it was applied.
    public var beforeMove: Int
    /// The point changed.
    public var point: Point
    /// The stone put there, or nil when the point is emptied.
    public var stone: Stone?

    /// An edit of `point` to `stone` (nil: empty) before move `beforeMove`.
    public init(beforeMove: Int, point: Point, stone: Stone?) {
        self.beforeMove = beforeMove
        self.point = point
        self.stone = stone
    }
}

/// A game in progress: the board, the full history, the side to move, ko rule and undo.
public struct Game: Sendable {
    /// Side length.
    public let size: Int
    /// Points given to White.
    public var komi: Double
    /// Simple ko or positional superko.
    public var koRule: KoRule
    /// The board now.
    public private(set) var board: Board
    /// The colour to play next.
    public private(set) var toMove: Stone = .black
    /// Stones placed before the first move (handicap, SGF AB/AW).
    public private(set) var setup: [PlayedMove] = []
    /// Every move played, in order.
    public private(set) var moves: [PlayedMove] = []
    /// Stones put on or taken off between moves, in order.
    public private(set) var edits: [SetupStone] = []
    /// Board hashes of every position so far, for positional superko.
    var seen: Set<UInt64> = []

    /// A new game on an empty board.
    public init(size: Int = Board.standardSize, komi: Double = 7.5, koRule: KoRule = .positionalSuperko) {
        self.size = size
        self.komi = komi
        self.koRule = koRule
        board = Board(size: size)
        seen.reserveCapacity(512)
        seen.insert(board.hash)
    }

    /// Consecutive passes at the end of the history.
    public var consecutivePasses: Int {
        var n = 0
        for m in moves.reversed() { if m.move == .pass { n += 1 } else { break } }
        return n
    }

    /// Two passes in a row end the game.
    public var isOver: Bool { consecutivePasses >= 2 }

    /// The last move played, if any.
    public var lastMove: PlayedMove? { moves.last }

    /// Whether `color` may play `move` now under this game's ko rule.
    public func legality(_ move: Move, for color: Stone) -> Legality {
        let basic = board.legality(move, for: color)
        guard basic == .legal, koRule == .positionalSuperko, move != .pass else { return basic }
        return seen.contains(board.hash(after: move, by: color)) ? .superko : .legal
    }

    /// Plays a move (by the side to move unless a colour is given); throws when it is illegal.
    public mutating func play(_ move: Move, by color: Stone? = nil) throws(IllegalMoveError) {
        let c = color ?? toMove
        let why = legality(move, for: c)
        guard why == .legal else {
            throw IllegalMoveError(move: PlayedMove(c, move), reason: why, moveNumber: moves.count, size: size)
        }
        board.play(move, c)
        seen.insert(board.hash)
        moves.append(PlayedMove(c, move))
        toMove = c.opponent
    }

    /// Puts setup stones on an empty board before any move; White moves next when Black got a handicap.
    public mutating func placeSetup(_ stones: [PlayedMove]) {
        for s in stones {
            guard let p = s.move.point, p.isOn(size: size), board[p] == nil else { continue }
            board.place(p, s.color)
            setup.append(s)
        }
        seen = [board.hash]
        if setup.contains(where: { $0.color == .black }) && !setup.contains(where: { $0.color == .white }) {
            toMove = .white
        }
    }

    /// Puts stones on or takes them off the board now (SGF `AB`/`AW`/`AE` in a later node). The
    /// board is rebuilt from the resulting stones (a group left without liberties is taken off,
    /// as a placed stone would capture it), ko is cleared, and the superko history starts again
    /// from this position: a position edited by hand has no history to repeat.
    public mutating func edit(_ changes: [SetupStone]) {
        var stones: [Point: Stone] = [:]
        for p in board.allPoints { if let s = board[p] { stones[p] = s } }
        for c in changes where c.point.isOn(size: size) {
            stones[c.point] = c.stone
            edits.append(SetupStone(beforeMove: moves.count, point: c.point, stone: c.stone))
        }
        var rebuilt = Board(size: size)
        for p in board.allPoints { if let s = stones[p] { rebuilt.place(p, s) } }
        board = rebuilt
        seen = [board.hash]
    }

    /// Sets the side to move (SGF `PL`, or a record whose first move is White's).
    public mutating func setToMove(_ color: Stone) { toMove = color }

    /// Takes back the last move; false when there is none.
    @discardableResult
    public mutating func undo() -> Bool {
        guard !moves.isEmpty else { return false }
        undo(to: moves.count - 1)
        return true
    }

    /// Rewinds the game to the position after its first `count` moves.
    public mutating func undo(to count: Int) {
        let kept = Array(moves.prefix(max(0, count)))
        let handicapToMove = toMoveAfterSetup
        board = Board(size: size)
        for s in setup { if let p = s.move.point { board.place(p, s.color) } }
        seen = [board.hash]
        moves = []
        toMove = handicapToMove
        let allEdits = edits
        edits = []
        func applyEdits() {
            let now = allEdits.filter { $0.beforeMove == moves.count }
            if !now.isEmpty { edit(now) }
        }
        for m in kept {
            applyEdits()
            board.play(m.move, m.color)
            seen.insert(board.hash)
            moves.append(m)
            toMove = m.color.opponent
        }
        // Edits made right after the last kept move belong to this position; later ones go.
        applyEdits()
    }

    var toMoveAfterSetup: Stone {
        setup.contains(where: { $0.color == .black }) && !setup.contains(where: { $0.color == .white })
            ? .white : .black
    }

    /// Places GTP's fixed handicap on an empty board; returns the points, or nil when not allowed.
    public mutating func placeFixedHandicap(_ stones: Int) -> [Point]? {
        guard moves.isEmpty, setup.isEmpty, let points = Handicap.fixedPoints(stones, size: size) else { return nil }
        placeSetup(points.map { PlayedMove(.black, .play($0)) })
        return points
    }

    /// Places a free handicap chosen by the player (GTP `set_free_handicap`): at least two
    /// distinct points, fewer than the board has, on an empty board; nil with the reason otherwise.
    public mutating func setFreeHandicap(_ points: [Point]) -> FreeHandicapProblem? {
        guard moves.isEmpty, setup.isEmpty else { return .boardNotEmpty }
        guard points.count >= 2, points.count < size * size else { return .count }
        guard points.allSatisfy({ $0.isOn(size: size) }) else { return .offBoard }
        guard Set(points).count == points.count else { return .repeated }
        placeSetup(points.map { PlayedMove(.black, .play($0)) })
        return nil
    }

    /// Tromp-Taylor area score with this game's komi, after taking the `dead` stones off.
    public func score(dead: Set<Point> = []) -> Score { board.areaScore(komi: komi, dead: dead) }
}

/// Why free handicap stones cannot be placed (GTP's `set_free_handicap`).
public enum FreeHandicapProblem: Sendable, Equatable {
    /// Moves or stones are already on the board.
    case boardNotEmpty
    /// Fewer than 2 stones, or as many as the board has points.
    case count
    /// A point is off the board.
    case offBoard
    /// A point is given twice.
    case repeated
}
