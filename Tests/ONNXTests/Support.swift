import Foundation
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
