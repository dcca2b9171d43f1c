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
        func fail(_ p: SGFProperty, _ message: String) -> RecordError {
            RecordError(file: file, line: Int(p.line), column: Int(p.column), message: message)
        }
        if let gm = root["GM"], gm.values[0].trimmed != "1" {
            throw fail(gm, "not a game of Go (GM[\(gm.values[0])])")
        }
        if let sz = root["SZ"] {
            let parts = sz.values[0].split(separator: ":").map { Int($0.trimmed) }
            guard let n = parts.first ?? nil, parts.allSatisfy({ $0 == n }), parts.count <= 2 else {
                throw fail(sz, "bad board size SZ[\(sz.values[0])]")
            }
            guard (2...Board.maxSize).contains(n) else {
                throw fail(sz, "board size \(n) is not supported (2…\(Board.maxSize))")
            }
            size = n
        }
        if let km = root["KM"] {
            let t = km.values[0].trimmed
            if t.isEmpty {
                komi = 0
            } else {
                guard let k = Double(t), k.isFinite else { throw fail(km, "bad komi KM[\(km.values[0])]") }
                guard Limits.isValidKomi(k, size: size) else {
                    throw fail(km, "komi KM[\(km.values[0])] is beyond the board's \(size * size) points")
                }
                komi = k
            }
        }
        if let ha = root["HA"] {
            guard let h = Int(ha.values[0].trimmed), h >= 0 else { throw fail(ha, "bad handicap HA[\(ha.values[0])]") }
            handicap = h
        }
        result = root["RE"].map { GameResult(sgf: $0.values[0]) } ?? .unknown
        blackPlayer = root["PB"]?.values[0] ?? ""
        whitePlayer = root["PW"]?.values[0] ?? ""
        date = root["DT"]?.values[0] ?? ""
        rules = root["RU"]?.values[0] ?? ""
        extraProperties = root.properties.filter { !modelledRootProperties.contains($0.id) }

        var placed = Set<Point>()
        for p in root.properties where p.id == "AB" || p.id == "AW" {
            let color: Stone = p.id == "AB" ? .black : .white
            for v in p.values {
                for point in try points(v, p, file) {
                    // FF[4]: a point is set up at most once in a node.
                    guard placed.insert(point).inserted else {
                        throw fail(p, "setup point \(Coordinates.sgf(.play(point))) is given twice")
                    }
                    setup.append(PlayedMove(color, .play(point)))
                }
            }
        }
        var game = startingGame()
        for (i, node) in nodes.enumerated() {
            var moveInNode = false
            // Setup after the root edits the position before this node's move (FF[4] says not to
            // mix the two in one node; when a file does, the setup comes first).
            if i > 0 {
                var changes: [SetupStone] = []
                var placed = Set<Point>()
                for p in node.properties where p.id == "AB" || p.id == "AW" || p.id == "AE" {
                    let stone: Stone? = p.id == "AB" ? .black : p.id == "AW" ? .white : nil
                    for v in p.values {
                        for point in try points(v, p, file) {
                            guard placed.insert(point).inserted else {
                                throw fail(p, "setup point \(Coordinates.sgf(.play(point))) is given twice")
                            }
                            changes.append(SetupStone(beforeMove: moves.count, point: point, stone: stone))
                        }
                    }
                }
                if !changes.isEmpty {
                    game.edit(changes)
                    edits += changes
                }
            }
            for p in node.properties {
                switch p.id {
                case "AB", "AW", "AE":
                    break
                case "B", "W":
                    if moveInNode { throw fail(p, "two moves in one node") }
                    moveInNode = true
                    let color: Stone = p.id == "B" ? .black : .white
                    guard let move = Coordinates.move(sgf: p.values[0].trimmed, size: size) else {
                        throw fail(p, "bad coordinate \(p.id)[\(p.values[0])] on a \(size)x\(size) board")
                    }
                    do { try game.play(move, by: color) } catch {
                        var e = fail(p, "\(error)")
                        e.kind = .illegalMove
                        throw e
                    }
                    moves.append(PlayedMove(color, move))
                default:
                    break
                }
            }
        }
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
