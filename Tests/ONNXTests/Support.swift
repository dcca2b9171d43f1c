import Foundation
import GoNetwork
import XCTest

/// Raw float32 values from a file (what run_onnx.py writes).
func floats(_ path: String) throws -> [Float] {
    let d = try Data(contentsOf: URL(fileURLWithPath: path))
    return d.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

/// Equal within 1e-4 of the tensor's scale (its largest magnitude).
func assertClose(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, what, file: file, line: line)
    let scale = max(b.map(abs).max() ?? 0, 1e-6)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(
        worst / scale, 1e-4, "\(what): worst difference \(worst) at scale \(scale)", file: file, line: line)
}

/// A batch of planes written where ONNX Runtime's script reads it, for comparing outputs.
struct PlanesBatch {
    let batch: Int
    let x: [Float]
    let path: String

    init(batch: Int, seed: UInt64, in directory: String) throws {
        self.batch = batch
        x = ONNXExportTests.planes(batch: batch, seed: seed)
        path = "\(directory)/planes-\(seed).f32"
        try x.withUnsafeBufferPointer { try Data(buffer: $0).write(to: URL(fileURLWithPath: path)) }
    }

    /// gonet's logits [B·362] and values [B] for these planes.
    func gonet(_ net: PolicyValueNetwork) -> (policy: [Float], value: [Float]) {
        let (l, v) = x.withUnsafeBufferPointer { net.forward(planes: $0.baseAddress!, batch: batch) }
        return (
            Array(UnsafeBufferPointer(start: l, count: batch * 362)), Array(UnsafeBufferPointer(start: v, count: batch))
        )
    }

    /// ONNX Runtime's two outputs for `model` (the Python of `python()`), written next to `prefix`.
    func runtime(_ model: String, python py: String, prefix: String) throws -> (policy: [Float], value: [Float]) {
        let status = system(
            "'\(py)' '\(repository)/Tests/ONNXTests/run_onnx.py' '\(model)' '\(path)' \(batch) '\(prefix)'")
        XCTAssertEqual(status, 0, "ONNX Runtime ran \(model)")
        return (try floats("\(prefix).policy"), try floats("\(prefix).value"))
    }
}
