/// Who owns each point of a position, and how sure that is: the judgement the players use to
/// end a game soundly (see `docs/ENDGAME.md` for the design and its knobs).
///
/// Two sources, the certain one first:
/// - Benson's pass-alive chains and the regions they enclose (`Board.passAlive`) are owned for
///   good, whatever either side plays;
/// - every other point gets the mean owner over random playouts played to the end (uniform legal
///   moves that never fill a single-point eye, scored by area): near ±1 where the playouts agree,
///   near 0 where the point is contested. This is the Monte-Carlo ownership Pachi and early MCTS
///   programs use for dead stones; it needs no network.
public struct Territory: Sendable {
    /// Side length.
    public let size: Int
    /// Per point index, Black's ownership in -1…1 (+1 Black's, -1 White's).
    public private(set) var ownership: [Double]
    /// Per point index, the colour for which the point is pass-alive (certain), if any.
    public let passAlive: [Stone?]

    /// Playouts per judgement. 128 puts the standard error of a point's ownership under 0.09,
    /// well inside the 0.8 margin of `settled`; an endgame judgement then costs about 10 ms.
    public static let defaultPlayouts = 128

    /// Judges `board` with `color` to move, from `playouts` random playouts (seeded, so repeatable).
    public init(_ board: Board, toMove color: Stone, playouts: Int = Territory.defaultPlayouts, seed: UInt64 = 1) {
        size = board.size
        passAlive = board.passAlive()
        var sum = [Int](repeating: 0, count: size * size)
        var rng = RandomSource(seed: seed)
        var scratch: [Int16] = []
        // A playout of more moves than three boards' worth is cycling (long kos); it is scored as it stands.
        let cap = 3 * size * size
        for k in 0..<playouts {
            var b = board
            b.playRandomGame(from: k % 2 == 0 ? color : color.opponent, using: &rng, maxMoves: cap, scratch: &scratch)
            for (i, o) in b.areaOwners().enumerated() { sum[i] += o == .black ? 1 : o == .white ? -1 : 0 }
        }
        ownership = sum.map { playouts > 0 ? Double($0) / Double(playouts) : 0 }
        for (i, o) in passAlive.enumerated() where o != nil { ownership[i] = o == .black ? 1 : -1 }
    }

    /// `color`'s ownership of a point, -1…1.
    public func ownership(_ p: Point, for color: Stone) -> Double {
        let o = ownership[p.index(size: size)]
        return color == .black ? o : -o
    }

    /// The colour a point is settled for, if either: pass-alive, or owned in at least
    /// `threshold` of the playouts' weight.
    public func settledOwner(_ p: Point, threshold: Double = Territory.settled) -> Stone? {
        let i = p.index(size: size)
        if let o = passAlive[i] { return o }
        let o = ownership[i]
        return o >= threshold ? .black : o <= -threshold ? .white : nil
    }

    /// Ownership past which a point counts as settled: 0.8 means at least 90% of the playouts
    /// agree. Chosen on hand-built endgames (docs/ENDGAME.md): lower values let the player give
    /// up contested boundary points, higher ones keep it playing inside settled territory.
    public static let settled = 0.8

    /// The stones on `board` that the judgement calls dead: those on points settled for the opponent.
    public func deadStones(on board: Board) -> [Point] {
        board.allPoints.filter { p in
            guard let s = board[p], let owner = settledOwner(p) else { return false }
            return owner != s
        }
    }

    /// The area score once the dead stones are taken off.
    public func score(_ board: Board, komi: Double) -> Score {
        board.areaScore(komi: komi, dead: Set(deadStones(on: board)))
    }
}
