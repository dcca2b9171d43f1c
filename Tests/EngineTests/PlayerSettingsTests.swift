import Engine
import Foundation
import GoNetwork
import XCTest

/// Building a player from settings, with every knob checked.
final class PlayerSettingsTests: XCTestCase {
    func testBothModesAndTheirChecks() throws {
        let net = uniformNetwork()
        var s = PlayerSettings()
        XCTAssertTrue(try s.player(network: net) is PolicyPlayer)
        s.mode = .mcts
        s.search.visits = 32
        s.resignThreshold = 0.1
        let mcts = try XCTUnwrap(try s.player(network: net) as? MCTSPlayer)
        XCTAssertEqual(mcts.settings.visits, 32)
        XCTAssertEqual(mcts.settings.resignThreshold, 0.1)
        func error(_ change: (inout PlayerSettings) -> Void) -> String {
            var t = PlayerSettings()
            change(&t)
            do {
                _ = try t.player(network: net)
                return "built"
            } catch { return error.message }
        }
        XCTAssertEqual(error { $0.resignThreshold = 1.5 }, "the resign threshold must be in 0..<1, not 1.5")
        XCTAssertEqual(error { $0.temperature = .nan }, "the temperature must be a number from 0 to 100, not nan")
        XCTAssertEqual(
            error {
                $0.mode = .mcts
                $0.search.cPuct = -1
            }, "c_puct must be a number from 0 to 100, not -1.0")
        XCTAssertEqual(
            error {
                $0.mode = .mcts
                $0.search.visits = 0
            }, "visits must be 1 to 100000000, not 0")
        XCTAssertEqual(
            error {
                $0.mode = .mcts
                $0.search.playoutWeight = 1.5
            }, "the playout weight must be a number from 0 to 1, not 1.5")
        XCTAssertEqual(
            error {
                $0.mode = .mcts
                $0.search.playoutsPerLeaf = 0
            }, "the playouts per leaf must be 1 to 1000, not 0")
        XCTAssertEqual(error { $0.safePlayFromMove = 0 }, "the safe-play move must be 1 to 1000000, not 0")
        XCTAssertEqual(
            error {
                $0.mode = .mcts
                $0.search.seconds = 0
            }, "the time per move must be a positive number, not 0.0")
    }
}
