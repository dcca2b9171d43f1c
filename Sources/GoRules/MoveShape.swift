/// What playing a stone would do locally, read from the board without playing it: the basis of
/// the players' self-atari and capture tests.
public struct MoveShape: Sendable, Equatable {
    /// Whether the move takes at least one opponent chain off the board.
    public var captures: Bool
    /// Liberties of the chain the new stone would belong to (captures not counted back).
    public var liberties: Int
    /// Stones in that chain, the new one included.
    public var stones: Int

    /// A shape with these figures.
    public init(captures: Bool, liberties: Int, stones: Int) {
        self.captures = captures
        self.liberties = liberties
        self.stones = stones
    }

    /// A self-atari that captures nothing: the chain is left with one liberty.
    public var isSelfAtari: Bool { !captures && liberties <= 1 }
}

extension Board {
    /// The shape `color` playing on the empty point `p` would make.
    public func shape(of p: Point, for color: Stone) -> MoveShape {
        let v = vertex(p)
        let c = color.rawValue
        let d = dirs
        var liberties = Set<Int>()
        var heads = Set<Int>()
        var captures = false
        for k in 0..<4 {
            let n = v + d[k]
            let cn = cells[n]
            if cn == Board.empty {
                liberties.insert(n)
            } else if cn == c {
                heads.insert(Int(head[n]))
            } else if cn == 3 - c, self.libs[Int(head[n])] == 1 {
                captures = true
            }
        }
        var stones = 1
        for h in heads {
            stones += Int(count[h])
            var s = h
            repeat {
                for k in 0..<4 where cells[s + d[k]] == Board.empty && s + d[k] != v { liberties.insert(s + d[k]) }
                s = Int(next[s])
            } while s != h
        }
        return MoveShape(captures: captures, liberties: liberties.count, stones: stones)
    }
}
