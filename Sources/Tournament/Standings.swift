import Foundation

/// Ratings and the crosstable of a tournament's games.
public struct Standings: Sendable {
    /// Ratings, best first.
    public var ratings: [Rating]
    /// Entrant labels in rating order.
    public var labels: [String]
    /// crosstable[i][j]: points of labels[i] against labels[j], and games.
    public var crosstable: [[(points: Double, games: Int)]]
    /// Games counted.
    public var games: Int

    /// The standings of `rows` between `entrants`.
    public init(entrants: [Entrant], games rows: [GameRow]) {
        let ids = entrants.compactMap(\.id)
        let names = entrants.map(\.label)
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var results: [BradleyTerry.Result] = []
        for g in rows {
            guard let b = index[g.black], let w = index[g.white] else { continue }
            results.append(BradleyTerry.Result(a: b, b: w, scoreA: g.winner == "B" ? 1 : g.winner == "W" ? 0 : 0.5))
        }
        let r = BradleyTerry.ratings(players: names, results: results)
        let order = r.indices.sorted { (r[$0].elo, r[$0].score) > (r[$1].elo, r[$1].score) }
        ratings = order.map { r[$0] }
        labels = order.map { names[$0] }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var table = [[(points: Double, games: Int)]](
            repeating: [(points: Double, games: Int)](repeating: (0, 0), count: names.count), count: names.count)
        for res in results {
            let a = position[res.a]!
            let b = position[res.b]!
            table[a][b].points += res.scoreA
            table[a][b].games += 1
            table[b][a].points += 1 - res.scoreA
            table[b][a].games += 1
        }
        crosstable = table
        games = results.count
    }

    /// The standings as a text table.
    public var text: String {
        var out = "rank  entrant                      Elo     95% CI   games  score   win%\n"
        for (i, r) in ratings.enumerated() {
            let ci = r.interval.isFinite ? String(format: "±%.0f", r.interval) : "—"
            let pct = r.games > 0 ? String(format: "%.1f", 100 * r.score / Double(r.games)) : "—"
            let cols = [String(format: "%.0f", r.elo), ci, String(r.games), fmt(r.score), pct]
            let widths = [8, 11, 8, 7, 7]
            out +=
                String(format: "%4d  ", i + 1) + r.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + zip(cols, widths).map { String(repeating: " ", count: max(1, $1 - $0.count)) + $0 }.joined() + "\n"
        }
        if games > 0 {
            out += "(Bradley-Terry Elo, mean 0, with BayesElo's prior: 2 virtual draws between entrants who met)\n"
        }
        if labels.count > 1 {
            out +=
                "\ncrosstable (points / games against each column)\n"
                + "".padding(toLength: 26, withPad: " ", startingAt: 0)
            out += (1...labels.count).map { String(format: "%8d", $0) }.joined() + "\n"
            for (i, name) in labels.enumerated() {
                out += String(format: "%2d ", i + 1) + name.padding(toLength: 23, withPad: " ", startingAt: 0)
                for j in labels.indices {
                    let c = crosstable[i][j]
                    let cell = i == j ? "·" : (c.games == 0 ? "-" : "\(fmt(c.points))/\(c.games)")
                    out += String(repeating: " ", count: max(1, 8 - cell.count)) + cell
                }
                out += "\n"
            }
        }
        return out
    }

    func fmt(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
}
