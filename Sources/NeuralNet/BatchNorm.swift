/// Batch normalisation over `[C][N]` rows with PyTorch's semantics: batch statistics (biased
/// variance) in training, running averages updated with momentum 0.1 and the unbiased variance,
/// eps 1e-5; an optional residual input and ReLU are fused into its output.
public final class BatchNorm {
    /// γ, one per channel.
    public let weight: Parameter
    /// β, one per channel.
    public let bias: Parameter
    /// The running mean used at inference.
    public let runningMean: Parameter
    /// The running variance used at inference.
    public let runningVar: Parameter
    /// Channels normalised.
    public let channels: Int
    /// Weight of a batch's statistics in the running ones (PyTorch's default 0.1).
    public var momentum: Float = 0.1
    /// Added to the variance before the square root (PyTorch's default 1e-5).
    public var eps: Float = 1e-5
    /// 1/sqrt(var + eps) per channel from the last training forward pass.
    var invStd: [Float]

    /// A batch norm of `channels` named `name` (γ 1, β 0, mean 0, variance 1).
    public init(_ name: String, channels: Int) {
        self.channels = channels
        weight = Parameter(name + ".weight", shape: [channels], value: [Float](repeating: 1, count: channels))
        bias = Parameter(name + ".bias", shape: [channels])
        runningMean = Parameter(name + ".running_mean", shape: [channels], trainable: false)
        runningVar = Parameter(
            name + ".running_var", shape: [channels], value: [Float](repeating: 1, count: channels), trainable: false)
        invStd = [Float](repeating: 1, count: channels)
    }

    /// Training: normalises x in place (x becomes x̂, kept for backward), y = γx̂ + β (+ residual),
    /// ReLU'd when asked; with `smooth`, γx̂ + β (+ residual) goes to its `keep` and y is its activation.
    public func forwardTraining(
        _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int,
        residual: UnsafePointer<Float>? = nil, relu: Bool,
        then smooth: (Activation, keep: UnsafeMutablePointer<Float>)? = nil
    ) {
        let g = weight.value
        let b = bias.value
        var inv = invStd
        var rm = runningMean.value
        var rv = runningVar.value
        let m = momentum
        let e = eps
        inv.withUnsafeMutableBufferPointer { invp in
            rm.withUnsafeMutableBufferPointer { rmp in
                rv.withUnsafeMutableBufferPointer { rvp in
                    let ip = invp.baseAddress!
                    let mp = rmp.baseAddress!
                    let vp = rvp.baseAddress!
                    Parallel.forEach(channels, work: channels * n * 4) { c in
                        let row = x + c * n
                        let out = y + c * n
                        let mean = Sums.sum(row, n) / Double(n)
                        let sq = Sums.squaredDeviation(row, n, mean: Float(mean))
                        let variance = sq / Double(n)
                        let istd = Float(1 / (variance + Double(e)).squareRoot())
                        ip[c] = istd
                        mp[c] = (1 - m) * mp[c] + m * Float(mean)
                        vp[c] = (1 - m) * vp[c] + m * Float(n > 1 ? sq / Double(n - 1) : variance)
                        // A smooth activation follows while the channel is still in cache: the
                        // normalised row goes to `keep` (for backward), its activation to y.
                        let normalised = smooth.map { $0.keep + c * n } ?? out
                        BatchNorm.normalise(
                            row, normalised, n: n, mean: Float(mean), invStd: istd, scale: g[c], shift: b[c],
                            residual: residual.map { $0 + c * n }, relu: relu)
                        if let (f, _) = smooth { f.apply(normalised, into: out, count: n) }
                    }
                }
            }
        }
        invStd = inv
        runningMean.value = rm
        runningVar.value = rv
    }

    /// The per-channel affine map inference applies: scale γ/σ and shift β − μγ/σ.
    public func folded() -> (scale: [Float], shift: [Float]) {
        var scale = [Float](repeating: 0, count: channels)
        var shift = scale
        for c in 0..<channels {
            let s = weight.value[c] / (runningVar.value[c] + eps).squareRoot()
            scale[c] = s
            shift[c] = bias.value[c] - runningMean.value[c] * s
        }
        return (scale, shift)
    }

    /// From dy (the gradient at y): γ and β gradients, and dx. With `relu`, dy is first masked by
    /// y > 0 and, when `dResidual` is given, that masked gradient is also written there.
    public func backward(
        _ xhat: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>, n: Int, relu: Bool, dResidual: UnsafeMutablePointer<Float>? = nil
    ) {
        let g = weight.value
        let inv = invStd
        var dg = [Float](repeating: 0, count: channels)
        var db = dg
        dg.withUnsafeMutableBufferPointer { dgp in
            db.withUnsafeMutableBufferPointer { dbp in
                let dgq = dgp.baseAddress!
                let dbq = dbp.baseAddress!
                Parallel.forEach(channels, work: channels * n * 4) { c in
                    let xr = xhat + c * n
                    let yr = y + c * n
                    let dyr = dy + c * n
                    let dxr = dx + c * n
                    let dres = dResidual.map { $0 + c * n }
                    // Under a ReLU the masked gradient goes to dx first (or to the residual's
                    // gradient), then is read back; without one it is dy, copied only where the
                    // residual's gradient is asked for.
                    let masked: UnsafePointer<Float>
                    if relu {
                        let m = dres ?? dxr
                        BatchNorm.maskByPositive(yr, dyr, m, n: n)
                        masked = UnsafePointer(m)
                    } else if let dres {
                        if dres != UnsafeMutablePointer(mutating: dyr) { dres.update(from: dyr, count: n) }
                        masked = UnsafePointer(dres)
                    } else {
                        masked = dyr
                    }
                    let sg = Sums.dot(masked, xr, n)
                    let sb = Sums.sum(masked, n)
                    dgq[c] = Float(sg)
                    dbq[c] = Float(sb)
                    BatchNorm.inputGradient(
                        masked, xr, dxr, n: n, k: g[c] * inv[c] / Float(n), sumDy: Float(sb), sumDyX: Float(sg))
                }
            }
        }
        weight.grad = dg
        bias.grad = db
    }

    /// row ← x̂ = (row − mean)·invStd; out ← scale·x̂ + shift (+ residual), ReLU'd when asked.
    @inline(__always)
    static func normalise(
        _ row: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>, n: Int, mean: Float, invStd: Float,
        scale: Float, shift: Float, residual: UnsafePointer<Float>?, relu: Bool
    ) {
        let vm = Lanes.V(repeating: mean)
        let vi = Lanes.V(repeating: invStd)
        let vs = Lanes.V(repeating: scale)
        let vt = Lanes.V(repeating: shift)
        let zero = Lanes.V()
        let end = Lanes.bulk(n)
        var i = 0
        while i < end {
            let xh = (Lanes.load(row + i) - vm) * vi
            Lanes.store(xh, row + i)
            var v = xh * vs + vt
            if let residual { v += Lanes.load(residual + i) }
            if relu { v = v.replacing(with: zero, where: v .< zero) }
            Lanes.store(v, out + i)
            i += Lanes.width
        }
        while i < n {
            let xh = (row[i] - mean) * invStd
            row[i] = xh
            var v = scale * xh + shift
            if let residual { v += residual[i] }
            out[i] = relu ? max(v, 0) : v
            i += 1
        }
    }

    /// out ← dy where y > 0, else 0 (out may be dy itself).
    @inline(__always)
    static func maskByPositive(
        _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, n: Int
    ) {
        let zero = Lanes.V()
        let end = Lanes.bulk(n)
        var i = 0
        while i < end {
            Lanes.store(zero.replacing(with: Lanes.load(dy + i), where: Lanes.load(y + i) .> zero), out + i)
            i += Lanes.width
        }
        while i < n {
            out[i] = y[i] > 0 ? dy[i] : 0
            i += 1
        }
    }

    /// dx ← k·(n·dy − Σdy − x̂·Σdy·x̂) (dx may be dy itself).
    @inline(__always)
    static func inputGradient(
        _ dy: UnsafePointer<Float>, _ xhat: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, n: Int,
        k: Float, sumDy: Float, sumDyX: Float
    ) {
        let fn = Float(n)
        let vk = Lanes.V(repeating: k)
        let vn = Lanes.V(repeating: fn)
        let vb = Lanes.V(repeating: sumDy)
        let vg = Lanes.V(repeating: sumDyX)
        let end = Lanes.bulk(n)
        var i = 0
        while i < end {
            Lanes.store(vk * (vn * Lanes.load(dy + i) - vb - Lanes.load(xhat + i) * vg), dx + i)
            i += Lanes.width
        }
        while i < n {
            dx[i] = k * (fn * dy[i] - sumDy - xhat[i] * sumDyX)
            i += 1
        }
    }
}
