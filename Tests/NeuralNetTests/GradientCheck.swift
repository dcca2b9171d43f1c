import NeuralNet
import XCTest

/// Central finite differences of `loss` with respect to values reached through get/set,
/// compared with the analytic gradient at up to `samples` indices spread over the tensor.
func checkGradient(
    _ what: String, count: Int, analytic: [Float], get: (Int) -> Float, set: (Int, Float) -> Void,
    loss: () -> Double, h: Float = 1e-2, tolerance: Double = 2e-2, samples: Int = 40,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(analytic.count, count, "\(what): gradient size", file: file, line: line)
    let scale = Double(analytic.map { abs($0) }.max() ?? 0)
    let step = max(1, count / samples)
    for i in stride(from: 0, to: count, by: step) {
        let v = get(i)
        set(i, v + h)
        let up = loss()
        set(i, v - h)
        let down = loss()
        set(i, v)
        let numeric = (up - down) / Double(2 * h)
        let error = abs(numeric - Double(analytic[i])) / max(abs(numeric), 0.05 * scale, 1e-4)
        if error > tolerance {
            XCTFail("\(what)[\(i)]: analytic \(analytic[i]), finite difference \(numeric)", file: file, line: line)
            return
        }
    }
}

/// A deterministic pseudo-random vector in [-1, 1].
func noise(_ n: Int, seed: UInt64) -> [Float] {
    var s = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<n).map { _ in
        s ^= s << 13
        s ^= s >> 7
        s ^= s << 17
        return Float(Double(s % 2_000_001) / 1_000_000 - 1)
    }
}

/// Σ r·y for a fixed random r: a scalar loss whose gradient at y is r.
func dot(_ y: UnsafePointer<Float>, _ r: [Float]) -> Double {
    var s: Double = 0
    for i in r.indices { s += Double(y[i] * r[i]) }
    return s
}
