import GoNetwork
import GoRules

/// One result line of the analysis protocol: `moveInfos`, `rootInfo`, and the ownership and
/// policy when asked, every value told from the query's perspective.
struct AnalysisAnswer {
    var id: String
    var turn: Int
    var game: Game
    var decision: Decision
    var perspective: ReportPerspective
    var includePVVisits: Bool
    /// Ownership of the position, Black's (+1) in -1…1, when asked.
    var ownership: [Double]?
    /// Ownership after each candidate, Black's, when asked.
    var movesOwnership: [Move: [Double]]?
    /// The network's raw policy (362 values, one evaluation in the board's own orientation), when asked.
    var policy: [Float]?

    /// The most candidates an answer lists: every move a search visited is far fewer, and a
    /// policy player's "visits" are its priors, which reach every legal move.
    static let mostCandidates = 50

    func json(duringSearch: Bool) -> [String: Any] {
        let toMove = game.toMove
        let sign = perspective.sign(toMove: toMove)
        // A win rate for the side to move, told from the perspective.
        func rate(_ w: Double) -> Double { sign > 0 ? w : 1 - w }
        func told(_ lead: Double) -> Double { sign * (lead.isFinite ? lead : 0) }
        let ownershipSign: Double =
            perspective == .sideToMove ? (toMove == .black ? 1 : -1) : (perspective == .black ? 1 : -1)
        let shown = decision.candidates.filter { $0.visits > 0 }.prefix(Self.mostCandidates)
        let infos: [[String: Any]] = shown.enumerated().map { order, c in
            var info: [String: Any] = [
                "move": Coordinates.gtp(c.move, size: Board.standardSize), "visits": c.visits,
                "winrate": rate(c.winrate),
                "scoreLead": told(c.lead), "scoreMean": told(c.lead), "scoreSelfplay": told(c.lead),
                "prior": c.prior, "order": order, "pv": c.pv.map { Coordinates.gtp($0, size: Board.standardSize) },
            ]
            if includePVVisits { info["pvVisits"] = c.pvVisits.isEmpty ? c.pv.map { _ in c.visits } : c.pvVisits }
            if let o = movesOwnership?[c.move] { info["ownership"] = o.map { ownershipSign * $0 } }
            return info
        }
        let visits = shown.reduce(0) { $0 + $1.visits }
        var answer: [String: Any] = [
            "id": id, "turnNumber": turn, "isDuringSearch": duringSearch, "moveInfos": infos,
            "rootInfo": [
                "winrate": rate(decision.winrate), "scoreLead": told(decision.lead),
                "scoreSelfplay": told(decision.lead), "visits": visits,
                "currentPlayer": toMove.letter, "thisHash": Self.hex(game.board.hash, toMove),
            ] as [String: Any],
        ]
        if let ownership { answer["ownership"] = ownership.map { ownershipSign * $0 } }
        if let policy {
            answer["policy"] = (0..<Features.moves).map { i -> Double in
                let m = Move(index: i, size: Board.standardSize)
                return game.legality(m, for: toMove) == .legal ? Double(policy[i]) : -1
            }
        }
        return answer
    }

    /// The position's hash with the side to move, as 16 hex digits.
    static func hex(_ hash: UInt64, _ toMove: Stone) -> String {
        let h = toMove == .black ? hash : hash ^ 0x9E37_79B9_7F4A_7C15
        let s = String(h, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
