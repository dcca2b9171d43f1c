/// A 3x3 or 5x5 depthwise convolution (one filter per channel), stride 1, same padding, no bias
/// by default.
public final class DepthwiseConv2D {
    /// `[C, 1, k, k]`.
    public let weight: Parameter
    /// `[C]`, when the layer has a bias.
    public let bias: Parameter?
    /// Channels (each convolved alone).
    public let channels: Int
    /// Rows of the board.
    public let height: Int
    /// Columns of the board.
    public let width: Int
    /// The filters' side: 3 or 5.
    public let kernel: Int
    /// Weights a channel: kernel².
    public var taps: Int { kernel * kernel }

    /// A `kernel`×`kernel` depthwise convolution of `channels`, named `name` in network files.
    public init(
        _ name: String, channels: Int, kernel: Int = 3, bias: Bool = false, height: Int = 19, width: Int = 19
    ) {
        precondition(kernel == 3 || kernel == 5, "depthwise convolutions are 3x3 or 5x5")
        self.channels = channels
        self.height = height
        self.width = width
        self.kernel = kernel
        weight = Parameter(name + ".weight", shape: [channels, 1, kernel, kernel], decays: true)
        self.bias = bias ? Parameter(name + ".bias", shape: [channels]) : nil
    }

    /// Calls body(k, yFrom, yTo, xFrom, xTo, offset): output points (y, x) in the ranges read input at (y, x) + offset.
    @inline(__always)
    func forEachTap(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let r = kernel / 2
        for k in 0..<taps {
            let dy = k / kernel - r
            let dx = k % kernel - r
            body(k, max(0, -dy), min(height, height - dy), max(0, -dx), min(width, width - dx), dy * width + dx)
        }
    }

    /// y = each channel of x convolved with its own filter (+ bias), zero padding.
    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        let hw = height * width
        let n = batch * hw
        let w = width
        weight.value.withUnsafeBufferPointer { wt in
            let bias = self.bias?.value
            let kk = taps
            Parallel.forEach(channels, work: channels * n * kk) { c in
                let f = wt.baseAddress! + c * kk
                let b0 = bias?[c] ?? 0
                for b in 0..<batch {
                    let src = x + c * n + b * hw
                    let dst = y + c * n + b * hw
                    dst.update(repeating: b0, count: hw)
                    forEachTap { k, y0, y1, x0, x1, off in
                        let wk = f[k]
                        for yy in y0..<y1 {
                            let d = dst + yy * w
                            let s = src + yy * w + off
                            for xx in x0..<x1 { d[xx] += wk * s[xx] }
                        }
                    }
                }
            }
        }
    }

    /// Accumulates the weight gradient and writes dx.
    public func backward(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?, batch: Int
    ) {
        let hw = height * width
        let n = batch * hw
        let w = width
        let wt = weight.value
        let kk = taps
        var grad = [Float](repeating: 0, count: channels * kk)
        var biasGrad = [Float](repeating: 0, count: channels)
        grad.withUnsafeMutableBufferPointer { g in
            biasGrad.withUnsafeMutableBufferPointer { bg in
                let gp = g.baseAddress!
                let bgp = bg.baseAddress!
                Parallel.forEach(channels, work: channels * n * 2 * kk) { c in
                    var acc = [Float](repeating: 0, count: kk)
                    var bsum: Float = 0
                    for b in 0..<batch {
                        let src = x + c * n + b * hw
                        let d = dy + c * n + b * hw
                        bsum += Float(Sums.sum(d, hw))
                        forEachTap { k, y0, y1, x0, x1, off in
                            var s: Float = 0
                            for yy in y0..<y1 {
                                let dr = d + yy * w
                                let sr = src + yy * w + off
                                for xx in x0..<x1 { s += dr[xx] * sr[xx] }
                            }
                            acc[k] += s
                        }
                        if let dx {
                            let o = dx + c * n + b * hw
                            o.update(repeating: 0, count: hw)
                            forEachTap { k, y0, y1, x0, x1, off in
                                let wk = wt[c * kk + k]
                                for yy in y0..<y1 {
                                    let dr = d + yy * w
                                    let orow = o + yy * w + off
                                    for xx in x0..<x1 { orow[xx] += wk * dr[xx] }
                                }
                            }
                        }
                    }
                    for k in 0..<kk { gp[c * kk + k] = acc[k] }
                    bgp[c] = bsum
                }
            }
        }
        weight.grad = grad
        if let bias { bias.grad = biasGrad }
    }
}
