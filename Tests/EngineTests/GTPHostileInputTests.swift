import Engine
import Foundation
import GoNetwork
import GoRules
import TestSupport
import XCTest

/// Numbers and lines from a client that once trapped or desynchronised the engine.
final class GTPHostileInputTests: XCTestCase {
    func engine() -> GTPEngine { GTPEngine(player: PolicyPlayer(network: uniformNetwork(), symmetries: false)) }

    func testNumbersAreRangeCheckedNeverTrapped() {
        let e = engine()
        for line in [
            "komi 1e300", "komi -inf", "komi nan", "komi 362",
            "kgs-time_settings canadian 9 7 inf", "kgs-time_settings canadian 9 7 1.5",
            "kgs-time_settings absolute 1e300",
            "kgs-time_settings byoyomi 10 nan 3", "kgs-time_settings absolute", "kgs-time_settings none 5",
            "time_settings 1e300 1 1", "time_settings 10 -1 1", "time_settings 10 10 99999999999999999999",
            "time_left b 1e300 0", "time_left b 10 -1", "time_left b nan 0",
            "fixed_handicap 99999999999999999999", "loadsgf x.sgf 0", "loadsgf x.sgf 1e9",
        ] {
            XCTAssertEqual(e.handle(line), "? syntax error\n\n", line)
        }
        XCTAssertEqual(e.handle("place_free_handicap -3"), "? invalid number of stones\n\n")
        XCTAssertEqual(e.handle("komi -361"), "=\n\n")
        XCTAssertEqual(e.handle("final_score"), "= B+361\n\n", "the largest komi still formats")
        XCTAssertEqual(e.handle("kgs-time_settings canadian 31536000 31536000 100000"), "=\n\n")
        XCTAssertEqual(e.handle("time_left w 31536000 100000"), "=\n\n")
        XCTAssertTrue(e.handle("genmove w")!.hasPrefix("= "), "the largest clock still plays")
    }

    func testIdsOfAnyLengthAreEchoed() {
        let e = engine()
        XCTAssertEqual(e.handle("1234567890123456789012345 name"), "=1234567890123456789012345 gonet\n\n")
        XCTAssertEqual(e.handle("007 frobnicate"), "?007 unknown command\n\n")
        XCTAssertEqual(e.handle("99999999999999999999999999 komi x"), "?99999999999999999999999999 syntax error\n\n")
    }

    func testNoEmptyLineInsideAResponse() {
        XCTAssertEqual(GTPParser.success("3", "a\n\nb\n"), "=3 a\nb\n\n")
        let e = engine()
        _ = e.handle("play b D4")
        _ = e.handle("play b Q16")
        for list in ["alive", "dead", "seki"] {
            let r = e.handle("final_status_list \(list)")!
            XCTAssertFalse(r.dropLast(2).contains("\n\n"), r)
            XCTAssertTrue(r.hasSuffix("\n\n") && !r.hasSuffix("\n\n\n"), r)
        }
    }

    func testListCommandsComesFromTheHandlerTable() {
        let e = engine()
        let listed = e.handle("list_commands")!.dropFirst(2).split(separator: "\n").map(String.init)
        XCTAssertEqual(listed, GTPEngine.commands)
        XCTAssertEqual(Set(listed).count, listed.count)
        for name in listed { XCTAssertEqual(e.handle("known_command \(name)"), "= true\n\n", name) }
        XCTAssertTrue(listed.contains("kata-analyze"))
    }

    func testNaNProbabilitiesFormatWithoutTrapping() {
        let d = Decision(
            move: .pass, resign: false,
            candidates: [MoveInfo(move: .pass, visits: 3, winrate: .nan, prior: .infinity, pv: [.pass])], winrate: .nan)
        let request = try! AnalyzeRequest([], toMove: .black, nextMove: 1)
        XCTAssertEqual(
            GTPEngine.infoLine(d, request: request, format: .leelaZero, ownership: nil),
            "info move pass visits 3 winrate 0 prior 0 order 0 pv pass")
        XCTAssertEqual(
            GTPEngine.infoLine(d, request: request, format: .kataGo, ownership: nil),
            "info move pass visits 3 winrate 0.000000 scoreMean 0.00 scoreLead 0.00 prior 0.000000 order 0 pv pass")
    }

    func testKataGoLinesCarryTheScoreLeadOfTheWinRate() {
        let d = Decision(
            move: .pass, resign: false,
            candidates: [MoveInfo(move: .play(Point(x: 3, y: 3)), visits: 9, winrate: 0.75, prior: 0.5, pv: [])],
            winrate: 0.75)
        let request = try! AnalyzeRequest([], toMove: .black, nextMove: 1)
        let lead = String(format: "%.2f", ScoreLead.pointsPerLogit * log(3))
        XCTAssertEqual(
            GTPEngine.infoLine(d, request: request, format: .kataGo, ownership: nil),
            "info move D16 visits 9 winrate 0.750000 scoreMean \(lead) scoreLead \(lead) prior 0.500000 order 0 pv ")
    }

    /// Setup after the root: `loadsgf` applies it where it occurs, and `printsgf` keeps it.
    func testLoadSGFAppliesSetupAfterTheRoot() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-edit-\(UUID().uuidString).sgf")
            .path
        try "(;GM[1]SZ[19]KM[6.5];B[dd];W[pd];AE[pd]AB[pp];W[dp];B[cc])".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let e = engine()
        XCTAssertEqual(e.handle("loadsgf \(path) 3"), "=\n\n")
        XCTAssertNil(e.game.board[Point(x: 15, y: 3)], "Q16 was taken off before move 3")
        XCTAssertEqual(e.game.board[Point(x: 15, y: 15)], .black)
        XCTAssertEqual(e.game.toMove, .white)
        XCTAssertEqual(e.handle("loadsgf \(path)"), "=\n\n")
        XCTAssertEqual(e.game.moves.count, 4)
        XCTAssertTrue(e.handle("printsgf")!.contains(";AB[pp]AE[pd];W[dp]"))
        XCTAssertEqual(e.handle("undo"), "=\n\n")
        XCTAssertEqual(
            e.game.board[Point(x: 15, y: 15)], .black, "undo keeps the edit before the taken-back move's predecessor")
    }

    /// `loadsgf` reads a record under its own rules (a Korean game that repeats a position at move
    /// 120 loads whole), and the moves played after it follow gonet's positional superko.
    func testLoadSGFReadsARecordUnderItsOwnRules() throws {
        let path = TestPaths.packageRoot.appendingPathComponent("Tests/GoRecordsTests/Records/korean-repetition.sgf")
            .path
        let e = engine()
        XCTAssertEqual(e.handle("loadsgf \(path)"), "=\n\n")
        XCTAssertEqual(e.game.moves.count, 138)
        XCTAssertEqual(e.game.koRule, .positionalSuperko)
        let chinese = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-cn-\(UUID().uuidString).sgf")
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "RU[Korean]", with: "RU[Chinese]")
            .write(to: chinese, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: chinese) }
        XCTAssertEqual(e.handle("loadsgf \(chinese.path)"), "? cannot load file\n\n")
    }
}
