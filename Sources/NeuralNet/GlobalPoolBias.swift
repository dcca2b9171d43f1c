/// Global pooling bias (KataGo, arXiv 1902.10565 §4.1): the mean and the maximum of each input
/// channel over the board, through a dense layer, added to every point of `outputs` channels. It
/// lets a convolutional block see the whole board at once (ko threats, who leads) at the cost of
/// one small dense layer.
///
/// Activations are channel-major `[C][B·P]`; the pooled vector of a sample is its C means, then
/// its C maxima (the order of the dense layer's inputs in network files and ONNX).
public final class GlobalPoolBias {
    /// `[outputs, 2·channels]` weight and `[outputs]` bias.
    public let dense: Dense
    /// Channels pooled.
    public let channels: Int
    private let pooled = Buffer()
    private let bias = Buffer()
    private let broadcast = Buffer()
    private let dBias = Buffer()
    private let dPooled = Buffer()

    /// A bias of `outputs` channels from `channels` pooled ones, named `name` (`name.weight`, `name.bias`).
    public init(_ name: String, channels: Int, outputs: Int) {
        self.channels = channels
        dense = Dense(name, in: 2 * channels, out: outputs)
    }

    /// The dense layer's weight and bias.
    public var parameters: [Parameter] { [dense.weight, dense.bias] }

    /// Multiply-adds per position (the dense layer; pooling adds 2 per input value).
    public var macsPerPosition: Int { dense.inputs * dense.outputs }

    /// The bias broadcast over the board, `[outputs][B·P]` (valid until the next call), from `x` `[C][B·P]`.
    public func forward(_ x: UnsafePointer<Float>, batch: Int, points: Int) -> UnsafePointer<Float> {
        let c = channels
        let v = pooled.reserve(batch * 2 * c)
        let inv = 1 / Float(points)
        for ch in 0..<c {
            for b in 0..<batch {
                let row = x + ch * batch * points + b * points
                var m = row[0]
                for p in 1..<points { m = max(m, row[p]) }
                v[b * 2 * c + ch] = Float(Sums.sum(row, points)) * inv
                v[b * 2 * c + c + ch] = m
            }
        }
        let o = dense.outputs
        let bv = bias.reserve(batch * o)
        dense.forward(v, bv, batch: batch)
        let out = broadcast.reserve(o * batch * points)
        for k in 0..<o {
            for b in 0..<batch {
                (out + k * batch * points + b * points).update(repeating: bv[b * o + k], count: points)
            }
        }
        return UnsafePointer(out)
    }

    /// The dense layer's gradients from `dOut` `[outputs][B·P]` (the gradient at the broadcast
    /// bias), after a forward pass of the same `x`; adds the gradient of `x` into `dx`. A
    /// channel's maximum sends its gradient to the first point that holds it.
    public func backward(
        _ x: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, addingTo dx: UnsafeMutablePointer<Float>,
        batch: Int, points: Int
    ) {
        let c = channels
        let o = dense.outputs
        let db = dBias.reserve(batch * o)
        for k in 0..<o {
            for b in 0..<batch { db[b * o + k] = Float(Sums.sum(dOut + k * batch * points + b * points, points)) }
        }
        let dv = dPooled.reserve(batch * 2 * c)
        dense.backward(pooled.pointer, db, dv, batch: batch)
        let inv = 1 / Float(points)
        for ch in 0..<c {
            for b in 0..<batch {
                let row = x + ch * batch * points + b * points
                let drow = dx + ch * batch * points + b * points
                let dMean = dv[b * 2 * c + ch] * inv
                for p in 0..<points { drow[p] += dMean }
                var at = 0
                for p in 1..<points where row[p] > row[at] { at = p }
                drow[at] += dv[b * 2 * c + c + ch]
            }
        }
    }
}
