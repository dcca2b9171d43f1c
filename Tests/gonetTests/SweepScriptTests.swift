import Foundation
import TestSupport
import XCTest

/// `scripts/sweep`: one training a combination of settings, ranked in a table; a stopped sweep
/// continues without retraining, and a run that fails stops it, naming the run.
final class SweepScriptTests: XCTestCase {
    func testASweepTrainsEachCombinationOnceAndRanksThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let archive = dir + "/s.games.zst"
        let imported = try runGonet(["games", "import", "Games/gnugo-selfplay-0000.sgf.zst", "-o", archive])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let root = TestPaths.packageRoot.path
        let script = root + "/scripts/sweep"
        let out = dir + "/sweep"
        func sweep(_ axes: [String]) throws -> (status: Int32, output: String) {
            try runTool(
                script,
                [
                    "--config", root + "/examples/training/budget.json", "--data", archive, "-o", out, "--gonet",
                    TestPaths.products.appendingPathComponent("gonet").path,
                ] + axes + [
                    "--", "--steps", "2", "--blocks", "1", "--filters", "4", "--validation-positions", "50",
                    "--validation-fraction", "0.2",
                ])
        }
        let first = try sweep(["lr=0.1,0.2", "value-weight=0.5"])
        XCTAssertEqual(first.status, 0, first.output)
        let table = try String(contentsOfFile: out + "/sweep.md", encoding: .utf8)
        let lines = table.split(separator: "\n")
        XCTAssertEqual(
            lines.first, "| lr | value-weight | top-1 | top-5 | policy loss | value MSE | value sign | minutes |")
        XCTAssertEqual(lines.count, 4, table)
        XCTAssertEqual(
            Set(lines.dropFirst(2).map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) }),
            ["0.1", "0.2"])
        for run in ["lr-0.1_value-weight-0.5", "lr-0.2_value-weight-0.5"] {
            let net = try runGonet(["net", "info", "\(out)/\(run).safetensors"])
            XCTAssertTrue(net.stdout.contains("resnet 1x4"), net.stdout)
        }
        // Continued: nothing is trained again, and the table is the same.
        let again = try sweep(["lr=0.1,0.2", "value-weight=0.5"])
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertEqual(again.output.components(separatedBy: "(done before)").count - 1, 2, again.output)
        XCTAssertEqual(try String(contentsOfFile: out + "/sweep.md", encoding: .utf8), table)
        // A setting gonet refuses stops the sweep, naming the run and its output.
        let bad = try sweep(["colour=red"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.output.contains("colour-red failed"), bad.output)
        let log = try String(contentsOfFile: out + "/colour-red.out", encoding: .utf8)
        XCTAssertTrue(log.contains("unknown setting --colour"), log)
    }
}
