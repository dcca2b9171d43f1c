import GoRules

/// Writes records as FF[4] SGF.
public enum SGFWriter {
    /// One game tree on one line: root properties, setup, then `;B[..];W[..]`.
    public static func sgf(_ r: GameRecord) -> String {
        var s = "(;GM[1]FF[4]CA[UTF-8]SZ[\(r.size)]"
        s += "KM[\(number(r.komi))]"
        if r.handicap > 0 { s += "HA[\(r.handicap)]" }
        if !r.rules.isEmpty { s += "RU[\(escape(r.rules))]" }
        if !r.date.isEmpty { s += "DT[\(escape(r.date))]" }
        if !r.blackPlayer.isEmpty { s += "PB[\(escape(r.blackPlayer))]" }
        if !r.whitePlayer.isEmpty { s += "PW[\(escape(r.whitePlayer))]" }
        if r.result != .unknown { s += "RE[\(r.result)]" }
        for p in r.extraProperties {
            s += p.id
            for v in p.values { s += "[\(escape(v))]" }
        }
        for color in [Stone.black, .white] {
            let stones = r.setup.filter { $0.color == color }.compactMap(\.move.point)
            if stones.isEmpty { continue }
            s += color == .black ? "AB" : "AW"
            for p in stones { s += "[\(Coordinates.sgf(.play(p)))]" }
        }
        // Edits go in a node of their own before the move they precede (FF[4]: no setup and move in one node).
        var e = 0
        func writeEdits(before k: Int) {
            // The last edit of a point wins (two setup nodes in a row become one).
            var last: [Point: Stone?] = [:]
            var order: [Point] = []
            while e < r.edits.count && r.edits[e].beforeMove <= k {
                let edit = r.edits[e]
                if last[edit.point] == nil { order.append(edit.point) }
                last[edit.point] = .some(edit.stone)
                e += 1
            }
            guard !order.isEmpty else { return }
            var node: [String: [Point]] = [:]
            for p in order {
                let stone = last[p]!
                node[stone == .black ? "AB" : stone == .white ? "AW" : "AE", default: []].append(p)
            }
            s += ";"
            for id in ["AB", "AW", "AE"] {
                guard let points = node[id] else { continue }
                s += id
                for p in points { s += "[\(Coordinates.sgf(.play(p)))]" }
            }
        }
        for (k, m) in r.moves.enumerated() {
            writeEdits(before: k)
            s += ";\(m.color.letter)[\(Coordinates.sgf(m.move))]"
        }
        writeEdits(before: r.moves.count)
        s += ")"
        return s
    }

    /// A main line of nodes as one game tree, every property as it is, the root's `CA` set to
    /// UTF-8 (the values were decoded when read).
    public static func sgf(nodes: [SGFNode]) -> String {
        var s = "("
        for (i, node) in nodes.enumerated() {
            s += ";"
            var properties = node.properties
            if i == 0 {
                properties.removeAll { $0.id == "CA" }
                properties.insert(SGFProperty("CA", ["UTF-8"]), at: min(properties.count, 2))
            }
            for p in properties {
                s += p.id
                for v in p.values { s += "[\(escape(v))]" }
            }
            s += "\n"
        }
        return s + ")\n"
    }

    /// Escapes `\` and `]`, the two characters SGF text cannot hold as they are.
    /// Works on Unicode scalars, not Characters: a `]` followed by a combining mark is one
    /// Character that is not equal to "]", and would go out unescaped (found by FuzzSGF).
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\\" || $0 == "]" }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\\" || s == "]" { out.append("\\") }
            out.append(s)
        }
        return String(out)
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
