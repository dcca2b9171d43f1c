import Foundation
import GoRecords
import GoRules
import XCTest

/// Every game of ../shared/data read, written and read again (all of them in release builds).
final class CorpusTests: XCTestCase {
    func testEveryGameRoundTripsThroughSGF() throws {
        var games = 0
        var failures: [String] = []
        for path in try SharedData.collections() {
            let reader = try SGFReader(path: path)
            var n = 0
            while n < SharedData.gamesPerFileLimit, let entry = try reader.nextEntry() {
                n += 1
                switch entry.record {
                case .failure(let e):
                    failures.append(e.description)
                case .success(let record):
                    let again = try SGFReader.records(text: SGFWriter.sgf(record))
                    XCTAssertEqual(again, [record], "\(path) game \(entry.index)")
                    // The replayed final position is the same too.
                    XCTAssertEqual(try again[0].replay().board.hash, try record.replay().board.hash)
                    games += 1
                }
            }
        }
        XCTAssertGreaterThan(games, 5_000, "500 games a file in debug builds, all in release")
        // The records that break gonet's rule (positional superko, what its engine and referee
        // play): one ko retaken at once, and 19 Korean-rules games that repeat a whole-board position.
        for f in failures {
            XCTAssertTrue(
                f.hasSuffix("tygem-2016-07.sgf.zst:24:1943: illegal move B H1 at move 303: ko recapture")
                    || f.contains(": repeats an earlier position"), f)
        }
        #if !DEBUG
            XCTAssertEqual(games, 108_415 + 90, "every Tygem game but 20, and the 90 GNU Go games")
            XCTAssertEqual(failures.count, 20)
        #endif
    }

    func testGnuGoSelfPlayCollectionCounts() throws {
        let path = try SharedData.collections().first { $0.contains("gnugo-selfplay") }!
        let stats = RecordStatistics.of(sgf: try SGFReader(path: path))
        XCTAssertEqual(stats.games, 90)
        XCTAssertEqual(stats.failures.count, 0)
        XCTAssertEqual(stats.blackWins + stats.whiteWins, 90)
        XCTAssertEqual(stats.sizes, [19: 90])
        XCTAssertEqual(stats.moves, 19_503)
    }
}

/// Every game of ../shared/data through the archive format and back.
final class ArchiveCorpusTests: XCTestCase {
    func testEveryGameRoundTripsThroughTheArchive() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonet-corpus-\(UUID().uuidString).games.zst"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try GameArchiveWriter(path: path)
        var originals: [GameRecord] = []
        for file in try SharedData.collections() {
            let reader = try SGFReader(path: file)
            var n = 0
            while n < SharedData.gamesPerFileLimit, let e = try reader.nextEntry() {
                n += 1
                guard case .success(var r) = e.record else { continue }
                try writer.write(r)
                // The archive keeps what training needs, not the SGF root's other properties;
                // komi and margins are stored as float32.
                r.extraProperties = []
                originals.append(r)
            }
        }
        try writer.finish()
        let back = try GameArchiveReader(path: path)
        var i = 0
        while let r = try back.nextRecord() {
            XCTAssertEqual(r, originals[i], "game \(i)")
            i += 1
        }
        XCTAssertEqual(i, originals.count)
        #if !DEBUG
            XCTAssertEqual(i, 108_415 + 90)
        #endif
    }
}
