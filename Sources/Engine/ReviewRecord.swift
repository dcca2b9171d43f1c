import Foundation
import GoRecords
import GoRules

/// A game record with a review written into it, in the properties the GUIs read back:
/// - `SBKV`: Black's win rate in percent (Sabaki's win-rate graph);
/// - `LZ`: Lizzie's own analysis property, `gonet WINRATE VISITS` then Leela Zero's info line of
///   the candidates (Lizzie shows them on the board when the node is visited);
/// - `C`: the same in words, after the node's own comment: win rates, score leads, the move's
///   cost against the best one, the best candidates.
public enum ReviewRecord {
    /// The main line's `nodes` with each position's analysis added; `positions[k]` is turn k
    /// (the root is turn 0, the node of move k turn k). Nodes without a move keep what they have.
    public static func annotate(_ nodes: [SGFNode], with positions: [ReviewedPosition], size: Int = Board.standardSize)
        -> [SGFNode]
    {
        var byTurn: [Int: ReviewedPosition] = [:]
        for p in positions { byTurn[p.turn] = p }
        var out = nodes
        var turn = 0
        for i in out.indices {
            let move = out[i].properties.first { $0.id == "B" || $0.id == "W" }
            if i > 0 {
                guard move != nil else { continue }
                turn += 1
            }
            guard let here = byTurn[turn] else { continue }
            let before = turn > 0 ? byTurn[turn - 1] : nil
            var properties = out[i].properties.filter { !["SBKV", "LZ"].contains($0.id) }
            let black = blackWinrate(here)
            properties.append(SGFProperty("SBKV", [String(format: "%.2f", 100 * black)]))
            properties.append(SGFProperty("LZ", [lizzie(here)]))
            let words = comment(here, before: before, played: i > 0 ? move : nil)
            if let c = properties.firstIndex(where: { $0.id == "C" }) {
                properties[c].values = [(properties[c].values.first ?? "") + "\n\n" + words]
            } else {
                properties.append(SGFProperty("C", [words]))
            }
            out[i].properties = properties
        }
        return out
    }

    /// Black's win rate at a position.
    static func blackWinrate(_ p: ReviewedPosition) -> Double {
        p.toMove == .black ? p.decision.winrate : 1 - p.decision.winrate
    }

    /// Black's score lead at a position, in points.
    static func blackLead(_ p: ReviewedPosition) -> Double {
        p.toMove == .black ? p.decision.lead : -p.decision.lead
    }

    /// Lizzie's `LZ` value: the name, the win rate of the side that just moved (Lizzie stores
    /// 100 minus the side to move's), the visits, then the candidates as `lz-analyze` prints them.
    static func lizzie(_ p: ReviewedPosition) -> String {
        let visits = p.decision.candidates.reduce(0) { $0 + $1.visits }
        let request = try! AnalyzeRequest([], toMove: p.toMove, nextMove: p.turn + 1)
        let line = GTPEngine.infoLine(p.decision, request: request, format: .leelaZero, ownership: nil)
        return "gonet \(String(format: "%.1f", 100 * (1 - p.decision.winrate))) \(visits)\n\(line)"
    }

    /// The words: the position's standing, the move's cost, the best candidates.
    static func comment(_ p: ReviewedPosition, before: ReviewedPosition?, played: SGFProperty?) -> String {
        let black = blackWinrate(p)
        let lead = blackLead(p)
        let visits = p.decision.candidates.reduce(0) { $0 + $1.visits }
        var lines = [
            "gonet: Black \(percent(black)), \(lead >= 0 ? "B" : "W")+\(String(format: "%.1f", abs(lead))) (\(visits) visits)"
        ]
        if let before, let played, let mover = Stone(name: played.id) {
            // The mover's win rate before the move (its best) and after it (the opponent's to move).
            let was = mover == .black ? blackWinrate(before) : 1 - blackWinrate(before)
            let now = mover == .black ? black : 1 - black
            // The mover's lead before the move less after it: the points the move lost.
            let points = mover == .black ? blackLead(before) - blackLead(p) : blackLead(p) - blackLead(before)
            var line = "\(played.id) \(played.values.first.map { vertex($0) } ?? "pass"): "
            line += String(format: "%+.1f%%", 100 * (now - was)) + String(format: ", %+.1f points", -points)
            if let best = before.decision.candidates.first,
                vertex(played.values.first ?? "") != Coordinates.gtp(best.move, size: Board.standardSize)
            {
                line += "; best was \(Coordinates.gtp(best.move, size: Board.standardSize))"
            }
            lines.append(line)
        }
        let shown = p.decision.candidates.filter { $0.visits > 0 }.prefix(5)
        if !shown.isEmpty {
            lines.append(
                "Best: "
                    + shown.map {
                        "\(Coordinates.gtp($0.move, size: Board.standardSize)) \(percent($0.winrate)) (\($0.visits))"
                    }
                    .joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

    /// An SGF move value as a GTP vertex (`pd` → `Q16`; empty or `tt` → pass).
    static func vertex(_ sgf: String) -> String {
        Coordinates.move(sgf: sgf, size: Board.standardSize).map { Coordinates.gtp($0, size: Board.standardSize) }
            ?? sgf
    }
}
