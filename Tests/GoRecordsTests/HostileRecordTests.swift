import Foundation
import GoRecords
import GoRules
import XCTest

/// Records from other programs and hostile ones: clear errors naming the file, never a trap.
final class HostileRecordTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testAFileWithoutAGameTreeIsAnError() {
        for text in ["", "hello, no tree here\n", "   \n\n"] {
            XCTAssertThrowsError(try SGFReader.records(text: text, name: "x.sgf"), text) { e in
                XCTAssertEqual("\(e)", "x.sgf:1:1: no SGF game tree (the file is empty or not SGF)")
            }
        }
        XCTAssertEqual(try SGFReader.records(text: "junk before (;GM[1]SZ[19];B[pd])").count, 1)
    }

    func testAbsurdNumbersAreRefusedOrReadAsUnknown() throws {
        // A margin past any board reads as a win of unknown margin, so export writes valid SGF.
        XCTAssertEqual(GameResult(sgf: "B+1e300"), .win(.black, .unspecified))
        XCTAssertEqual(
            GameResult(sgf: "W+1250"), .win(.white, .score(1250)), "every point of a 25x25 board and the largest komi")
        XCTAssertEqual(GameResult(sgf: "W+1250.5"), .win(.white, .unspecified))
        XCTAssertEqual(GameResult(sgf: "W+inf"), .unknown)
        let r = try SGFReader.records(text: "(;SZ[19]RE[B+1e300];B[pd])")[0]
        XCTAssertEqual(SGFWriter.sgf(r).contains("RE[B+]"), true)
        XCTAssertThrowsError(try SGFReader.records(text: "(;SZ[19]KM[1e300];B[pd])", name: "k.sgf")) { e in
            XCTAssertEqual("\(e)", "k.sgf:1:9: komi KM[1e300] is beyond the board's 361 points")
        }
        XCTAssertThrowsError(try SGFReader.records(text: "(;SZ[9]KM[82];B[ee])", name: "k.sgf"))
        XCTAssertEqual(try SGFReader.records(text: "(;SZ[9]KM[81];B[ee])")[0].komi, 81)
    }

    func testAnUnterminatedHugeValueIsAnErrorAtItsStart() throws {
        let path = dir.appendingPathComponent("long.sgf").path
        var bytes = Array("(;GM[1]SZ[19]\nC[".utf8)
        bytes += [UInt8](repeating: 120, count: (16 << 20) + 10)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SGFReader(path: path).nextEntry()) { e in
            XCTAssertEqual("\(e)", "\(path):2:2: a property value longer than 16 MB (unterminated?)")
        }
        // Importing it reports the file and leaves no `.partial` behind; the archive holds the
        // games read before (none here) and is sealed.
        let out = dir.appendingPathComponent("out.games.zst").path
        let importer = try GameImporter(output: out)
        try importer.importFiles([path])
        let report = try importer.finish()
        XCTAssertEqual(report.fileErrors.count, 1)
        XCTAssertTrue(report.fileErrors[0].contains("longer than 16 MB"), report.fileErrors[0])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partial"))
        XCTAssertEqual(Array(try GameArchiveReader(path: out)).count, 0)
        // A writer dropped before it is sealed (a thrown failure) removes its partial file.
        do { _ = try GameArchiveWriter(path: dir.appendingPathComponent("dropped.games.zst").path) }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("dropped.games.zst.partial").path))
    }

    func testAnArchiveNeverYieldsARecordThatCannotBeReplayed() throws {
        func archive(_ r: GameRecord) throws -> String {
            let path = dir.appendingPathComponent("\(UUID().uuidString).games.zst").path
            let w = try GameArchiveWriter(path: path)
            var good = GameRecord(size: 19, komi: 7.5)
            good.moves = [PlayedMove(.black, .play(Point(x: 3, y: 3)))]
            try w.write(good)
            try w.write(r)
            try w.write(good)
            try w.finish()
            return path
        }
        /// Why the reader left the middle record out; the good records around it are read.
        func failure(_ r: GameRecord) throws -> String {
            let path = try archive(r)
            let reader = try GameArchiveReader(path: path)
            var read = 0
            while try reader.nextRecord() != nil { read += 1 }
            XCTAssertEqual(read, 2, "the good records on both sides are read")
            XCTAssertEqual(reader.rejected.map(\.index), [1])
            let stats = try RecordStatistics.of(path: path)
            XCTAssertEqual(stats.games, 2)
            XCTAssertEqual(stats.failures.map(\.index), [1], "games info lists it")
            return reader.rejected.first.map { "\($0.error)".replacingOccurrences(of: path + ": ", with: "") } ?? "read"
        }
        var occupied = GameRecord(size: 19, komi: 7.5)
        occupied.moves = [PlayedMove(.black, .play(Point(x: 3, y: 3))), PlayedMove(.white, .play(Point(x: 3, y: 3)))]
        XCTAssertEqual(
            try failure(occupied),
            "record 2 cannot be used: illegal move W D16 at move 2: point occupied at byte 41 of the decompressed stream"
        )
        var infinite = GameRecord(size: 19, komi: .infinity)
        infinite.moves = [PlayedMove(.black, .pass)]
        XCTAssertTrue(try failure(infinite).hasPrefix("record 2 cannot be used: komi inf is out of range"))
        var margin = GameRecord(size: 19, komi: 7.5)
        margin.result = .win(.black, .score(1e30))
        XCTAssertTrue(try failure(margin).hasPrefix("record 2 cannot be used: margin"))
        var setup = GameRecord(size: 19, komi: 7.5)
        setup.setup = [PlayedMove(.black, .play(Point(x: 0, y: 0))), PlayedMove(.white, .play(Point(x: 0, y: 0)))]
        XCTAssertTrue(
            try failure(setup).hasPrefix("record 2 cannot be used: setup stone white aa is on an occupied point"))
    }

    /// Found by `scripts/fuzz` (FuzzSGF): a point set up twice in the root made a record whose
    /// written SGF read back as a different game.
    func testAPointSetUpTwiceIsAnError() {
        XCTAssertThrowsError(try SGFReader.records(text: "(;SZ[9]AB[aa:bb]AW[bb])", name: "d.sgf")) { e in
            XCTAssertEqual("\(e)", "d.sgf:1:17: setup point bb is given twice")
        }
        XCTAssertThrowsError(try SGFReader.records(text: "(;SZ[9]AB[cc][cc])", name: "d.sgf"))
        // Setup written grouped by colour reads back as the same set of stones.
        let r = try? SGFReader.records(text: "(;AB[ia:bb]AW[cc]AB[qq])")[0]
        let again = r.flatMap { try? SGFReader.records(text: SGFWriter.sgf($0))[0] }
        XCTAssertEqual(again.map { Set($0.setup) }, r.map { Set($0.setup) })
        XCTAssertEqual(r?.setup.count, 18)
    }

    /// Found by `scripts/fuzz` in CI (FuzzSGF): `]` followed by a combining mark is one Character,
    /// which the writer's escaping missed, so the SGF it wrote did not read back.
    func testABracketBeforeACombiningMarkIsEscaped() throws {
        XCTAssertEqual(SGFWriter.escape("a]\u{35C}b\\"), "a\\]\u{35C}b\\\\")
        let r = try SGFReader.records(text: "(;SZ[19]PB[x \\]\u{35C}y];B[pd])")[0]
        XCTAssertEqual(r.blackPlayer, "x ]\u{35C}y")
        XCTAssertEqual(try SGFReader.records(text: SGFWriter.sgf(r))[0].blackPlayer, r.blackPlayer)
    }

    func testRecordsAreReadUnderPositionalSuperkoLikeTheEngine() {
        XCTAssertEqual(GameRecord().startingGame().koRule, .positionalSuperko)
    }
}
