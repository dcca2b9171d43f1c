import Foundation

/// Squeeze-and-excitation (Hu et al. 2018): each channel of a board tensor scaled by a gate in
/// (0, 1) computed from the means of all channels, `y · sigmoid(fc2(relu(fc1(mean(y)))))`, so a
/// block can turn its channels up or down by what the whole board holds.
///
/// Activations are channel-major `[C][B·P]`.
public final class SqueezeExcitation {
    /// `[hidden, C]` and `[hidden]`.
    public let fc1: Dense
    /// `[C, hidden]` and `[C]`.
    public let fc2: Dense
    /// Channels gated.
    public let channels: Int
    /// The gated tensor of the last forward pass, `[C][B·P]`.
    public let output = Buffer()
    private let means = Buffer()
    private let hidden = Buffer()
    private let gates = Buffer()
    private let dGates = Buffer()
    private let dHidden = Buffer()
    private let dMeans = Buffer()

    /// Gates for `channels` channels through `hidden` units, named `name` (`name.fc1.*`, `name.fc2.*`).
    public init(_ name: String, channels: Int, hidden: Int) {
        self.channels = channels
        fc1 = Dense(name + ".fc1", in: channels, out: hidden)
        fc2 = Dense(name + ".fc2", in: hidden, out: channels)
    }

    /// Both dense layers' weights and biases.
    public var parameters: [Parameter] { [fc1.weight, fc1.bias, fc2.weight, fc2.bias] }

    /// Multiply-adds per position (the two dense layers).
    public var macsPerPosition: Int { 2 * fc1.inputs * fc1.outputs }

    /// `y` gated, in `output`.
    @discardableResult
    public func forward(_ y: UnsafePointer<Float>, batch: Int, points: Int) -> UnsafeMutablePointer<Float> {
        apply(y, residual: nil, into: output.reserve(channels * batch * points), batch: batch, points: points)
    }

    /// `x + gated y` into `out` in one pass (a residual block's end), without `output`, through a
    /// ReLU when `relu`.
    public func forward(
        _ y: UnsafePointer<Float>, addingTo x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
        batch: Int, points: Int, relu: Bool = true
    ) {
        apply(y, residual: x, relu: relu, into: out, batch: batch, points: points)
    }

    /// The gates of `y`, then each channel of `y` times its gate (plus `residual` and a ReLU when
    /// given), channels spread over the cores: the pass over the board is most of the gate's cost.
    @discardableResult
    private func apply(
        _ y: UnsafePointer<Float>, residual: UnsafePointer<Float>?, relu: Bool = true,
        into out: UnsafeMutablePointer<Float>, batch: Int, points: Int
    ) -> UnsafeMutablePointer<Float> {
        let c = channels
        let m = means.reserve(batch * c)
        Reshape.meanPool(y, m, channels: c, batch: batch, points: points)
        let h = hidden.reserve(batch * fc1.outputs)
        fc1.forward(m, h, batch: batch)
        Activations.relu(h, h, count: batch * fc1.outputs)
        let g = gates.reserve(batch * c)
        fc2.forward(h, g, batch: batch)
        for i in 0..<(batch * c) { g[i] = 1 / (1 + expf(-g[i])) }
        Parallel.forEach(c, work: c * batch * points) { ch in
            for b in 0..<batch {
                let gate = g[b * c + ch]
                let at = (ch * batch + b) * points
                if let r = residual, relu {
                    for p in 0..<points { out[at + p] = max(r[at + p] + y[at + p] * gate, 0) }
                } else if let r = residual {
                    for p in 0..<points { out[at + p] = r[at + p] + y[at + p] * gate }
                } else {
                    for p in 0..<points { out[at + p] = y[at + p] * gate }
                }
            }
        }
        return out
    }

    /// The dense layers' gradients from `dOut` (the gradient at the gated tensor), after a forward
    /// pass of the same `y`; writes the gradient of `y` into `dy`.
    public func backward(
        _ y: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, batch: Int,
        points: Int
    ) {
        let c = channels
        let g = gates.pointer
        let dg = dGates.reserve(batch * c)
        Parallel.forEach(c, work: 2 * c * batch * points) { ch in
            for b in 0..<batch {
                let at = (ch * batch + b) * points
                let gate = g[b * c + ch]
                var s: Float = 0
                for p in 0..<points {
                    s += dOut[at + p] * y[at + p]
                    dy[at + p] = dOut[at + p] * gate
                }
                // Through the sigmoid.
                dg[b * c + ch] = s * gate * (1 - gate)
            }
        }
        let dh = dHidden.reserve(batch * fc1.outputs)
        fc2.backward(hidden.pointer, dg, dh, batch: batch)
        Activations.reluBackward(hidden.pointer, dh, dh, count: batch * fc1.outputs)
        let dm = dMeans.reserve(batch * c)
        fc1.backward(means.pointer, dh, dm, batch: batch)
        let inv = 1 / Float(points)
        for ch in 0..<c {
            for b in 0..<batch {
                let share = dm[b * c + ch] * inv
                let at = (ch * batch + b) * points
                for p in 0..<points { dy[at + p] += share }
            }
        }
    }
}
