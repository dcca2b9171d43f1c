import Foundation

/// What a head-to-head match says about engine A against engine B: the score with its 95%
/// interval, and the same as an Elo difference.
public struct MatchStatistics: Sendable, Equatable {
    /// Games won.
    public var wins: Int
    /// Games drawn.
    public var draws: Int
    /// Games lost.
    public var losses: Int

    /// Statistics of these counts.
    public init(wins: Int, draws: Int, losses: Int) {
        self.wins = wins
        self.draws = draws
        self.losses = losses
    }

    /// Games played.
    public var games: Int { wins + draws + losses }
    /// A's mean score per game (a draw is half a win).
    public var score: Double { games == 0 ? 0.5 : (Double(wins) + Double(draws) / 2) / Double(games) }

    /// The 95% interval of the score: Wilson's score interval, which stays inside 0…1 and is
    /// sound at 0 or N wins (the normal interval is not); draws count as half a win each.
    public var scoreInterval: ClosedRange<Double> {
        guard games > 0 else { return 0...1 }
        let n = Double(games)
        let p = score
        let z = 1.959964
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        // Rounding can leave a bound a hair inside 0 or 1 where it is exactly there (0 or N wins).
        let low = centre - half < 1e-12 ? 0 : centre - half
        let high = centre + half > 1 - 1e-12 ? 1 : centre + half
        return low...high
    }

    /// The logistic Elo difference of a score: −400·log10(1/s − 1) (infinite at 0 and 1).
    public static func elo(_ score: Double) -> Double {
        score <= 0 ? -.infinity : score >= 1 ? .infinity : -400 * log10(1 / score - 1)
    }

    /// The Elo difference the score implies.
    public var elo: Double { Self.elo(score) }
    /// The Elo difference at the ends of the score's 95% interval.
    public var eloInterval: ClosedRange<Double> {
        Self.elo(scoreInterval.lowerBound)...Self.elo(scoreInterval.upperBound)
    }

    /// One line: `W-D-L`, the win rate with its interval, the Elo with its interval.
    public var summary: String {
        let i = scoreInterval
        let e = eloInterval
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func elo(_ x: Double) -> String { x.isFinite ? String(format: "%+.0f", x) : (x > 0 ? "+inf" : "-inf") }
        return
            "\(wins) wins, \(draws) draws, \(losses) losses: \(pct(score)) [\(pct(i.lowerBound)), \(pct(i.upperBound))], "
            + "Elo \(elo(self.elo)) [\(elo(e.lowerBound)), \(elo(e.upperBound))] (95%)"
    }
}
