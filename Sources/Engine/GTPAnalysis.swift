import Foundation
import GoRules

/// The analysis commands that stream lines until the next command: Leela Zero's `lz-analyze` and
/// `lz-genmove_analyze`, KataGo's `kata-analyze` (what Sabaki, Lizzie and KaTrain send).
extension GTPEngine {
    /// The two line formats: Leela Zero's (win rate and prior in 1/10000) and KataGo's (0…1, ownership).
    public enum AnalysisFormat: Sendable { case leelaZero, kataGo }

    /// Commands whose response streams: `run` writes `=` before their lines.
    static let streaming: Set<String> = ["lz-analyze", "kata-analyze", "lz-genmove_analyze"]

    func analysisRequest(_ a: [String]) throws -> AnalyzeRequest {
        try AnalyzeRequest(a, toMove: game.toMove, nextMove: game.moves.count + 1, boardSize: game.size)
    }

    /// `lz-analyze`/`kata-analyze` inside `handle`: starts the stream and answers at once.
    func startAnalysis(_ a: [String], format: AnalysisFormat) throws -> String {
        beginAnalysis(try analysisRequest(a), format: format)
        return ""
    }

    /// `lz-genmove_analyze` inside `handle`: the info lines go to `output`, the move ends the response.
    func genmoveAnalyze(_ a: [String]) throws -> String {
        let request = try analysisRequest(a)
        let move = try genmove(request.color, play: true, restrictions: request.restrictions) { [weak self] d in
            self?.output(Self.infoLine(d, request: request, format: .leelaZero, ownership: nil))
        }
        return "\nplay \(move)"
    }

    /// One analysis line: `info move Q16 visits 12 winrate 5321 prior 1234 order 0 pv Q16 D4 …` for
    /// Leela Zero (win rate and prior in 1/10000), the same keys with 0…1 values and the score lead
    /// (`MoveInfo.lead`, as `scoreMean` and `scoreLead`) for KataGo, then KataGo's `ownership` (361
    /// values, +1 the side to move's) when asked for.
    public static func infoLine(_ d: Decision, request: AnalyzeRequest, format: AnalysisFormat, ownership: [Double]?)
        -> String
    {
        // Unvisited candidates only when `minmoves` asks for them, as in Leela Zero.
        let shown = d.candidates.enumerated().filter { $0.element.visits > 0 || $0.offset < request.minMoves }.map(
            \.element)
        var line = shown.prefix(max(20, request.minMoves)).enumerated().map { i, c in
            let pv = c.pv.map { Coordinates.gtp($0, size: Board.standardSize) }.joined(separator: " ")
            let rates =
                format == .leelaZero
                ? "winrate \(permyriad(c.winrate)) prior \(permyriad(c.prior))"
                : "winrate \(fraction(c.winrate)) scoreMean \(points(c.lead)) scoreLead \(points(c.lead)) "
                    + "prior \(fraction(c.prior))"
            return
                "info move \(Coordinates.gtp(c.move, size: Board.standardSize)) visits \(c.visits) \(rates) order \(i) pv \(pv)"
        }.joined(separator: " ")
        if let ownership { line += " ownership " + ownership.map(fraction).joined(separator: " ") }
        return line
    }

    /// A probability in 1/10000, clamped; a NaN (a broken network) reads as 0 instead of trapping.
    static func permyriad(_ x: Double) -> Int { x.isFinite ? Int((min(max(x, 0), 1) * 10000).rounded()) : 0 }

    static func fraction(_ x: Double) -> String { String(format: "%.6f", x.isFinite ? x : 0) }

    /// A score lead in points with two decimals.
    static func points(_ lead: Double) -> String { String(format: "%.2f", lead.isFinite ? lead : 0) }

    /// The ownership (`AnalysisOwnership`) from `color`'s view (KataGo's side-to-move default),
    /// rows from the top.
    func ownershipForAnalysis(_ color: Stone) -> [Double] {
        // The position as analysed: `color` to move (a client may ask for either side).
        let black = AnalysisOwnership.black(
            Moves.withMover(game, color), network: game.size == Board.standardSize ? player.analysisNetwork : nil,
            playouts: judgementPlayouts, seed: UInt64(game.moves.count) &+ 1)
        let sign: Double = color == .black ? 1 : -1
        return black.map { sign * $0 }
    }

    /// Streams analysis on a background thread until `stopAnalysis()`.
    func beginAnalysis(_ request: AnalyzeRequest, format: AnalysisFormat) {
        let snapshot = Moves.withMover(game, request.color)
        // The engine reads no command until the analysis has stopped (`stopAnalysis` waits for the
        // thread), so the player and the output are never used by two threads at once.
        nonisolated(unsafe) let player = self.player
        nonisolated(unsafe) let out = output
        // Analysis searches without a visit cap; the cap comes back when it stops.
        player.control.visits = PlayerSettings.mostVisits
        let ownership = request.ownership ? ownershipForAnalysis(request.color) : nil
        let stopFlag = StopFlag()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var last = Date.distantPast
            // Analyse in short searches so the output refreshes and a stop is seen quickly.
            while !stopFlag.isSet {
                let d = player.decide(
                    snapshot, color: request.color, seconds: min(request.interval, 0.5),
                    restrictions: request.restrictions, analysis: nil)
                if Date().timeIntervalSince(last) >= request.interval, !stopFlag.isSet {
                    out(Self.infoLine(d, request: request, format: format, ownership: ownership))
                    last = Date()
                }
                // A policy player's answer does not change: wait for the next line or a stop, whichever comes first.
                if !player.searches { stopFlag.wait(until: last.addingTimeInterval(request.interval)) }
            }
            done.signal()
        }
        analysisStop = {
            stopFlag.set()
            done.wait()
            player.control.visits = nil
        }
        thread.start()
    }

    /// Ends a running analysis (any next line does).
    public func stopAnalysis() {
        analysisStop?()
        analysisStop = nil
    }
}

/// A thread-safe stop flag that a waiting thread sees at once.
final class StopFlag: @unchecked Sendable {  // Its one value is read and written under `condition`.
    private let condition = NSCondition()
    private var value = false
    var isSet: Bool {
        condition.lock()
        defer { condition.unlock() }
        return value
    }
    func set() {
        condition.lock()
        value = true
        condition.broadcast()
        condition.unlock()
    }
    /// Sleeps until `deadline` or until the flag is set.
    func wait(until deadline: Date) {
        condition.lock()
        while !value && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
