import Foundation
import GoRecords
import GoRules
import XCTest

final class ZstdTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-zstd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// A collection of `n` distinct games, compressed into a file.
    func writeCollection(_ n: Int, name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let w = try ZstdWriter(path: path)
        for i in 0..<n {
            var r = GameRecord(size: 19, komi: 6.5)
            r.blackPlayer = "player\(i)"
            r.moves = [PlayedMove(.black, .play(Point(x: i % 19, y: (i / 19) % 19)))]
            try w.write(SGFWriter.sgf(r) + "\n")
        }
        try w.finish()
        return path
    }

    func testRoundTripThroughCompression() throws {
        let path = try writeCollection(5000, name: "a.sgf.zst")
        let reader = try SGFReader(path: path)
        let names = reader.map { try! $0.record.get().blackPlayer }
        XCTAssertNil(reader.streamError)
        XCTAssertEqual(names, (0..<5000).map { "player\($0)" })
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".partial"))
    }

    func testAppendedFramesReadAsOneStream() throws {
        let path = try writeCollection(10, name: "b.sgf.zst")
        let w = try ZstdWriter(path: path, append: true)
        try w.write("(;SZ[9];B[ee])\n")
        try w.finish()
        let entries = Array(try SGFReader(path: path))
        XCTAssertEqual(entries.count, 11)
        XCTAssertEqual(try entries[10].record.get().size, 9)
    }

    func testTruncatedStreamKeepsEarlierGamesAndNamesTheOffset() throws {
        let path = try writeCollection(20000, name: "c.sgf.zst")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = bytes.count / 2
        bytes = bytes.prefix(cut)
        let truncated = dir.appendingPathComponent("t.sgf.zst").path
        try bytes.write(to: URL(fileURLWithPath: truncated))
        let reader = try SGFReader(path: truncated)
        var good = 0
        var error: Error?
        do {
            while let e = try reader.nextEntry() { if case .success = e.record { good += 1 } }
        } catch let e { error = e }
        XCTAssertGreaterThan(good, 1000, "games before the cut are read")
        XCTAssertLessThan(good, 20000)
        let z = try XCTUnwrap(error as? RecordError)
        XCTAssertEqual(z.path, truncated)
        XCTAssertEqual(z.place, .compressed(cut))
        XCTAssertTrue(z.description.contains("truncated zstd stream"), z.description)
    }

    func testCorruptStreamKeepsEarlierGamesAndNamesTheOffset() throws {
        let path = try writeCollection(20000, name: "d.sgf.zst")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let at = bytes.count / 2
        for i in at..<(at + 64) { bytes[i] ^= 0x5A }
        let corrupt = dir.appendingPathComponent("x.sgf.zst").path
        try Data(bytes).write(to: URL(fileURLWithPath: corrupt))
        let reader = try SGFReader(path: corrupt)
        let entries = Array(reader)
        let good = entries.filter { if case .success = $0.record { return true } else { return false } }.count
        XCTAssertGreaterThan(good, 1000)
        let z = try XCTUnwrap(reader.streamError as? RecordError)
        XCTAssertTrue(z.description.hasPrefix("\(corrupt): corrupt zstd data"), z.description)
        guard case .compressed(let offset) = z.place else { return XCTFail("\(z.place)") }
        XCTAssertGreaterThan(offset, 0)
        XCTAssertLessThanOrEqual(offset, bytes.count)
    }

    func testPlainSGFFileIsReadWithoutDecompression() throws {
        let path = dir.appendingPathComponent("p.sgf").path
        try "(;SZ[19];B[pd])".write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try Array(SGFReader(path: path)).map { try $0.record.get() }
        XCTAssertEqual(try SGFReader.records(text: "(;SZ[19];B[pd])"), fromFile)
    }
}
