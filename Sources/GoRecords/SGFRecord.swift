import GoRules

/// Root properties that `GameRecord` models; everything else is kept in `extraProperties`.
let modelledRootProperties: Set<String> = [
    "GM", "FF", "CA", "SZ", "KM", "HA", "RE", "PB", "PW", "DT", "RU", "AB", "AW", "B", "W", "PL", "AP",
]

extension GameRecord {
    /// Builds a record from a main line of SGF nodes, checking sizes, coordinates and (by replay) move legality.
    public init(nodes: [SGFNode], file: String) throws(RecordError) {
        self.init()
        guard let root = nodes.first else {
            throw RecordError(file: file, line: 0, column: 0, message: "empty game tree")
        }
        try readRoot(root, file)
        var game = startingGame()
        for (i, node) in nodes.enumerated() {
            // Setup after the root edits the position before this node's move (FF[4] says not to
            // mix the two in one node; when a file does, the setup comes first).
            if i > 0 { try readEdits(node, &game, file) }
            try readMove(node, &game, file)
        }
    }

    /// The root's game information and its setup stones.
    private mutating func readRoot(_ root: SGFNode, _ file: String) throws(RecordError) {
        if let gm = root["GM"], gm.values[0].trimmed != "1" {
            throw Self.fail(gm, file, "not a game of Go (GM[\(gm.values[0])])")
        }
        if let sz = root["SZ"] {
            let parts = sz.values[0].split(separator: ":").map { Int($0.trimmed) }
            guard let n = parts.first ?? nil, parts.allSatisfy({ $0 == n }), parts.count <= 2 else {
                throw Self.fail(sz, file, "bad board size SZ[\(sz.values[0])]")
            }
            guard (2...Board.maxSize).contains(n) else {
                throw Self.fail(sz, file, "board size \(n) is not supported (2…\(Board.maxSize))")
            }
            size = n
        }
        if let km = root["KM"] {
            let t = km.values[0].trimmed
            if t.isEmpty {
                komi = 0
            } else {
                guard let k = Double(t), k.isFinite else { throw Self.fail(km, file, "bad komi KM[\(km.values[0])]") }
                guard Limits.isValidKomi(k, size: size) else {
                    throw Self.fail(km, file, "komi KM[\(km.values[0])] is beyond the board's \(size * size) points")
                }
                komi = k
            }
        }
        if let ha = root["HA"] {
            guard let h = Int(ha.values[0].trimmed), h >= 0 else {
                throw Self.fail(ha, file, "bad handicap HA[\(ha.values[0])]")
            }
            handicap = h
        }
        result = root["RE"].map { GameResult(sgf: $0.values[0]) } ?? .unknown
        blackPlayer = root["PB"]?.values[0] ?? ""
        whitePlayer = root["PW"]?.values[0] ?? ""
        date = root["DT"]?.values[0] ?? ""
        rules = root["RU"]?.values[0] ?? ""
        extraProperties = root.properties.filter { !modelledRootProperties.contains($0.id) }
        for (point, stone) in try setupPoints(root, ["AB", "AW"], file) {
            setup.append(PlayedMove(stone!, .play(point)))
        }
    }

    /// The setup (AB, AW, AE) of a node after the root, applied to `game` and kept in `edits`.
    private mutating func readEdits(_ node: SGFNode, _ game: inout Game, _ file: String) throws(RecordError) {
        let changes = try setupPoints(node, ["AB", "AW", "AE"], file).map {
            SetupStone(beforeMove: moves.count, point: $0.point, stone: $0.stone)
        }
        if !changes.isEmpty {
            game.edit(changes)
            edits += changes
        }
    }

    /// The points of a node's setup properties `ids`, with the stone each puts there (nil: AE);
    /// FF[4]: a point is set up at most once in a node.
    private func setupPoints(_ node: SGFNode, _ ids: Set<String>, _ file: String) throws(RecordError)
        -> [(point: Point, stone: Stone?)]
    {
        var placed = Set<Point>()
        var out: [(point: Point, stone: Stone?)] = []
        for p in node.properties where ids.contains(p.id) {
            let stone: Stone? = p.id == "AB" ? .black : p.id == "AW" ? .white : nil
            for v in p.values {
                for point in try points(v, p, file) {
                    guard placed.insert(point).inserted else {
                        throw Self.fail(p, file, "setup point \(Coordinates.sgf(.play(point))) is given twice")
                    }
                    out.append((point, stone))
                }
            }
        }
        return out
    }

    /// A node's move (B or W, at most one), played on `game` to check it.
    private mutating func readMove(_ node: SGFNode, _ game: inout Game, _ file: String) throws(RecordError) {
        var moveInNode = false
        for p in node.properties where p.id == "B" || p.id == "W" {
            if moveInNode { throw Self.fail(p, file, "two moves in one node") }
            moveInNode = true
            let color: Stone = p.id == "B" ? .black : .white
            guard let move = Coordinates.move(sgf: p.values[0].trimmed, size: size) else {
                throw Self.fail(p, file, "bad coordinate \(p.id)[\(p.values[0])] on a \(size)x\(size) board")
            }
            do { try game.play(move, by: color) } catch {
                var e = Self.fail(p, file, "\(error)")
                e.kind = .illegalMove
                throw e
            }
            moves.append(PlayedMove(color, move))
        }
    }

    /// An error at property `p` of `file`.
    private static func fail(_ p: SGFProperty, _ file: String, _ message: String) -> RecordError {
        RecordError(file: file, line: Int(p.line), column: Int(p.column), message: message)
    }

    /// Parses a list entry of points: `pd`, or FF[4]'s compressed rectangle `aa:cc`.
    func points(_ value: String, _ p: SGFProperty, _ file: String) throws(RecordError) -> [Point] {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        let corners = parts.map { Coordinates.move(sgf: $0.trimmed, size: size)?.point }
        guard parts.count <= 2, let a = corners.first ?? nil, let b = corners.last ?? nil else {
            throw RecordError(
                file: file, line: Int(p.line), column: Int(p.column),
                message: "bad point \(p.id)[\(value)] on a \(size)x\(size) board")
        }
        var result: [Point] = []
        for y in min(a.y, b.y)...max(a.y, b.y) {
            for x in min(a.x, b.x)...max(a.x, b.x) { result.append(Point(x: x, y: y)) }
        }
        return result
    }
}
