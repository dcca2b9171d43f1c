import Foundation
import XCTest

final class MatchCommandTests: XCTestCase {
    func testBadSettingsAreRefusedWithTheirName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-match-cli-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let net = "Networks/budget-resnet5x32.safetensors"
        // A flag the command line cannot read is a usage error (64, as swift-argument-parser exits);
        // a value the match's settings refuse fails the command (1).
        let cases: [([String], Int32, String)] = [
            (["--scoring", "japanese"], 64, "The value 'japanese' is invalid for '--scoring <scoring>'"),
            (["--sprt", "35"], 64, "--sprt is ELO0,ELO1"),
            (["--sprt", "35,0"], 1, "SPRT needs finite Elo bounds with elo0 < elo1, not 35.0 and 0.0"),
            (["--komi", "1e300"], 1, "komi must be a number from -361 to 361"),
            (["--games", "0"], 1, "games must be 1 to 10000, not 0"),
        ]
        for (extra, status, message) in cases {
            let r = try runGonet(["match", net, "gnugo --mode gtp --level 1", "-o", dir] + extra)
            XCTAssertEqual(r.status, status, "\(extra)")
            XCTAssertTrue(r.stderr.contains(message), "\(extra): \(r.stderr)")
        }
        let r = try runGonet(["match", "nowhere.safetensors:mcts", "gnugo", "-o", dir])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("nowhere.safetensors: no such network file"), r.stderr)
        XCTAssertTrue(try runGonet(["--help"]).stdout.contains("  match "))
    }
}
