import Foundation
import TestSupport
import XCTest

/// `gonet train` as a student runs it: the two-hour recipe, cut down, reports its progress in
/// minutes and ends on its time budget with a network file.
final class TrainCommandTests: XCTestCase {
    func testTheTwoHourRecipeReportsMinutesAndEndsOnItsBudget() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-train-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let archive = dir + "/s.games.zst"
        let imported = try runGonet(["games", "import", "Games/gnugo-selfplay-0000.sgf.zst", "-o", archive])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let out = dir + "/clock.safetensors"
        let r = try runGonet([
            "train", "--config", "examples/training/budget-2h.json", "--data", archive, "-o", out,
            "--max-minutes", "0.05", "--log-every", "2", "--batch", "16", "--blocks", "1", "--filters", "8",
            "--validation-positions", "100",
        ])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // Progress in minutes of the budget, not in steps of a total.
        let step = try XCTUnwrap(lines.first { $0.contains(" step 2 (") }, r.stdout)
        XCTAssertTrue(step.contains(" of 0.05 min) loss "), step)
        XCTAssertFalse(r.stdout.contains("step 2/"), r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("time budget of 0.05 min reached at step ") }, r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
    }
}
