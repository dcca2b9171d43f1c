import Foundation
import GoRecords
import XCTest

/// FF[4]'s CA: values decoded by the root's charset, its default, byte order marks, SimpleText.
final class SGFCharsetTests: XCTestCase {
    func read(_ bytes: [UInt8]) throws -> (record: GameRecord, warning: String?) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-ca-\(UUID().uuidString).sgf")
            .path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let entry = try XCTUnwrap(try SGFReader(path: path).nextEntry())
        return (try entry.record.get(), entry.warning.map { "\($0)".replacingOccurrences(of: path, with: "f.sgf") })
    }

    func encoded(_ text: String, _ encoding: String.Encoding) -> [UInt8] { Array(text.data(using: encoding)!) }

    func testCharsetsNamedByCA() throws {
        // GB2312 (Chinese servers), Shift_JIS (Japanese), EUC-KR (Korean): bytes built by iconv.
        let cases: [(ca: String, iconv: String, name: String)] = [
            ("GB2312", "GB2312", "黑棋手"), ("Shift_JIS", "SHIFT_JIS", "本因坊"),
            ("EUC-KR", "EUC-KR", "이세돌"), ("ISO-8859-1", "ISO-8859-1", "José"),
        ]
        for c in cases {
            var bytes = Array("(;GM[1]FF[4]CA[\(c.ca)]SZ[19]PB[".utf8)
            bytes += try XCTUnwrap(iconv(c.name, to: c.iconv), c.ca)
            bytes += Array("];B[pd])".utf8)
            let r = try read(bytes)
            XCTAssertEqual(r.record.blackPlayer, c.name, c.ca)
            XCTAssertNil(r.warning)
        }
    }

    func testDefaultsBOMsAndUnknownCharsets() throws {
        // No CA: valid UTF-8 stays UTF-8; other bytes are FF[4]'s default, ISO-8859-1.
        XCTAssertEqual(try read(Array("(;SZ[19]PB[이세돌];B[pd])".utf8)).record.blackPlayer, "이세돌")
        XCTAssertEqual(
            try read(Array("(;SZ[19]PB[Jos".utf8) + [0xE9] + Array("];B[pd])".utf8)).record.blackPlayer, "José")
        XCTAssertEqual(try read([0xEF, 0xBB, 0xBF] + Array("(;SZ[19]PB[bom];B[pd])".utf8)).record.blackPlayer, "bom")
        for encoding in [String.Encoding.utf16LittleEndian, .utf16BigEndian] {
            let bom: [UInt8] = encoding == .utf16LittleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
            XCTAssertEqual(
                try read(bom + encoded("(;CA[UTF-16]SZ[19]PB[ユニ];B[pd])", encoding)).record.blackPlayer, "ユニ")
        }
        let unknown = try read(Array("(;GM[1]CA[klingon]SZ[19]PB[x];B[pd])".utf8))
        XCTAssertEqual(unknown.record.blackPlayer, "x")
        XCTAssertEqual(unknown.warning, "f.sgf:1:8: unknown charset CA[klingon]: read as UTF-8")
    }

    func testSimpleTextAndTextFormatting() throws {
        let r = try read(Array("(;SZ[19]PB[\tBlack\nPlayer]GN[a\r\nb]C[line one\r\nline\ttwo];B[pd])".utf8)).record
        XCTAssertEqual(r.blackPlayer, " Black Player", "SimpleText: tabs and line breaks are spaces")
        XCTAssertEqual(r.extraProperties.first { $0.id == "GN" }?.values, ["a b"])
        XCTAssertEqual(
            r.extraProperties.first { $0.id == "C" }?.values, ["line one\nline two"], "Text keeps its line breaks")
    }

    func iconv(_ text: String, to charset: String) throws -> [UInt8]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", charset]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? Array(data) : nil
    }
}
