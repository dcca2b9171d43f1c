import Foundation
import GoRecords
import GoRules
import XCTest

/// AB/AW/AE after the root (problem files, edited records): applied where they occur, kept by
/// the archive, written back.
final class SetupEditTests: XCTestCase {
    /// Black D16, White plays Q16; then a setup node removes Q16 and adds black stones; White plays on.
    let text = "(;GM[1]SZ[19]KM[6.5];B[dd];W[pd];AE[pd]AB[pp][qq];W[dp];B[cc]AW[ee])"

    func testEditsAreAppliedWhereTheyOccur() throws {
        let r = try SGFReader.records(text: text)[0]
        XCTAssertEqual(r.moves.count, 4)
        XCTAssertEqual(r.edits.map(\.beforeMove), [2, 2, 2, 3])
        let g = try r.replay()
        XCTAssertNil(g.board[Point(x: 15, y: 3)], "AE took Q16 off")
        XCTAssertEqual(g.board[Point(x: 15, y: 15)], .black)
        XCTAssertEqual(g.board[Point(x: 4, y: 4)], .white, "AW in the node of B[cc] comes before it")
        XCTAssertEqual(g.board[Point(x: 2, y: 2)], .black)
        // The position before move 3 (White's D4) has the edit applied, White to move.
        let before3 = try r.game(afterMoves: 2)
        XCTAssertNil(before3.board[Point(x: 15, y: 3)])
        XCTAssertEqual(before3.toMove, .white)
    }

    func testEditsSurviveSGFAndTheArchive() throws {
        let r = try SGFReader.records(text: text)[0]
        let written = SGFWriter.sgf(r)
        XCTAssertTrue(written.hasSuffix(";B[dd];W[pd];AB[pp][qq]AE[pd];W[dp];AW[ee];B[cc])"), written)
        let again = try SGFReader.records(text: written)[0]
        XCTAssertEqual(try again.replay().board.hash, try r.replay().board.hash)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonet-edits-\(UUID().uuidString).games.zst"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try GameArchiveWriter(path: path)
        try w.write(r)
        var plain = GameRecord(size: 19, komi: 7.5)
        plain.moves = [PlayedMove(.black, .play(Point(x: 3, y: 3)))]
        try w.write(plain)
        try w.finish()
        let back = Array(try GameArchiveReader(path: path))
        XCTAssertEqual(back, [r, plain])
    }

    func testGameUndoKeepsEditsInPlace() throws {
        var g = try SGFReader.records(text: text)[0].replay()
        g.undo(to: 2)
        XCTAssertNil(g.board[Point(x: 15, y: 3)], "the edit before move 3 stays")
        XCTAssertEqual(g.board[Point(x: 15, y: 15)], .black)
        g.undo(to: 1)
        XCTAssertEqual(g.board.stones(of: .black).count, 1, "taken back past the edit")
        XCTAssertTrue(g.edits.isEmpty)
    }

    /// The library's exporter: SGF collection and
    /// directory, edits included, and the lookup of one game by index.
    func testExporterWritesWhatTheArchiveHolds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try SGFReader.records(text: text)[0]
        let archive = dir.appendingPathComponent("a.games.zst").path
        let w = try GameArchiveWriter(path: archive)
        try w.write(r)
        try w.write(r)
        try w.finish()
        let one = dir.appendingPathComponent("all.sgf").path
        XCTAssertEqual(try GameExporter.export(archive: archive, to: one).written, 2)
        let back = try SGFReader.records(text: String(contentsOfFile: one, encoding: .utf8))
        XCTAssertEqual(back.count, 2)
        XCTAssertEqual(
            try back.map { try $0.replay().board.hash }, [try r.replay().board.hash, try r.replay().board.hash])
        XCTAssertEqual(back.map { Set($0.edits) }, [Set(r.edits), Set(r.edits)])
        let folder = dir.appendingPathComponent("games").path
        XCTAssertEqual(try GameExporter.export(archive: archive, to: folder).written, 2)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["0000000.sgf", "0000001.sgf"])
        XCTAssertEqual(try GameExporter.record(at: 1, in: archive), r)
        XCTAssertThrowsError(try GameExporter.record(at: 2, in: archive)) {
            XCTAssertTrue("\($0)".hasSuffix("holds 2 games: the game must be 0…1"))
        }
    }
}
