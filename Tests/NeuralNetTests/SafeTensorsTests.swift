import Foundation
import NeuralNet
import XCTest

final class SafeTensorsTests: XCTestCase {
    func sample() -> SafeTensors {
        var s = SafeTensors()
        s.set("a.weight", Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, -6.5]))
        s.set("b", Tensor(shape: [1], data: [Float.pi]))
        s.set("t", int64: [361, 0, -1], shape: [3])
        s.metadata = ["format": "x", "note": "quote \" and \\ and\nnewline"]
        return s
    }

    func testRoundTrip() throws {
        let bytes = sample().serialized()
        let back = try SafeTensors.parse(bytes, path: "s")
        XCTAssertEqual(back.tensor("a.weight"), Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, -6.5]))
        XCTAssertEqual(back.tensor("b")!.data, [Float.pi])
        XCTAssertEqual(back.tensor("t")!.data, [361, 0, -1])
        XCTAssertEqual(back.metadata, sample().metadata)
        XCTAssertEqual(back.serialized(), bytes, "writing is deterministic")
        // The header is padded to 8 bytes, as the format recommends.
        let hl = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(hl % 8, 0)
    }

    /// The bytes with a replaced header (the data kept as it is).
    func withHeader(_ json: String, data: [UInt8] = [UInt8](repeating: 0, count: 16)) -> [UInt8] {
        let h = Array(json.utf8)
        var n = UInt64(h.count)
        var out: [UInt8] = []
        for _ in 0..<8 {
            out.append(UInt8(n & 0xFF))
            n >>= 8
        }
        return out + h + data
    }

    func assertRejects(_ bytes: [UInt8], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensors.parse(bytes, path: "bad.safetensors"), file: file, line: line) { e in
            XCTAssertEqual("\(e)", "bad.safetensors: \(message)", file: file, line: line)
        }
    }

    func testHostileFilesAreRejectedWithoutCrashing() {
        assertRejects([1, 2, 3], "too short for a safetensors file (3 bytes)")
        assertRejects(
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0],
            "header length 9223372036854775807 is larger than the file (9 bytes)")
        assertRejects(withHeader("{not json"), "header is not valid JSON")
        assertRejects(withHeader("[1,2]"), "header is not valid JSON")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,800]}}"),
            "tensor x: data_offsets [0, 800] point past the end of the data (16 bytes)")
        assertRejects(
            withHeader(
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000000,1000000000,1000000000],\"data_offsets\":[0,16]}}"),
            "tensor x: shape [1000000000, 1000000000, 1000000000] is larger than the file")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}"),
            "tensor x: 16 bytes do not hold shape [3] of F32")
        assertRejects(
            withHeader(
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
            ),
            "tensor y overlaps the tensor before it")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}"),
            "tensor x: unsupported dtype Q7")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}"), "tensor x: bad shape [-2]")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}"),
            "tensor x: bad data_offsets [8, 0]")
        assertRejects(withHeader("{\"x\":{\"shape\":[2]}}"), "tensor x: needs dtype, shape and data_offsets")
        assertRejects(withHeader("{\"__metadata__\":{\"a\":1}}"), "metadata a is not a string")
    }

    /// The safetensors spec: zero-sized tensors are valid, and the data has no holes or trailing bytes.
    func testZeroSizedTensorsAndTheWholeBufferRule() throws {
        let empty = try SafeTensors.parse(
            withHeader("{\"e\":{\"dtype\":\"F32\",\"shape\":[5,0],\"data_offsets\":[0,0]}}", data: []), path: "e")
        XCTAssertEqual(empty.tensor("e")?.shape, [5, 0])
        XCTAssertEqual(empty.tensor("e")?.data, [])
        var s = SafeTensors()
        s.set("zero", Tensor(shape: [0, 3], data: []))
        s.set("one", Tensor(shape: [1], data: [2]))
        XCTAssertEqual(try SafeTensors.parse(s.serialized(), path: "s").tensor("zero")?.shape, [0, 3], "round trip")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"),
            "8 bytes after the last tensor belong to no tensor")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}"),
            "8 bytes before tensor x belong to no tensor")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}"),
            "tensor x: bad data_offsets [0, 8.5]")
        assertRejects(
            withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,1e300]}}"),
            "tensor x: bad data_offsets [0, 1e+300]")
    }

    func testMissingFile() {
        XCTAssertThrowsError(try SafeTensors.read(path: "/nonexistent/n.safetensors")) { e in
            XCTAssertEqual("\(e)", "/nonexistent/n.safetensors: cannot open: no such file or not readable")
        }
    }
}
