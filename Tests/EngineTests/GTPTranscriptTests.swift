import Engine
import Foundation
import GoNetwork
import GoRules
import XCTest

final class GTPTranscriptTests: XCTestCase {
    func engine() -> GTPEngine { GTPEngine(player: PolicyPlayer(network: uniformNetwork())) }

    func testProtocolCommandsAndErrors() {
        let e = engine()
        XCTAssertEqual(e.handle("protocol_version"), "= 2\n\n")
        XCTAssertEqual(e.handle("1 name"), "=1 gonet\n\n")
        XCTAssertEqual(e.handle("2 version"), "=2 0.1.0\n\n")
        XCTAssertEqual(e.handle("known_command play"), "= true\n\n")
        XCTAssertEqual(e.handle("known_command frobnicate"), "= false\n\n")
        XCTAssertEqual(e.handle("list_commands")?.split(separator: "\n").count, GTPEngine.commands.count)
        XCTAssertEqual(e.handle("10 frobnicate"), "?10 unknown command\n\n")
        XCTAssertNil(e.handle("   # only a comment"))
        XCTAssertNil(e.handle(""))
        XCTAssertEqual(e.handle("\u{01}\u{7F}name\u{02}"), "= gonet\n\n", "control characters are removed")
        XCTAssertEqual(e.handle("3\tknown_command\tname # trailing comment"), "=3 true\n\n", "tabs are spaces")
        XCTAssertEqual(e.handle("boardsize 9"), "? unacceptable size\n\n")
        XCTAssertEqual(e.handle("boardsize x"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("boardsize 19"), "=\n\n")
        XCTAssertEqual(e.handle("komi 6.5"), "=\n\n")
        XCTAssertEqual(e.handle("komi lots"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("komi 1e300"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("komi 99999999999999999999"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("play black Q16"), "=\n\n")
        XCTAssertEqual(e.handle("play white q16"), "? illegal move\n\n")
        XCTAssertEqual(e.handle("play white Z99"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("play purple D4"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("play w"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("play w pass"), "=\n\n")
        XCTAssertEqual(e.game.moves.count, 2)
        XCTAssertEqual(e.handle("undo"), "=\n\n")
        XCTAssertEqual(e.handle("undo"), "=\n\n")
        XCTAssertEqual(e.handle("undo"), "? cannot undo\n\n")
        XCTAssertEqual(e.handle("final_score"), "= W+6.5\n\n")
        XCTAssertEqual(e.handle("quit"), "=\n\n")
        XCTAssertTrue(e.quitRequested)
    }

    func testHandicapAndTimeCommands() {
        let e = engine()
        XCTAssertEqual(e.handle("fixed_handicap 4"), "= D4 Q16 D16 Q4\n\n")
        XCTAssertEqual(e.handle("fixed_handicap 2"), "? board not empty\n\n")
        XCTAssertEqual(e.game.toMove, .white)
        XCTAssertEqual(e.handle("clear_board"), "=\n\n")
        XCTAssertEqual(e.handle("fixed_handicap 10"), "? invalid number of stones\n\n")
        XCTAssertEqual(e.handle("place_free_handicap 3"), "= D4 Q16 D16\n\n")
        XCTAssertEqual(e.handle("clear_board"), "=\n\n")
        XCTAssertEqual(e.handle("set_free_handicap D4 D4"), "? bad vertex list\n\n")
        XCTAssertEqual(e.handle("set_free_handicap D4 pass"), "? bad vertex list\n\n")
        XCTAssertEqual(e.handle("set_free_handicap D4 Q16 K10"), "=\n\n")
        XCTAssertEqual(e.game.board.stones(of: .black).count, 3)
        XCTAssertEqual(e.handle("set_free_handicap C3 C4"), "? board not empty\n\n")
        XCTAssertEqual(e.handle("time_settings 300 30 5"), "=\n\n")
        XCTAssertEqual(e.handle("time_settings 300 30"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("time_left white 12 3"), "=\n\n")
        XCTAssertEqual(e.handle("time_left green 12 3"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("kgs-time_settings canadian 600 30 10"), "=\n\n")
        XCTAssertEqual(e.handle("kgs-time_settings byoyomi 600 30 5"), "=\n\n")
        XCTAssertEqual(e.handle("kgs-time_settings absolute 600"), "=\n\n")
        XCTAssertEqual(e.handle("kgs-time_settings none"), "=\n\n")
        XCTAssertEqual(e.handle("kgs-time_settings hourglass 5"), "? syntax error\n\n")
    }

    func testGenmoveShowboardSGFAndStatus() throws {
        let e = engine()
        let r = try XCTUnwrap(e.handle("genmove b"))
        XCTAssertTrue(r.hasPrefix("= "), r)
        XCTAssertEqual(e.game.moves.count, 1)
        XCTAssertTrue(try XCTUnwrap(e.handle("reg_genmove w")).hasPrefix("= "))
        XCTAssertEqual(e.game.moves.count, 1, "reg_genmove does not play")
        XCTAssertTrue(try XCTUnwrap(e.handle("kgs-genmove_cleanup w")).hasPrefix("= "))
        XCTAssertEqual(e.game.moves.count, 2)
        let board = try XCTUnwrap(e.handle("showboard"))
        XCTAssertTrue(board.hasPrefix("= \n   A B C D E F G H J K L M N O P Q R S T\n19 "), board)
        XCTAssertEqual(board.components(separatedBy: "\n").count, 1 + 21 + 2)
        let sgf = try XCTUnwrap(e.handle("printsgf"))
        XCTAssertTrue(sgf.hasPrefix("= \n(;GM[1]FF[4]"), sgf)
        // Alive and dead split the two stones between them, each list on one line.
        let dead = try XCTUnwrap(e.handle("final_status_list dead"))
        let alive = try XCTUnwrap(e.handle("final_status_list alive"))
        let words = { (r: String) in r.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        }
        XCTAssertEqual(
            Set(words(dead) + words(alive)),
            Set(
                (e.game.board.stones(of: .black) + e.game.board.stones(of: .white)).map {
                    Coordinates.gtp(.play($0), size: 19)
                }))
        XCTAssertFalse(alive.dropLast(2).contains("\n") || dead.dropLast(2).contains("\n"), "\(alive)\(dead)")
        XCTAssertEqual(e.handle("final_status_list zombie"), "? syntax error\n\n")
        XCTAssertEqual(e.handle("genmove"), "? syntax error\n\n")
        XCTAssertEqual(
            e.handle("gogui-analyze_commands"),
            "= gfx/Policy/gonet-policy\nstring/Value/gonet-value\ngfx/Ownership/gonet-ownership\n\n")
        let gfx = try XCTUnwrap(e.handle("gonet-policy"))
        XCTAssertTrue(gfx.hasPrefix("= INFLUENCE "), gfx)
        XCTAssertTrue(try XCTUnwrap(e.handle("gonet-value")).contains("value 0.000"))
    }

    func testLoadSGF() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-load-\(UUID().uuidString).sgf")
            .path
        try "(;SZ[19]KM[6.5];B[pd];W[dd];B[pq];W[dp])".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let e = engine()
        XCTAssertEqual(e.handle("loadsgf \(path) 3"), "=\n\n")
        XCTAssertEqual(e.game.moves.count, 2, "the position before move 3")
        XCTAssertEqual(e.game.toMove, .black)
        XCTAssertEqual(e.handle("loadsgf \(path)"), "=\n\n")
        XCTAssertEqual(e.game.moves.count, 4)
        XCTAssertEqual(e.game.komi, 6.5)
        XCTAssertEqual(e.handle("loadsgf /nonexistent.sgf"), "? cannot load file\n\n")
    }

    func testLeelaZeroAnalysisLinesParseBack() throws {
        let e = engine()
        var lines: [String] = []
        e.output = { lines.append($0) }
        _ = e.handle("play b D4")
        let r = try XCTUnwrap(e.handle("lz-genmove_analyze w 10"))
        XCTAssertTrue(r.contains("\nplay "), r)
        XCTAssertFalse(lines.isEmpty)
        let parsed = try XCTUnwrap(LeelaAnalysis.parse(lines.last!))
        XCTAssertEqual(parsed.count, 20)
        XCTAssertTrue(parsed.allSatisfy { $0.winrate == 0.5 && $0.pv.first == $0.move })
        XCTAssertFalse(parsed.contains { $0.move == .play(Point(x: 3, y: 15)) }, "D4 is occupied")
        XCTAssertNil(LeelaAnalysis.parse("info move Z99 visits 1"))
        XCTAssertEqual(
            LeelaAnalysis.parse(
                "info move Q16 visits 12 winrate 5321 prior 1234 order 0 pv Q16 D4 info move D4 visits 3 winrate 4000 prior 100 order 1 pv D4"
            )?.map(\.visits), [12, 3])
    }
}
