import Engine
import Foundation
import GoNetwork
import GoRecords
import GoRules
import NeuralNet
import TestSupport
import XCTest

/// The moves both players choose, with the shipped budget network, on positions of real games
/// from the opening to the last move: a record kept in Fixtures/decisions.txt, so that a change
/// to how players are put together shows every move it changes. A decision is compared only
/// where it was clear when recorded (the best candidate ahead of the next by more than
/// `clearPrior` of prior or `clearVisits` visits), so that the last bits of a float sum on
/// another CPU cannot flip a near tie. GONET_RECORD_DECISIONS=1 writes the record anew.
final class DecisionRecordTests: XCTestCase {
    static let network = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32-xl.safetensors").path
    static let games = TestPaths.packageRoot.appendingPathComponent("Games/gnugo-selfplay-0000.sgf.zst").path
    static let fixture = TestPaths.packageRoot.appendingPathComponent("Tests/EngineTests/Fixtures/decisions.txt").path
    static let clearPrior = 0.01
    static let clearVisits = 12

    /// One line: game, move number, mode, the move (or "resign"), how clear it was.
    static func decisions() throws -> [String] {
        Parallel.threads = 1
        let net = try NetworkFile.load(path: network)
        var lines: [String] = []
        let records = try SGFReader(path: games).prefix(4).map { try $0.record.get() }
        for (gi, record) in records.enumerated() {
            let count = record.moves.count
            let numbers = [30, 100, 160, 200, 230, 250, 270, 290, count - 2, count - 1, count].filter { $0 <= count }
            for n in Set(numbers).sorted() {
                var game = try record.game(afterMoves: n)
                game.koRule = .positionalSuperko
                for mode in [PlayMode.policy, .mcts] {
                    var settings = PlayerSettings()
                    settings.mode = mode
                    settings.search.visits = 200
                    settings.resignThreshold = 0.1
                    let player = try settings.player(network: net)
                    let d = player.decide(game, color: game.toMove, seconds: nil, analysis: nil)
                    let what = d.resign ? "resign" : Coordinates.gtp(d.move, size: 19)
                    let ranked = d.candidates.filter { $0.move != d.move }
                    let chosen = d.candidates.first { $0.move == d.move }
                    let clear: Bool
                    switch mode {
                    case .policy:
                        clear = (chosen?.prior ?? 1) - (ranked.first?.prior ?? 0) > clearPrior || d.candidates.isEmpty
                    case .mcts:
                        clear =
                            (chosen?.visits ?? 1_000) - (ranked.map(\.visits).max() ?? 0) > clearVisits
                            || d.candidates.isEmpty
                    }
                    lines.append("\(gi) \(n) \(mode.rawValue) \(what) \(clear ? "clear" : "close")")
                }
            }
        }
        return lines
    }

    func testEveryClearDecisionIsTheRecordedOne() throws {
        let now = try Self.decisions()
        if ProcessInfo.processInfo.environment["GONET_RECORD_DECISIONS"] == "1" {
            try (now.joined(separator: "\n") + "\n").write(toFile: Self.fixture, atomically: true, encoding: .utf8)
            throw XCTSkip("recorded \(now.count) decisions")
        }
        let recorded = try String(contentsOfFile: Self.fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(now.count, recorded.count)
        var compared = 0
        for (a, b) in zip(recorded, now) {
            let was = a.split(separator: " ")
            let isNow = b.split(separator: " ")
            XCTAssertEqual(was.prefix(3), isNow.prefix(3), "the same positions and modes")
            guard was.last == "clear" else { continue }
            compared += 1
            XCTAssertEqual(was[3], isNow[3], "game \(was[0]) move \(was[1]) \(was[2])")
        }
        XCTAssertGreaterThan(compared, recorded.count / 2, "most recorded decisions are clear")
    }
}
