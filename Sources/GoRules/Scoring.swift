import Foundation

/// The result of area scoring: points of each colour, komi and the margin.
public struct Score: Sendable, Equatable, CustomStringConvertible {
    /// Black's stones plus the empty points that reach only black.
    public var black: Int
    /// White's stones plus the empty points that reach only white.
    public var white: Int
    /// Points added to White.
    public var komi: Double

    /// A score of `black` and `white` points with `komi`.
    public init(black: Int, white: Int, komi: Double) {
        self.black = black
        self.white = white
        self.komi = komi
    }

    /// Black's lead after komi (negative when White wins).
    public var margin: Double { Double(black) - Double(white) - komi }

    /// The winner, or nil for a draw.
    public var winner: Stone? { margin > 0 ? .black : margin < 0 ? .white : nil }

    /// GTP's and SGF's form: `B+3.5`, `W+12`, `0` for a draw.
    public var description: String {
        guard let w = winner else { return "0" }
        let m = abs(margin)
        // A margin past Int's range (an absurd komi) is written as a Double, never converted.
        let text = m == m.rounded() && m < 1e15 ? String(Int(m)) : String(m)
        return "\(w.letter)+\(text)"
    }
}

extension Board {
    /// Tromp-Taylor area score: stones plus empty regions that reach only one colour, after
    /// taking the `dead` stones off the board.
    public func areaScore(komi: Double, dead: Set<Point> = []) -> Score {
        var black = 0
        var white = 0
        for owner in areaOwners(dead: dead) {
            if owner == .black { black += 1 } else if owner == .white { white += 1 }
        }
        return Score(black: black, white: white, komi: komi)
    }

    /// Per point index, who the point counts for under area scoring after taking the `dead`
    /// stones off: the stone on it, or the one colour an empty region reaches (nil: neutral).
    public func areaOwners(dead: Set<Point> = []) -> [Stone?] {
        var cells = self.cells
        for p in dead where p.isOn(size: size) { cells[vertex(p)] = Board.empty }
        var owners = [Stone?](repeating: nil, count: size * size)
        var visited = [Bool](repeating: false, count: cells.count)
        var stack: [Int] = []
        var region: [Int] = []
        let d = dirs
        for y in 0..<size {
            for x in 0..<size {
                let v = (y + 1) * stride + x + 1
                if cells[v] != Board.empty {
                    owners[y * size + x] = Stone(rawValue: cells[v])
                    continue
                }
                guard !visited[v] else { continue }
                // Flood the empty region, noting which colours border it.
                region.removeAll(keepingCapacity: true)
                var reaches: UInt8 = 0
                visited[v] = true
                stack.append(v)
                while let e = stack.popLast() {
                    region.append(e)
                    for k in 0..<4 {
                        let n = e + d[k]
                        let c = cells[n]
                        if c == Board.empty {
                            if !visited[n] {
                                visited[n] = true
                                stack.append(n)
                            }
                        } else if c != Board.edge {
                            reaches |= c
                        }
                    }
                }
                if let owner = Stone(rawValue: reaches) {
                    for e in region { owners[(e / stride - 1) * size + e % stride - 1] = owner }
                }
            }
        }
        return owners
    }
}
