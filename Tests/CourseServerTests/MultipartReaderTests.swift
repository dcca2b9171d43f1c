import Foundation
import XCTest

@testable import CourseServer

/// The streaming multipart reader: the same parts whatever the body's chunks, delimiters split
/// across reads, limits.
final class MultipartReaderTests: XCTestCase {
    func read(_ body: [UInt8], chunk: Int, limit: Int = 1 << 20) throws -> (MultipartReader.Result, [UInt8]) {
        let path = NSTemporaryDirectory() + "gonet-mp-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = FileHandle(forWritingAtPath: path)!
        var r = try MultipartReader(
            contentType: "multipart/form-data; boundary=\"b0und\"", fileField: "network", limit: limit, output: handle)
        var i = 0
        while i < body.count {
            try r.feed(body[i..<min(body.count, i + chunk)])
            i += chunk
        }
        try handle.close()
        return (try r.finish(), [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    func testEveryChunkingGivesTheSameParts() throws {
        // The file's bytes hold CR LF and a near-boundary, which must not end the part.
        let file: [UInt8] = Array("ab\r\n--b0un\r\n-\r\n--b0unX".utf8) + (0..<300).map { UInt8($0 % 256) }
        let body =
            Array(
                "preamble\r\n--b0und\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok en\r\n--b0und  \r\n"
                    .utf8)
            + Array(
                "Content-Disposition: form-data; name=\"network\"; filename=\"dir/n.onnx\"\r\nContent-Type: x\r\n\r\n"
                    .utf8)
            + file + Array("\r\n--b0und--\r\nepilogue".utf8)
        for chunk in [1, 2, 3, 7, 16, 64, body.count] {
            let (result, written) = try read(body, chunk: chunk)
            XCTAssertEqual(result.fields, ["csrf": "tok en"], "chunk \(chunk)")
            XCTAssertEqual(result.fileName, "dir/n.onnx")
            XCTAssertEqual(result.fileSize, file.count)
            XCTAssertEqual(written, file, "chunk \(chunk)")
        }
    }

    func testLimitsAndMalformedBodies() throws {
        let part = { (n: Int) in
            Array("--b0und\r\nContent-Disposition: form-data; name=\"network\"; filename=\"f\"\r\n\r\n".utf8)
                + [UInt8](repeating: 7, count: n) + Array("\r\n--b0und--\r\n".utf8)
        }
        XCTAssertEqual(try read(part(100), chunk: 10, limit: 100).0.fileSize, 100)
        XCTAssertThrowsError(try read(part(101), chunk: 10, limit: 100)) {
            XCTAssertEqual($0 as? MultipartReader.Failure, .tooLarge(limit: 100))
        }
        XCTAssertThrowsError(try read(Array("--b0und\r\nX: y\r\n\r\nz\r\n--b0und--".utf8), chunk: 5)) {
            XCTAssertEqual($0 as? MultipartReader.Failure, .malformed("a part has no Content-Disposition name"))
        }
        XCTAssertThrowsError(try read(Array("--b0und--garbage".utf8).dropLast(10) + [], chunk: 5)) {
            XCTAssertEqual($0 as? MultipartReader.Failure, .malformed("the body ended before its closing boundary"))
        }
        let many = (0..<21).map { _ in "--b0und\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n" }.joined()
        XCTAssertThrowsError(try read(Array((many + "--b0und--").utf8), chunk: 50)) {
            XCTAssertEqual($0 as? MultipartReader.Failure, .malformed("more than 20 parts"))
        }
        XCTAssertNil(MultipartReader.boundary("text/plain; boundary=x"))
        XCTAssertNil(MultipartReader.boundary("multipart/form-data"))
        XCTAssertEqual(MultipartReader.boundary("multipart/form-data; charset=utf-8; boundary=abc"), "abc")
    }
}
