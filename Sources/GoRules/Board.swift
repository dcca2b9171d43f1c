/// Why a move cannot be played, or `.legal`.
public enum Legality: Sendable, Equatable {
    case legal
    case offBoard
    case occupied
    case suicide
    case ko
    case superko
}

/// A Go board of size 2…25 with incrementally maintained groups, liberty counts and Zobrist hash.
///
/// Points are stored on a padded grid (`size + 2` wide, an edge ring around the board), each
/// group as a circular list of its stones with a shared head holding its size and liberty count,
/// so a move costs time in proportion to the groups it touches and never allocates.
public struct Board: Sendable {
    /// The largest supported side.
    public static let maxSize = 25
    /// The board gonet's networks, engines and tournaments play: its networks read 19x19 planes.
    public static let standardSize = 19
    static let maxCells = (maxSize + 2) * (maxSize + 2)

    static let empty: UInt8 = 0
    static let edge: UInt8 = 3

    /// Side length.
    public let size: Int
    /// Width of the padded grid.
    let stride: Int
    /// Per vertex: 0 empty, 1 black, 2 white, 3 edge.
    var cells: [UInt8]
    /// Per stone: the head vertex of its group.
    var head: [Int16]
    /// Per stone: the next stone of its group (a circular list).
    var next: [Int16]
    /// Per head: the group's distinct liberties.
    var libs: [Int16]
    /// Per head: the group's stone count.
    var count: [Int16]
    /// The empty vertices, and each one's position in that list.
    var empties: [Int16]
    var emptyIndex: [Int16]
    /// Zobrist hash of the stones on the board (positional: the side to move is not in it).
    public private(set) var hash: UInt64 = 0
    /// The vertex a simple-ko recapture is forbidden on, and the colour it is forbidden to.
    var koVertex: Int = -1
    var koColor: UInt8 = 0
    /// Stones captured so far by black and by white.
    var prisoners: (black: Int, white: Int) = (0, 0)
    let keys: [UInt64]

    /// An empty board.
    public init(size: Int = Board.standardSize) {
        precondition((2...Board.maxSize).contains(size), "board size must be 2…\(Board.maxSize)")
        self.size = size
        stride = size + 2
        let n = stride * stride
        cells = [UInt8](repeating: Board.edge, count: n)
        head = [Int16](repeating: 0, count: n)
        next = [Int16](repeating: 0, count: n)
        libs = [Int16](repeating: 0, count: n)
        count = [Int16](repeating: 0, count: n)
        empties = []
        empties.reserveCapacity(size * size)
        emptyIndex = [Int16](repeating: -1, count: n)
        keys = Zobrist.keys
        for y in 0..<size {
            for x in 0..<size {
                let v = (y + 1) * stride + x + 1
                cells[v] = Board.empty
                emptyIndex[v] = Int16(empties.count)
                empties.append(Int16(v))
            }
        }
    }

    // MARK: Reading

    /// The stone on a point, or nil when it is empty.
    public subscript(point: Point) -> Stone? {
        Stone(rawValue: cells[vertex(point)])
    }

    /// The stone at a docs/FORMATS.md point index (`y * size + x`), or nil when empty.
    public func stone(atIndex i: Int) -> Stone? {
        Stone(rawValue: cells[(i / size + 1) * stride + i % size + 1])
    }

    /// The number of liberties of the group on a point (0 for an empty point).
    public func liberties(at point: Point) -> Int {
        let v = vertex(point)
        return cells[v] == Board.empty ? 0 : Int(libs[Int(head[v])])
    }

    /// The number of liberties of the group at a docs/FORMATS.md point index (0 for an empty point).
    public func liberties(atIndex i: Int) -> Int {
        let v = (i / size + 1) * stride + i % size + 1
        return cells[v] == Board.empty ? 0 : Int(libs[Int(head[v])])
    }

    /// The stones of the group on a point, empty for an empty point.
    public func group(at point: Point) -> [Point] {
        let v = vertex(point)
        guard cells[v] != Board.empty else { return [] }
        var result: [Point] = []
        var s = v
        repeat {
            result.append(self.point(s))
            s = Int(next[s])
        } while s != v
        return result.sorted()
    }

    /// The points of a colour, in index order.
    public func stones(of color: Stone) -> [Point] {
        allPoints.filter { cells[vertex($0)] == color.rawValue }
    }

    /// The empty points, in no particular order.
    public var emptyPoints: [Point] { empties.map { point(Int($0)) } }

    /// The number of empty points.
    public var emptyCount: Int { empties.count }

    /// Every point of the board in index order.
    public var allPoints: [Point] {
        (0..<(size * size)).map { Point(index: $0, size: size) }
    }

    /// The point where a simple-ko recapture is forbidden right now, if any.
    public var koPoint: Point? { koVertex < 0 ? nil : point(koVertex) }

    /// Stones captured so far by a colour.
    public func captures(by color: Stone) -> Int { color == .black ? prisoners.black : prisoners.white }

    /// Whether a point is a single-point eye of `color`: every neighbour is that colour (or the
    /// edge) and the opponent holds fewer than two diagonals (fewer than one on the edge).
    public func isEye(_ point: Point, of color: Stone) -> Bool {
        isEye(vertex(point), color.rawValue)
    }

    // MARK: Moves

    /// Whether `color` may play `move` here under the simple-ko rule (suicide is illegal).
    public func legality(_ move: Move, for color: Stone) -> Legality {
        guard case .play(let p) = move else { return .legal }
        guard p.isOn(size: size) else { return .offBoard }
        return legality(vertex: vertex(p), color.rawValue)
    }

    /// Whether `color` may play `move` (simple ko, no suicide).
    public func isLegal(_ move: Move, for color: Stone) -> Bool { legality(move, for: color) == .legal }

    /// The hash of the position that `color` playing `move` would leave (the move must be legal).
    public func hash(after move: Move, by color: Stone) -> UInt64 {
        guard case .play(let p) = move else { return hash }
        let v = vertex(p)
        let c = color.rawValue
        let o = 3 - c
        var h = hash ^ keys[2 * v + Int(c) - 1]
        var seen = SIMD4<Int>(repeating: -1)
        let d = dirs
        for k in 0..<4 where cells[v + d[k]] == o {
            let g = Int(head[v + d[k]])
            if libs[g] != 1 || any(seen .== g) { continue }
            seen[k] = g
            var s = g
            repeat {
                h ^= keys[2 * s + Int(o) - 1]
                s = Int(next[s])
            } while s != g
        }
        return h
    }

    /// Plays a move if it is legal (simple ko, no suicide) and says why not otherwise.
    @discardableResult
    public mutating func play(_ move: Move, _ color: Stone) -> Legality {
        guard case .play(let p) = move else {
            koVertex = -1
            return .legal
        }
        guard p.isOn(size: size) else { return .offBoard }
        let v = vertex(p)
        let result = legality(vertex: v, color.rawValue)
        if result == .legal { playLegal(vertex: v, color.rawValue) }
        return result
    }

    /// Plays a move at a docs/FORMATS.md index (`size * size` passes), checked as `play`.
    @discardableResult
    public mutating func play(index: Int, _ color: Stone) -> Legality {
        if index == size * size {
            koVertex = -1
            return .legal
        }
        let v = (index / size + 1) * stride + index % size + 1
        let result = legality(vertex: v, color.rawValue)
        if result == .legal { playLegal(vertex: v, color.rawValue) }
        return result
    }

    /// Puts a setup stone on an empty point (SGF AB/AW, handicap): no ko, captures as a move would.
    public mutating func place(_ point: Point, _ color: Stone) {
        let v = vertex(point)
        guard cells[v] == Board.empty else { return }
        playLegal(vertex: v, color.rawValue)
        koVertex = -1
    }

    // MARK: Internals

    @inline(__always) func vertex(_ p: Point) -> Int { (p.y + 1) * stride + p.x + 1 }

    @inline(__always) func point(_ v: Int) -> Point { Point(x: v % stride - 1, y: v / stride - 1) }

    /// Offsets of the four neighbours on the padded grid (a SIMD value, so loops over it never allocate).
    @inline(__always) var dirs: SIMD4<Int> { SIMD4(-stride, -1, 1, stride) }

    func legality(vertex v: Int, _ c: UInt8) -> Legality {
        if cells[v] != Board.empty { return .occupied }
        if v == koVertex && c == koColor { return .ko }
        let o = 3 - c
        let d = dirs
        for k in 0..<4 {
            let n = v + d[k]
            let cn = cells[n]
            if cn == Board.empty { return .legal }
            if cn == c {
                if libs[Int(head[n])] > 1 { return .legal }
            } else if cn == o {
                if libs[Int(head[n])] == 1 { return .legal }
            }
        }
        return .suicide
    }

    func isEye(_ v: Int, _ c: UInt8) -> Bool {
        guard cells[v] == Board.empty else { return false }
        let d = dirs
        for k in 0..<4 where cells[v + d[k]] != c && cells[v + d[k]] != Board.edge { return false }
        var bad = 0
        var offBoard = 0
        let diagonals = SIMD4(-stride - 1, -stride + 1, stride - 1, stride + 1)
        for k in 0..<4 {
            let x = cells[v + diagonals[k]]
            if x == Board.edge { offBoard = 1 } else if x == 3 - c { bad += 1 }
        }
        return bad + offBoard < 2
    }

    /// Places a stone of colour `c` on empty vertex `v` and resolves captures, merges and ko.
    mutating func playLegal(vertex v: Int, _ c: UInt8) {
        let o = 3 - c
        let d = dirs
        setStone(v, c)
        head[v] = Int16(v)
        next[v] = Int16(v)
        count[v] = 1
        var ownLibs: Int16 = 0
        // Each distinct neighbouring group loses the liberty at v once.
        var seen = SIMD4<Int>(repeating: -1)
        for k in 0..<4 {
            let n = v + d[k]
            let cn = cells[n]
            if cn == Board.empty {
                ownLibs += 1
                continue
            }
            if cn == Board.edge { continue }
            let g = Int(head[n])
            if any(seen .== g) { continue }
            seen[k] = g
            libs[g] -= 1
        }
        libs[v] = ownLibs
        // Join friendly groups, smaller into larger.
        for k in 0..<4 where cells[v + d[k]] == c {
            let n = v + d[k]
            let a = Int(head[n])
            let b = Int(head[v])
            if a != b { merge(a, b) }
        }
        // Remove opponent groups left without liberties.
        var captured = 0
        var lastCaptured = -1
        for k in 0..<4 where cells[v + d[k]] == o && libs[Int(head[v + d[k]])] == 0 {
            let n = v + d[k]
            captured += removeGroup(Int(head[n]))
            lastCaptured = n
        }
        if c == 1 { prisoners.black += captured } else { prisoners.white += captured }
        let g = Int(head[v])
        if captured == 1 && count[g] == 1 && libs[g] == 1 {
            koVertex = lastCaptured
            koColor = o
        } else {
            koVertex = -1
        }
    }

    /// Merges the groups with heads `a` and `b`, recounting liberties without a flood fill.
    mutating func merge(_ a: Int, _ b: Int) {
        let (big, small) = count[a] >= count[b] ? (a, b) : (a == b ? (a, b) : (b, a))
        let s = stride
        let d = dirs
        // A liberty of the small group is new to the big one unless it already touches it;
        // relabelling as we go keeps a liberty shared by two small stones from counting twice.
        var stone = small
        repeat {
            for k in 0..<4 where cells[stone + d[k]] == Board.empty {
                let n = stone + d[k]
                if Int(head[n - s]) != big || cells[n - s] == Board.empty,
                    Int(head[n - 1]) != big || cells[n - 1] == Board.empty,
                    Int(head[n + 1]) != big || cells[n + 1] == Board.empty,
                    Int(head[n + s]) != big || cells[n + s] == Board.empty
                {
                    libs[big] += 1
                }
            }
            head[stone] = Int16(big)
            stone = Int(next[stone])
        } while stone != small
        count[big] += count[small]
        let t = next[big]
        next[big] = next[small]
        next[small] = t
    }

    /// Takes a group off the board, giving its points back as liberties; returns its size.
    mutating func removeGroup(_ g: Int) -> Int {
        let d = dirs
        let c = cells[g]
        var removed = 0
        var stone = g
        repeat {
            clearStone(stone, c)
            removed += 1
            stone = Int(next[stone])
        } while stone != g
        stone = g
        repeat {
            var seen = SIMD4<Int>(repeating: -1)
            for k in 0..<4 {
                let n = stone + d[k]
                let cn = cells[n]
                if cn == Board.empty || cn == Board.edge { continue }
                let h = Int(head[n])
                if any(seen .== h) { continue }
                seen[k] = h
                libs[h] += 1
            }
            stone = Int(next[stone])
        } while stone != g
        return removed
    }

    @inline(__always) mutating func setStone(_ v: Int, _ c: UInt8) {
        cells[v] = c
        hash ^= keys[2 * v + Int(c) - 1]
        let i = Int(emptyIndex[v])
        let last = empties.removeLast()
        if Int(last) != v {
            empties[i] = last
            emptyIndex[Int(last)] = Int16(i)
        }
        emptyIndex[v] = -1
    }

    @inline(__always) mutating func clearStone(_ v: Int, _ c: UInt8) {
        cells[v] = Board.empty
        hash ^= keys[2 * v + Int(c) - 1]
        emptyIndex[v] = Int16(empties.count)
        empties.append(Int16(v))
    }
}
