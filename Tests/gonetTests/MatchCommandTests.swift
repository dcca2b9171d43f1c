import Foundation
import XCTest

final class MatchCommandTests: XCTestCase {
    func testBadSettingsAreRefusedWithTheirName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-match-cli-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let net = "Networks/budget-resnet5x32.safetensors"
        let cases: [([String], String)] = [
            (["--scoring", "japanese"], "--scoring must be tromp-taylor or dead-removed, not japanese"),
            (["--sprt", "35"], "--sprt is ELO0,ELO1"),
            (["--sprt", "35,0"], "SPRT needs finite Elo bounds with elo0 < elo1, not 35.0 and 0.0"),
            (["--komi", "1e300"], "komi must be a number from -361 to 361"),
            (["--games", "0"], "games must be 1 to 10000, not 0"),
        ]
        for (extra, message) in cases {
            let r = try runGonet(["match", net, "gnugo --mode gtp --level 1", "-o", dir] + extra)
            XCTAssertEqual(r.status, 1, "\(extra)")
            XCTAssertTrue(r.stderr.contains(message), "\(extra): \(r.stderr)")
        }
        let r = try runGonet(["match", "nowhere.safetensors:mcts", "gnugo", "-o", dir])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("nowhere.safetensors: no such network file"), r.stderr)
        XCTAssertTrue(try runGonet(["--help"]).stdout.contains("  match "))
    }
}
