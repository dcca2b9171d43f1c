import Foundation
import GoRecords
import GoRules
import XCTest

/// Every game of the test data's records read, written and read again, through SGF and through the
/// archive format (all of them in release builds). Each file is read once for both round trips,
/// the files in parallel: the corpus is most of the suite's time on CI's two cores.
final class CorpusTests: XCTestCase {
    func testEveryGameRoundTripsThroughSGFAndTheArchive() throws {
        let files = try SharedData.collections()
        let read = CorpusFiles(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            read.store(i, CorpusFile.roundTrip(path: files[i]))
        }
        var records: [GameRecord] = []
        var failures: [String] = []
        for r in read.results {
            for m in r.mismatches { XCTFail(m) }
            records += r.records
            failures += r.failures
        }
        XCTAssertGreaterThan(records.count, 5_000, "500 games a file in debug builds, all in release")
        // Each record is read under its own rules (Korean for Tygem: a repeated position is
        // legal, 19 games repeat one); the only refusal is a ko retaken at once.
        for f in failures {
            XCTAssertTrue(
                f.hasSuffix("tygem-2016-07.sgf.zst:24:1943: illegal move B H1 at move 303: ko recapture"), f)
        }
        #if !DEBUG
            XCTAssertEqual(records.count, 108_434 + 90, "every Tygem game but one, and the 90 GNU Go games")
            XCTAssertEqual(failures.count, 1)
        #endif

        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonet-corpus-\(UUID().uuidString).games.zst"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try GameArchiveWriter(path: path)
        for r in records { try writer.write(r) }
        try writer.finish()
        let back = try GameArchiveReader(path: path)
        var i = 0
        while let r = try back.nextRecord() {
            // The archive keeps what training needs, not the SGF root's other properties; komi and
            // margins are stored as float32.
            var original = records[i]
            original.extraProperties = []
            XCTAssertEqual(r, original, "archive game \(i)")
            i += 1
        }
        XCTAssertEqual(i, records.count)
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

/// One collection file read and checked through SGF: its games, the read errors, and the games
/// that did not come back the same.
private struct CorpusFile {
    var records: [GameRecord] = []
    var failures: [String] = []
    var mismatches: [String] = []

    static func roundTrip(path: String) -> CorpusFile {
        var f = CorpusFile()
        do {
            let reader = try SGFReader(path: path)
            var n = 0
            while n < SharedData.gamesPerFileLimit, let entry = try reader.nextEntry() {
                n += 1
                switch entry.record {
                case .failure(let e):
                    f.failures.append(e.description)
                case .success(let record):
                    let again = try SGFReader.records(text: SGFWriter.sgf(record))
                    // The replayed final position is the same too.
                    let same = try again == [record] && again[0].replay().board.hash == record.replay().board.hash
                    if !same { f.mismatches.append("\(path) game \(entry.index) changes through SGF") }
                    f.records.append(record)
                }
            }
        } catch {
            f.mismatches.append("\(path): \(error)")
        }
        return f
    }
}

/// The files' results, filled in from the parallel readers.
private final class CorpusFiles: @unchecked Sendable {  // Every access holds `lock`.
    private let lock = NSLock()
    private var slots: [CorpusFile?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ i: Int, _ f: CorpusFile) { lock.withLock { slots[i] = f } }

    /// In file order.
    var results: [CorpusFile] { lock.withLock { slots.compactMap { $0 } } }
}
