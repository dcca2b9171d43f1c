/// An intersection: `x` the column from the left, `y` the row from the top (SGF's order).
public struct Point: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The column, 0 at the left.
    public var x: Int
    /// The row, 0 at the top.
    public var y: Int

    /// The point at column `x`, row `y`.
    @inlinable public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    /// The point of index `y * size + x` (docs/FORMATS.md's point index on a 19x19 board).
    @inlinable public init(index: Int, size: Int = Board.standardSize) {
        self.init(x: index % size, y: index / size)
    }

    /// `y * size + x`.
    @inlinable public func index(size: Int = Board.standardSize) -> Int { y * size + x }

    /// Whether the point lies on a board of the given size.
    @inlinable public func isOn(size: Int) -> Bool { x >= 0 && y >= 0 && x < size && y < size }

    /// The points next to this one (left, right, above, below) that lie on a board of `size`.
    public func neighbours(size: Int) -> [Point] {
        [Point(x: x - 1, y: y), Point(x: x + 1, y: y), Point(x: x, y: y - 1), Point(x: x, y: y + 1)].filter {
            $0.isOn(size: size)
        }
    }

    /// Row-major order: top row first, left to right.
    public static func < (a: Point, b: Point) -> Bool { (a.y, a.x) < (b.y, b.x) }

    /// `(x, y)`.
    public var description: String { "(\(x), \(y))" }
}

/// A move: a stone on a point, or a pass.
public enum Move: Hashable, Sendable, CustomStringConvertible {
    case play(Point)
    case pass

    /// The point played, or nil for a pass.
    @inlinable public var point: Point? {
        if case .play(let p) = self { return p }
        return nil
    }

    /// docs/FORMATS.md's move index: `y * size + x`, and `size * size` for a pass.
    @inlinable public func index(size: Int = Board.standardSize) -> Int {
        switch self {
        case .play(let p): return p.index(size: size)
        case .pass: return size * size
        }
    }

    /// The move of a docs/FORMATS.md move index (`size * size` is a pass).
    @inlinable public init(index: Int, size: Int = Board.standardSize) {
        self = index == size * size ? .pass : .play(Point(index: index, size: size))
    }

    /// The point as `(x, y)`, or "pass".
    public var description: String {
        switch self {
        case .play(let p): return p.description
        case .pass: return "pass"
        }
    }
}
