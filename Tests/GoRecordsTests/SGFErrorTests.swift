import GoRecords
import GoRules
import XCTest

final class SGFErrorTests: XCTestCase {
    /// The error of the first game of a text, as printed.
    func firstError(_ text: String) throws -> String {
        let reader = SGFReader(text: text, name: "t.sgf")
        let entry = try XCTUnwrap(try reader.nextEntry())
        guard case .failure(let e) = entry.record else {
            XCTFail("expected an error")
            return ""
        }
        return e.description
    }

    func testUnclosedBracket() throws {
        XCTAssertEqual(try firstError("(;SZ[19]\n;B[pd];W[dd)\n"), "t.sgf:2:9: unclosed '[': the value never ends")
        // A bracket closed much later swallows the text between: that value is then a bad coordinate.
        XCTAssertEqual(
            try firstError("(;SZ[19]\n;B[pd];W[dd\n;B[qp])"), "t.sgf:2:8: bad coordinate W[dd\n;B[qp] on a 19x19 board")
    }

    func testBadCoordinate() throws {
        XCTAssertEqual(try firstError("(;SZ[9];B[ee]\n;W[zz])"), "t.sgf:2:2: bad coordinate W[zz] on a 9x9 board")
        XCTAssertEqual(try firstError("(;SZ[19];B[p])"), "t.sgf:1:10: bad coordinate B[p] on a 19x19 board")
    }

    func testTruncatedFile() throws {
        XCTAssertEqual(
            try firstError("(;SZ[19];B[pd];W[dd]"),
            "t.sgf:1:21: unexpected end of file: 1 game tree not closed (missing ')')")
        XCTAssertEqual(
            try firstError("(;SZ[19](;B[pd]"),
            "t.sgf:1:16: unexpected end of file: 2 game trees not closed (missing ')')")
    }

    func testIllegalMove() throws {
        XCTAssertEqual(
            try firstError("(;SZ[9];B[ee];W[ee])"), "t.sgf:1:15: illegal move W E5 at move 2: point occupied")
        XCTAssertEqual(try firstError("(;SZ[9]AB[ba][ab];W[aa])"), "t.sgf:1:19: illegal move W A9 at move 1: suicide")
    }

    func testOtherMalformedInput() throws {
        XCTAssertEqual(try firstError("(;SZ[30])"), "t.sgf:1:3: board size 30 is not supported (2…25)")
        XCTAssertEqual(try firstError("(;GM[3]SZ[8])"), "t.sgf:1:3: not a game of Go (GM[3])")
        XCTAssertEqual(try firstError("(;KM[six])"), "t.sgf:1:3: bad komi KM[six]")
        XCTAssertEqual(try firstError("(;B[aa]W[bb])"), "t.sgf:1:8: two moves in one node")
        XCTAssertEqual(try firstError("(B[aa])"), "t.sgf:1:2: expected ';' to start a node, found 'B'")
        XCTAssertEqual(try firstError("(;B)"), "t.sgf:1:3: property B has no value")
        XCTAssertEqual(
            try firstError("(;B[aa](;W[bb]);B[cc])"), "t.sgf:1:16: a node after variations: expected '(' or ')'")
        XCTAssertEqual(try firstError("(;SZ[9];B[aa];AB[cc][cc])"), "t.sgf:1:15: setup point cc is given twice")
        XCTAssertEqual(try firstError("(;SZ[9];B[aa];AE[zz])"), "t.sgf:1:15: bad point AE[zz] on a 9x9 board")
    }

    func testAGoodGameAfterABadOneIsStillRead() throws {
        let reader = SGFReader(text: "(;SZ[9];B[ee];W[ee])\n(;SZ[9];B[ee];W[dd])\n", name: "t.sgf")
        let entries = Array(reader)
        XCTAssertEqual(entries.count, 2)
        XCTAssertThrowsError(try entries[0].record.get())
        XCTAssertEqual(try entries[1].record.get().moves.count, 2)
        XCTAssertEqual(entries[1].line, 2)
    }

    func testMissingFile() {
        XCTAssertThrowsError(try SGFReader(path: "/nonexistent/x.sgf")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/x.sgf: cannot open: No such file or directory")
        }
        XCTAssertThrowsError(try SGFReader(path: "/tmp")) { error in
            XCTAssertEqual("\(error)", "/tmp: is a directory")
        }
    }
}
