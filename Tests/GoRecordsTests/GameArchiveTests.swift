import Foundation
import GoRecords
import GoRules
import XCTest

final class GameArchiveTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func sample(_ i: Int) -> GameRecord {
        var r = GameRecord(size: 19, komi: 6.5)
        r.blackPlayer = "black \(i) ✓"
        r.whitePlayer = "white"
        r.date = "2016-07-0\(i % 9 + 1)"
        r.rules = "Korean"
        let results: [GameResult] = [
            .win(.black, .resignation), .win(.white, .score(2.5)), .draw, .unknown, .void,
            .win(.black, .time), .win(.white, .forfeit), .win(.black, .unspecified),
        ]
        r.result = results[i % results.count]
        r.moves = [
            PlayedMove(.black, .play(Point(x: i % 19, y: 3))), PlayedMove(.white, .pass),
            PlayedMove(.white, .play(Point(x: 3, y: 4))),
        ]
        return r
    }

    func testRoundTripAndAppend() throws {
        let path = dir.appendingPathComponent("a.games.zst").path
        let w = try GameArchiveWriter(path: path)
        for i in 0..<100 { try w.write(sample(i)) }
        try w.finish()
        let more = try GameArchiveWriter(path: path, append: true)
        for i in 100..<120 { try more.write(sample(i)) }
        try more.finish()
        let back = Array(try GameArchiveReader(path: path))
        XCTAssertEqual(back, (0..<120).map(sample))
    }

    func testTruncatedArchiveKeepsEarlierGames() throws {
        let path = dir.appendingPathComponent("t.games.zst").path
        let w = try GameArchiveWriter(path: path)
        for i in 0..<20_000 { try w.write(sample(i)) }
        try w.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = dir.appendingPathComponent("cut.games.zst").path
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let reader = try GameArchiveReader(path: cut)
        var n = 0
        XCTAssertThrowsError(try { while try reader.nextRecord() != nil { n += 1 } }()) { e in
            XCTAssertTrue("\(e)".hasPrefix("\(cut): "), "\(e)")
            XCTAssertTrue("\(e)".contains("truncated"), "\(e)")
        }
        XCTAssertGreaterThan(n, 5_000)
        XCTAssertLessThan(n, 20_000)
    }

    func testCorruptArchiveNamesTheOffset() throws {
        let path = dir.appendingPathComponent("c.games.zst").path
        let w = try GameArchiveWriter(path: path)
        for i in 0..<20_000 { try w.write(sample(i)) }
        try w.finish()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in (bytes.count / 2)..<(bytes.count / 2 + 40) { bytes[i] ^= 0xFF }
        let bad = dir.appendingPathComponent("bad.games.zst").path
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let reader = try GameArchiveReader(path: bad)
        let good = Array(reader)
        XCTAssertGreaterThan(good.count, 1_000)
        XCTAssertEqual(good, (0..<good.count).map(sample), "games before the damage are intact")
        let e = try XCTUnwrap(reader.error)
        XCTAssertTrue("\(e)".hasPrefix("\(bad): "), "\(e)")
    }

    func testNotAnArchive() throws {
        let path = dir.appendingPathComponent("x.games.zst").path
        try "(;SZ[19])".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GameArchiveReader(path: path)) { e in
            XCTAssertEqual(
                "\(e)", "\(path): not a gonet game archive (no GONETGA1 header) at byte 0 of the decompressed stream")
        }
    }

    func testImporterReportsSkippedGamesWithReasons() throws {
        let sgf = dir.appendingPathComponent("mixed.sgf").path
        try """
        (;SZ[19]RE[B+R];B[pd];W[dd])
        (;SZ[9];B[ee])
        (;SZ[19]HA[2]AB[dp][pd];W[dd])
        (;SZ[19]RE[W+R])
        (;SZ[19];B[pd];W[pd])
        (;SZ[19];B[zz])
        (;SZ[19]RE[W+0.5];B[pd];W[dd];B[])
        """.write(toFile: sgf, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("m.games.zst").path
        let importer = try GameImporter(output: out)
        try importer.importFiles([sgf, dir.appendingPathComponent("missing.sgf").path])
        let report = try importer.finish()
        XCTAssertEqual(report.imported, 3, "the handicap game is kept; training skips it")
        XCTAssertEqual(report.skipped, ["board size not 19": 1, "no moves": 1, "illegal move": 1, "unparsable": 1])
        XCTAssertEqual(report.examples["illegal move"], ["\(sgf):5:16: illegal move W Q16 at move 2: point occupied"])
        XCTAssertEqual(report.examples["unparsable"], ["\(sgf):6:10: bad coordinate B[zz] on a 19x19 board"])
        XCTAssertEqual(report.fileErrors.count, 1)
        let games = Array(try GameArchiveReader(path: out))
        XCTAssertEqual(games.map(\.moves.count), [2, 1, 3])
        XCTAssertEqual(games[1].setup.count, 2)
        XCTAssertEqual(games[2].result, .win(.white, .score(0.5)))
    }
}
