import GoRecords
import GoRules
import XCTest

/// Every game of ../shared/data read, written and read again (all of them in release builds).
final class CorpusTests: XCTestCase {
    func testEveryGameRoundTripsThroughSGF() throws {
        var games = 0, failures: [String] = []
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
        XCTAssertGreaterThan(games, 10_000)
        // The one record in the corpus that breaks the rules: a ko retaken at once.
        for f in failures {
            XCTAssertTrue(f.hasSuffix("tygem-2016-07.sgf.zst:24:1943: illegal move B H1 at move 303: ko recapture"), f)
        }
        #if !DEBUG
        XCTAssertEqual(games, 108_434 + 90, "every Tygem game but one, and the 90 GNU Go games")
        XCTAssertEqual(failures.count, 1)
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
