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
    /// Per point index, the colour whose settled stones alone enclose the point (see `enclosures`).
    private(set) var enclosed: [Stone?]
    /// Per playout, Black's area minus White's at its end (no komi): what `winRate` counts.
    private var playoutMargins: [Int]

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
        var margins: [Int] = []
        margins.reserveCapacity(playouts)
        for k in 0..<playouts {
            var b = board
            b.playRandomGame(
                from: k % 2 == 0 ? color : color.opponent, using: &rng, maxMoves: board.playoutMoveCap,
                scratch: &scratch,
                avoidSelfAtari: true)
            var margin = 0
            for (i, o) in b.areaOwners().enumerated() {
                let v = o == .black ? 1 : o == .white ? -1 : 0
                sum[i] += v
                margin += v
            }
            margins.append(margin)
        }
        playoutMargins = margins
        ownership = sum.map { playouts > 0 ? Double($0) / Double(playouts) : 0 }
        for (i, o) in passAlive.enumerated() where o != nil { ownership[i] = o == .black ? 1 : -1 }
        enclosed = [Stone?](repeating: nil, count: size * size)
        enclosed = enclosures(board)
    }

    /// Regions (empty points and the opponent's settled-dead stones) that only one colour's
    /// settled-alive stones border, and that colour owns in most playouts: its territory. Random
    /// playouts let the opponent live in a large region often enough to keep the ownership of
    /// an ordinary 20-30 point territory under `settled`; once the walls are judged alive and
    /// most playouts agree, the region is settled too.
    private func enclosures(_ board: Board) -> [Stone?] {
        var result = [Stone?](repeating: nil, count: size * size)
        for color in Stone.allCases {
            let sign: Double = color == .black ? 1 : -1
            var seen = [Bool](repeating: false, count: size * size)
            for start in 0..<(size * size) where !seen[start] && isOpen(board, start, for: color, sign) {
                var region: [Int] = []
                var stack = [start]
                var sound = true
                seen[start] = true
                while let i = stack.popLast() {
                    region.append(i)
                    let p = Point(index: i, size: size)
                    for n in p.neighbours(size: size) {
                        let j = n.index(size: size)
                        if isOpen(board, j, for: color, sign) {
                            if !seen[j] {
                                seen[j] = true
                                stack.append(j)
                            }
                        } else if board[n] != color || sign * ownership[j] < Territory.settled {
                            sound = false  // an opponent stone that may live, or an unsettled wall
                        }
                    }
                }
                let mean = region.reduce(0) { $0 + sign * ownership[$1] } / Double(region.count)
                if sound && mean > Territory.enclosedMajority { for i in region { result[i] = color } }
            }
        }
        return result
    }

    /// Mean ownership an enclosed region needs: 0.5, three quarters of the playouts.
    static let enclosedMajority = 0.5

    /// An empty point, or an opponent stone that `color` owns in a settled share of the playouts.
    private func isOpen(_ board: Board, _ i: Int, for color: Stone, _ sign: Double) -> Bool {
        guard let s = board.stone(atIndex: i) else { return true }
        return s != color && sign * ownership[i] >= Territory.settled
    }

    /// `color`'s ownership of a point, -1…1.
    public func ownership(_ p: Point, for color: Stone) -> Double {
        let o = ownership[p.index(size: size)]
        return color == .black ? o : -o
    }

    /// The colour a point is settled for, if either: pass-alive, enclosed by one colour's settled
    /// stones, or owned in at least `threshold` of the playouts' weight.
    public func settledOwner(_ p: Point, threshold: Double = Territory.settled) -> Stone? {
        let i = p.index(size: size)
        if let o = passAlive[i] ?? enclosed[i] { return o }
        let o = ownership[i]
        return o >= threshold ? .black : o <= -threshold ? .white : nil
    }

    /// Ownership past which a point counts as settled: 0.8 means at least 90% of the playouts
    /// agree. Chosen on hand-built endgames (docs/ENDGAME.md): lower values let the player give
    /// up contested boundary points, higher ones keep it playing inside settled territory.
    public static let settled = 0.8

    /// The stones on `board` that the judgement calls dead: those the opponent owns with at
    /// least `threshold` (the players' move choices use `settled`; a final count uses `counted`).
    public func deadStones(on board: Board, threshold: Double = Territory.settled) -> [Point] {
        board.allPoints.filter { p in
            guard let s = board[p] else { return false }
            if let certain = passAlive[p.index(size: size)] { return certain != s }
            let o = ownership(p, for: s)
            return threshold > 0 ? o <= -threshold : o < 0
        }
    }

    /// Ownership past which a final count (GTP `final_score`, `final_status_list`) calls a stone
    /// dead: 0, the opponent's in most playouts. Measured on the first 12 counted GNU Go
    /// self-play games: GNU Go's own dead stones in 12 of 12 (at 0.3 only 8, since stones the
    /// playouts are unsure of then stay on the board).
    public static let counted = 0.0

    /// The share of the playouts that `color` wins by area with `komi` (a jigo counts half); 0.5
    /// without playouts. The players' late resignation estimate (`Resignation`): in the medium
    /// network's games against GNU Go level 10, the playouts' verdict foretold the result far
    /// better than the value head after move 200 (docs/STRENGTH.md).
    public func winRate(for color: Stone, komi: Double) -> Double {
        guard !playoutMargins.isEmpty else { return 0.5 }
        let sign: Double = color == .black ? 1 : -1
        let points = playoutMargins.reduce(0.0) { total, m in
            let result = sign * (Double(m) - komi)
            return total + (result > 0 ? 1 : result == 0 ? 0.5 : 0)
        }
        return points / Double(playoutMargins.count)
    }

    /// The area score once the dead stones are taken off: a final count.
    public func score(_ board: Board, komi: Double) -> Score {
        board.areaScore(komi: komi, dead: Set(deadStones(on: board, threshold: Territory.counted)))
    }
}
