import Foundation

/// A player's rating with its 95% confidence interval.
public struct Rating: Sendable, Equatable {
    /// The entrant's name.
    public var name: String
    /// Elo, the players' mean at 0.
    public var elo: Double
    /// Half-width of the 95% interval (±).
    public var interval: Double
    /// Games it played.
    public var games: Int
    /// Points scored (a win 1, a draw ½).
    public var score: Double
}

/// Bradley-Terry ratings on the Elo scale: P(i beats j) = 1 / (1 + 10^((r_j − r_i)/400)), a draw
/// counting half a win for each side, with BayesElo's prior: `prior` virtual draws (2 by default,
/// BayesElo's) between every two players who met. The prior keeps a player who won every game
/// finite and the intervals of a few games readable (after 4 wins in 4 games the gap is
/// 400·log10(5) ≈ 280 Elo, not infinite); with many games it fades. `prior: 0` gives the plain
/// maximum-likelihood ratings. Intervals come from the inverse of the observed information (the
/// Hessian of the log-posterior), with the ratings' mean held at 0.
public enum BradleyTerry {
    /// One result between two players: the points of `a` (1, ½ or 0).
    public struct Result: Sendable {
        /// Index of one player.
        public var a: Int
        /// Index of the other.
        public var b: Int
        /// Points of `a`: 1, 0.5 or 0.
        public var scoreA: Double
        /// A result of `a` against `b`.
        public init(a: Int, b: Int, scoreA: Double) {
            self.a = a
            self.b = b
            self.scoreA = scoreA
        }
    }

    static let scale = 400 / log(10.0)

    /// BayesElo's default prior: virtual draws between two players who met.
    public static let defaultPrior = 2.0

    /// Ratings of `players` from results indexed into it, with `prior` virtual draws between each
    /// pair that played.
    public static func ratings(players: [String], results real: [Result], prior: Double = defaultPrior) -> [Rating] {
        let n = players.count
        var games = [Int](repeating: 0, count: n)
        var score = [Double](repeating: 0, count: n)
        for r in real {
            games[r.a] += 1
            games[r.b] += 1
            score[r.a] += r.scoreA
            score[r.b] += 1 - r.scoreA
        }
        guard n > 1 else {
            return players.enumerated().map {
                Rating(name: $1, elo: 0, interval: .infinity, games: games[$0], score: score[$0])
            }
        }
        // The prior's virtual draws, one weighted result a pair that met.
        var results = real.map { (result: $0, weight: 1.0) }
        if prior > 0 {
            let pairs = Set(real.filter { $0.a != $0.b }.map { [min($0.a, $0.b), max($0.a, $0.b)] })
            for pair in pairs.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) {
                results.append((Result(a: pair[0], b: pair[1], scoreA: 0.5), prior))
            }
        }
        // Natural-log strengths θ; a tiny ridge keeps players who met nobody finite.
        var theta = [Double](repeating: 0, count: n)
        let ridge = 1e-3
        for _ in 0..<200 {
            var grad = [Double](repeating: 0, count: n)
            var hess = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for (r, weight) in results {
                let p = 1 / (1 + exp(theta[r.b] - theta[r.a]))
                grad[r.a] += weight * (r.scoreA - p)
                grad[r.b] -= weight * (r.scoreA - p)
                let w = weight * p * (1 - p)
                hess[r.a][r.a] += w
                hess[r.b][r.b] += w
                hess[r.a][r.b] -= w
                hess[r.b][r.a] -= w
            }
            for i in 0..<n {
                grad[i] -= ridge * theta[i]
                hess[i][i] += ridge
            }
            guard let step = solve(hess, grad) else { break }
            var change = 0.0
            for i in 0..<n {
                theta[i] += step[i]
                change = max(change, abs(step[i]))
            }
            let mean = theta.reduce(0, +) / Double(n)
            for i in 0..<n { theta[i] -= mean }
            if change < 1e-10 { break }
        }
        // Covariance: inverse information restricted to mean-zero ratings.
        var info = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for (r, weight) in results {
            let p = 1 / (1 + exp(theta[r.b] - theta[r.a]))
            let w = weight * p * (1 - p)
            info[r.a][r.a] += w
            info[r.b][r.b] += w
            info[r.a][r.b] -= w
            info[r.b][r.a] -= w
        }
        for i in 0..<n { info[i][i] += ridge }
        // Adding the constraint's direction makes the matrix invertible without moving the mean-zero part.
        var constrained = info
        for i in 0..<n { for j in 0..<n { constrained[i][j] += 1.0 / Double(n) } }
        var variances = [Double](repeating: .infinity, count: n)
        for i in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[i] = 1 - 1.0 / Double(n)
            for j in 0..<n where j != i { e[j] = -1.0 / Double(n) }
            if let col = solve(constrained, e) {
                variances[i] = zip(e, col).reduce(0) { $0 + $1.0 * $1.1 }
            }
        }
        return (0..<n).map { i in
            Rating(
                name: players[i], elo: theta[i] * scale, interval: 1.96 * variances[i].squareRoot() * scale,
                games: games[i], score: score[i])
        }
    }

    /// Solves A·x = b by Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var x = b
        for c in 0..<n {
            guard let pivot = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[pivot][c]) > 1e-12 else {
                return nil
            }
            m.swapAt(c, pivot)
            x.swapAt(c, pivot)
            for r in (c + 1)..<max(c + 1, n) {
                let f = m[r][c] / m[c][c]
                if f == 0 { continue }
                for k in c..<n { m[r][k] -= f * m[c][k] }
                x[r] -= f * x[c]
            }
        }
        for c in stride(from: n - 1, through: 0, by: -1) {
            var s = x[c]
            for k in (c + 1)..<max(c + 1, n) { s -= m[c][k] * x[k] }
            x[c] = s / m[c][c]
        }
        return x
    }
}
