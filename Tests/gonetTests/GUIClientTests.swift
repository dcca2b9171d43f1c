import Foundation
import GoRecords
import TestSupport
import XCTest

/// Real review clients against `gonet analysis` and `gonet analyze`: KaTrain's own engine code,
/// and sgfmill reading back a reviewed SGF. Their Python comes from scripts/gui-venv; without it the
/// tests fail, unless GONET_SKIP_GUI=1 says the machine runs without PyPI.
final class GUIClientTests: XCTestCase {
    static let network = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32-xl.safetensors").path
    /// A short game with a comment of its own, a handicap stone and a pass.
    static let game =
        "(;GM[1]FF[4]SZ[19]KM[0.5]HA[2]RU[Japanese]PB[Ada]PW[Bo]AB[pd][dp]C[A teaching game]"
        + ";W[dd];B[pp];W[qf]C[An approach];B[nc];W[fc];B[];W[cn])"

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-gui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func python() throws -> String { try guiPython() }

    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try runTool(executable, arguments)
    }

    /// KaTrain's KataGoEngine starts `gonet analysis` from its "override engine command", sends
    /// its queries (its rules, ownership, policy, reportAnalysisWinratesAs, maxTime,
    /// wideRootNoise) and accepts every answer: win rates, score leads, points lost, ownership.
    func testKaTrainReviewsAGameWithGonetAnalysis() throws {
        let py = try python()
        let sgf = dir.appendingPathComponent("game.sgf").path
        try Self.game.write(toFile: sgf, atomically: true, encoding: .utf8)
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/gonetTests/Clients/katrain_review.py").path
        let gonet = TestPaths.products.appendingPathComponent("gonet").path
        let r = try run(py, [script, gonet, Self.network, sgf])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("KaTrain reviewed 8 nodes"), r.output)
    }

    /// `gonet analyze` writes each node's analysis; gonet reads the game back unchanged, and
    /// sgfmill reads the same properties.
    func testAnalyzeWritesAReviewThatGonetAndSgfmillReadBack() throws {
        let sgf = dir.appendingPathComponent("game.sgf").path
        let reviewed = dir.appendingPathComponent("reviewed.sgf").path
        try Self.game.write(toFile: sgf, atomically: true, encoding: .utf8)
        let r = try runGonet(["analyze", sgf, "-o", reviewed, "--network", Self.network, "--visits", "16"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("8 positions"), r.stderr)

        let original = try XCTUnwrap(SGFReader.records(text: Self.game).first)
        let (nodes, record) = try SGFReader.mainLine(path: reviewed)
        XCTAssertEqual(record.moves, original.moves)
        XCTAssertEqual(record.setup, original.setup)
        XCTAssertEqual(record.komi, 0.5)
        XCTAssertEqual(nodes.count, 8)
        for (i, node) in nodes.enumerated() {
            let winrate = try XCTUnwrap(node["SBKV"]?.values.first.flatMap(Double.init), "node \(i)")
            XCTAssertTrue((0...100).contains(winrate))
            let lz = try XCTUnwrap(node["LZ"]?.values.first, "node \(i)").split(separator: "\n")
            XCTAssertEqual(lz.count, 2, "node \(i): \(lz)")
            XCTAssertTrue(lz[0].hasPrefix("gonet "))
            XCTAssertTrue(lz[1].hasPrefix("info move "), String(lz[1]))
            XCTAssertTrue(node["C"]?.values.first?.contains("gonet: Black ") == true, "node \(i)")
        }
        XCTAssertTrue(nodes[0]["C"]!.values[0].hasPrefix("A teaching game\n\ngonet: Black "))
        XCTAssertTrue(nodes[3]["C"]!.values[0].hasPrefix("An approach\n\ngonet: Black "))
        XCTAssertTrue(nodes[2]["C"]!.values[0].contains("\nB Q4: "), nodes[2]["C"]!.values[0])

        // The same file through sgfmill: moves, setup and the review properties.
        let py = try python()
        let check = """
            import sys
            from sgfmill import sgf
            game = sgf.Sgf_game.from_bytes(open(sys.argv[1], "rb").read())
            nodes = game.get_main_sequence()
            assert len(nodes) == 8, len(nodes)
            assert game.get_root().get_setup_stones()[0] == {(15, 15), (3, 3)}, game.get_root().get_setup_stones()
            assert [n.get_move() for n in nodes[1:3]] == [("w", (15, 3)), ("b", (3, 15))]
            for n in nodes:
                assert 0 <= float(n.get("SBKV")) <= 100
                assert n.get("LZ").split("\\n")[1].startswith("info move ")
                assert "gonet: Black " in n.get("C")
            print("sgfmill read", len(nodes), "nodes")
            """
        let script = dir.appendingPathComponent("check.py").path
        try check.write(toFile: script, atomically: true, encoding: .utf8)
        let s = try run(py, [script, reviewed])
        XCTAssertEqual(s.status, 0, s.output)
        XCTAssertTrue(s.output.contains("sgfmill read 8 nodes"), s.output)
    }

    func testAnalyzeRefusesToOverwriteItsInputAndNamesABrokenFile() throws {
        let sgf = dir.appendingPathComponent("game.sgf").path
        try Self.game.write(toFile: sgf, atomically: true, encoding: .utf8)
        let same = try runGonet(["analyze", sgf, "-o", sgf, "--network", Self.network])
        XCTAssertNotEqual(same.status, 0)
        XCTAssertTrue(same.stderr.contains("-o must name a new file"), same.stderr)
        let broken = dir.appendingPathComponent("broken.sgf").path
        try "(;GM[1]SZ[19];B[pd];W[pd])".write(toFile: broken, atomically: true, encoding: .utf8)
        let r = try runGonet([
            "analyze", broken, "-o", dir.appendingPathComponent("out.sgf").path, "--network", Self.network,
        ])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("broken.sgf"), r.stderr)
        XCTAssertTrue(r.stderr.contains("point occupied"), r.stderr)
    }
}

/// The GUI venv's interpreter (scripts/gui-venv makes it when missing); GONET_SKIP_GUI=1 skips the
/// tests that need it on a machine without PyPI.
func guiPython() throws -> String {
    if ProcessInfo.processInfo.environment["GONET_SKIP_GUI"] == "1" { throw XCTSkip("GONET_SKIP_GUI=1") }
    let p = Process()
    p.executableURL = TestPaths.packageRoot.appendingPathComponent("scripts/gui-venv")
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    p.waitUntilExit()
    guard p.terminationStatus == 0, !path.isEmpty else {
        XCTFail("scripts/gui-venv could not make the venv with KaTrain, sgfmill and Selenium")
        throw XCTSkip("no GUI venv")
    }
    return path
}

/// Runs a program (a path, or a name looked up on the PATH) to its end; its status and its
/// standard output and error together.
func runTool(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : "/usr/bin/env")
    p.arguments = executable.contains("/") ? arguments : [executable] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text)
}
