/// Plain-text boards: `X` black, `O` white, `.` (or `+`) empty, one row per line from the top.
extension Board {
    /// A board from a diagram; whitespace between points is ignored. Nil when rows are ragged or a character is unknown.
    public init?(diagram: String) {
        let rows = diagram.split(whereSeparator: \.isNewline)
            .map { $0.filter { !$0.isWhitespace } }
            .filter { !$0.isEmpty }
        guard (2...Board.maxSize).contains(rows.count), rows.allSatisfy({ $0.count == rows.count }) else { return nil }
        self.init(size: rows.count)
        for (y, row) in rows.enumerated() {
            for (x, ch) in row.enumerated() {
                switch ch {
                case "X", "x", "B", "#": place(Point(x: x, y: y), .black)
                case "O", "o", "W": place(Point(x: x, y: y), .white)
                case ".", "+", "-": break
                default: return nil
                }
            }
        }
    }

    /// The board as a diagram (no coordinates), one row per line.
    public var diagram: String {
        (0..<size).map { y in
            String(
                (0..<size).map { x -> Character in
                    switch self[Point(x: x, y: y)] {
                    case .black: "X"
                    case .white: "O"
                    case nil: "."
                    }
                })
        }.joined(separator: "\n")
    }
}
