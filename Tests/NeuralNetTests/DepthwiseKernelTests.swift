import NeuralNet
import XCTest

/// The depthwise kernels against a plain double-precision convolution: outputs, the input
/// gradient and the weight gradient, on boards whose widths leave ragged lanes.
final class DepthwiseKernelTests: XCTestCase {
    /// Output (h × w) of one channel's `k`×`k` correlation with zero padding, in doubles.
    private func reference(_ x: [Float], _ f: [Float], bias: Float, h: Int, w: Int, k: Int) -> [Double] {
        let r = k / 2
        var y = [Double](repeating: Double(bias), count: h * w)
        for yy in 0..<h {
            for xx in 0..<w {
                for t in 0..<k * k {
                    let (sy, sx) = (yy + t / k - r, xx + t % k - r)
                    guard (0..<h).contains(sy), (0..<w).contains(sx) else { continue }
                    y[yy * w + xx] += Double(f[t]) * Double(x[sy * w + sx])
                }
            }
        }
        return y
    }

    func testKernelsMatchAPlainConvolution() {
        for (h, w) in [(19, 19), (5, 5), (7, 11), (1, 17), (9, 1)] {
            for kernels in [[3], [5], [3, 5]] {
                let (channels, batch) = (3, 2)
                let d = DepthwiseConv2D("d", channels: channels, kernels: kernels, bias: true, height: h, width: w)
                for (i, p) in d.weights.enumerated() { p.value = noise(p.count, seed: 40 + UInt64(i)) }
                d.bias!.value = noise(channels, seed: 50)
                let hw = h * w
                let n = batch * hw
                let x = noise(channels * n, seed: 51)
                let dy = noise(channels * n, seed: 52)
                var y = [Float](repeating: 0, count: channels * n)
                var dx = [Float](repeating: 0, count: channels * n)
                x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { d.forward(xp.baseAddress!, $0.baseAddress!, batch: batch) }
                    dy.withUnsafeBufferPointer { dp in
                        dx.withUnsafeMutableBufferPointer {
                            d.backward(xp.baseAddress!, dp.baseAddress!, $0.baseAddress!, batch: batch)
                        }
                    }
                }
                let flat = d.flatWeights
                var weightGrad = [Double](repeating: 0, count: d.weightCount)
                for c in 0..<channels {
                    let (offset, k) = d.filter(of: c)
                    let f = Array(flat[offset..<offset + k * k])
                    let flipped = Array(f.reversed())
                    for b in 0..<batch {
                        let at = c * n + b * hw
                        let xs = Array(x[at..<at + hw])
                        let ds = Array(dy[at..<at + hw])
                        let want = reference(xs, f, bias: d.bias!.value[c], h: h, w: w, k: k)
                        let wantDx = reference(ds, flipped, bias: 0, h: h, w: w, k: k)
                        for p in 0..<hw {
                            XCTAssertEqual(Double(y[at + p]), want[p], accuracy: 1e-5, "\(h)x\(w) \(kernels) y")
                            XCTAssertEqual(Double(dx[at + p]), wantDx[p], accuracy: 1e-5, "\(h)x\(w) \(kernels) dx")
                        }
                        // The weight gradient: Σ dy[p] · x[p + offset of the tap].
                        for t in 0..<k * k {
                            var unit = [Float](repeating: 0, count: k * k)
                            unit[t] = 1
                            let shifted = reference(xs, unit, bias: 0, h: h, w: w, k: k)
                            weightGrad[offset + t] += zip(shifted, ds).reduce(0) { $0 + $1.0 * Double($1.1) }
                        }
                    }
                }
                let got = d.weights.flatMap(\.grad)
                for (g, want) in zip(got, weightGrad) {
                    XCTAssertEqual(Double(g), want, accuracy: 1e-4 * max(1, abs(want)), "\(h)x\(w) \(kernels) dw")
                }
            }
        }
    }
}
