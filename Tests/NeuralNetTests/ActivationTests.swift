import Foundation
import NeuralNet
import XCTest

/// The smooth activations' kernels (a vectorised exponential) against the formulas in double
/// precision, over the whole float range and on lengths that leave a ragged tail.
final class ActivationTests: XCTestCase {
    func inputs(_ n: Int) -> [Float] {
        // −120 to 120: beyond the exponential's clamp on both sides, dense around the kinks at ±3.
        (0..<n).map { i in
            let u = Double(i) / Double(n - 1)
            return Float(u < 0.5 ? -120 + 240 * u : (u - 0.5) * 16 - 4)
        }
    }

    func testSwishAndHardSwishMatchTheirFormulas() {
        for n in [1, 7, 8, 13, 4099] {
            let x = inputs(max(n, 2)).prefix(n).map { $0 }
            for f in [Activation.swish, .hardSwish] {
                var y = x
                y.withUnsafeMutableBufferPointer { f.apply($0.baseAddress!, count: n) }
                for (i, v) in x.enumerated() {
                    let d = Double(v)
                    let expected = f == .swish ? d / (1 + exp(-d)) : d * min(max(d + 3, 0), 6) / 6
                    XCTAssertEqual(Double(y[i]), expected, accuracy: 2e-6 * max(1, abs(expected)), "\(f)(\(v))")
                }
            }
        }
    }

    func testGradientsMatchTheirFormulas() {
        let n = 1001
        let z = inputs(n)
        let dy = (0..<n).map { Float(1 + $0 % 3) }
        for f in [Activation.swish, .hardSwish] {
            var dz = [Float](repeating: 0, count: n)
            z.withUnsafeBufferPointer { zp in
                dy.withUnsafeBufferPointer { dp in
                    dz.withUnsafeMutableBufferPointer {
                        f.backward(
                            input: zp.baseAddress!, output: zp.baseAddress!, dp.baseAddress!, $0.baseAddress!, count: n)
                    }
                }
            }
            for i in 0..<n {
                let v = Double(z[i])
                let s = 1 / (1 + exp(-v))
                let slope = f == .swish ? s * (1 + v * (1 - s)) : v <= -3 ? 0 : v >= 3 ? 1 : (2 * v + 3) / 6
                XCTAssertEqual(Double(dz[i]), Double(dy[i]) * slope, accuracy: 4e-6 * Double(dy[i]), "\(f)′(\(z[i]))")
            }
        }
    }
}
