import Foundation
import NeuralNet
import TestSupport
import XCTest

final class GamesCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-gamescli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A folder reached through a link is searched like any other; a folder without records is
    /// refused by name before the archive is touched.
    func testLinkedAndEmptyFolders() throws {
        let linked = dir.appendingPathComponent("records").path
        try FileManager.default.createSymbolicLink(
            atPath: linked, withDestinationPath: TestPaths.packageRoot.appendingPathComponent("Games").path)
        let archive = dir.appendingPathComponent("l.games.zst").path
        let imp = try runGonet(["games", "import", linked, "-o", archive])
        XCTAssertEqual(imp.status, 0, imp.stderr)
        XCTAssertTrue(imp.stdout.contains("\(archive): 3,089 games imported, 1 skipped\n"), imp.stdout)

        let empty = dir.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let before = try Data(contentsOf: URL(fileURLWithPath: archive))
        let refused = try runGonet(["games", "import", empty, "-o", archive])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "gonet: \(empty): no game records in this directory (SGF, .sgf.zst)\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: archive)), before, "the archive is untouched")
    }

    func testImportInfoExportPlanes() throws {
        let archive = dir.appendingPathComponent("s.games.zst").path
        let imp = try runGonet(["games", "import", "Games", "-o", archive])
        XCTAssertEqual(imp.status, 0, imp.stderr)
        XCTAssertTrue(imp.stdout.contains("\(archive): 3,089 games imported, 1 skipped\n"), imp.stdout)
        XCTAssertTrue(imp.stdout.contains("  skipped 1: illegal move\n"), imp.stdout)
        XCTAssertTrue(
            imp.stdout.contains(
                "tygem-2016-07-sample3000.sgf.zst:24:1943: illegal move B H1 at move 303: ko recapture"), imp.stdout)

        let info = try runGonet(["games", "info", archive])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("  games        3,089\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("  moves        631,860 (204.6 per game)\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("  lengths      50-99: 153, 100-149: 485"), info.stdout)

        let sgf = dir.appendingPathComponent("back.sgf.zst").path
        let exp = try runGonet(["games", "export", archive, "-o", sgf])
        XCTAssertEqual(exp.status, 0, exp.stderr)
        let again = try runGonet(["games", "info", sgf])
        XCTAssertTrue(again.stdout.contains("  moves        631,860 (204.6 per game)\n"), again.stdout)
        let perGame = dir.appendingPathComponent("games").path
        XCTAssertEqual(try runGonet(["games", "export", archive, "-o", perGame]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: perGame).count, 3089)

        // The position after Black's first move of the first game, White to move, target W's reply.
        let out = dir.appendingPathComponent("p.safetensors").path
        let planes = try runGonet([
            "games", "planes", "Games/gnugo-selfplay-0000.sgf.zst", "--game", "0", "--move", "1", "-o", out,
        ])
        XCTAssertEqual(planes.status, 0, planes.stderr)
        XCTAssertEqual(
            planes.stdout, "wrote \(out): game 0, white to move after 1 moves, target D12, value 1.0 (mask 1.0)\n")
        let t = try SafeTensors.read(path: out)
        XCTAssertEqual(t.entries["planes"]?.shape, [1, 6, 19, 19])
        let p = t.tensor("planes")!.data
        let ql = 11 * 19 + 16  // Black's first move, B[ql] = (16, 11)
        XCTAssertEqual(p[361 + ql], 1, "their stone")
        XCTAssertEqual(p[3 * 361 + ql], 1, "their last move")
        XCTAssertEqual(p[5 * 361..<6 * 361].reduce(0, +), 361, "white to move")
        XCTAssertEqual(t.tensor("policy_target")!.data, [Float(7 * 19 + 3)], "W[dh] = (3, 7)")
        XCTAssertEqual(t.tensor("value_target")!.data, [1], "W+2.5: white wins")
        XCTAssertEqual(t.entries["policy_target"]?.dtype, .I64)

        let bad = try runGonet(["games", "planes", archive, "--game", "99999", "--move", "0", "-o", out])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("holds 3089 games: --game must be 0…3088"), bad.stderr)
    }
}
