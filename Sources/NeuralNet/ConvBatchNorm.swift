/// A convolution (standard or depthwise) followed by batch norm, with an optional residual input
/// and an activation (ReLU fused into the output): the unit every trunk and head of a Go network
/// is made of.
///
/// It owns the buffers its training pass keeps for backward (x̂ and the output), sized once per
/// batch size; inference uses batch norm folded into the convolution's weights and a bias.
public final class ConvBatchNorm {
    /// Which convolution the batch norm follows.
    public enum Kind {
        case standard(Conv2D)
        case depthwise(DepthwiseConv2D)
    }

    /// The convolution.
    public let kind: Kind
    /// The batch norm after it.
    public let bn: BatchNorm
    /// Output channels.
    public let outChannels: Int
    /// The nonlinearity after the batch norm and the residual.
    public let activation: Activation
    /// ReLU is fused into the passes that write the output; the smooth activations run after them.
    private var relu: Bool { activation == .relu }
    /// The last training pass's output before a smooth activation, `[out][N]`.
    private let preActivation = Buffer()
    /// The output's gradient taken through a smooth activation, `[out][N]`.
    private let dActivation = Buffer()
    /// x̂ of the last training pass, `[out][N]`.
    public let normalized = Buffer()
    /// The output of the last forward pass, `[out][N]`.
    public let output = Buffer()
    /// x̂ and the output of the last training pass on the grid layout (`forwardTrainingGrid`):
    /// buffers of their own, since only their board points are ever written and their borders
    /// must stay zero.
    let gridNormalized = Buffer()
    /// The output of the last training pass on the grid layout.
    public let gridOutput = Buffer()
    /// Folded weights and bias for inference; rebuilt after the weights change.
    var foldedWeights: [Float] = []
    var foldedBias: [Float] = []
    var foldedValid = false
    var foldedWinograd: Winograd?
    /// The folded bias padded with zeros to a multiple of 8 channels, for the grid layout.
    var paddedBias: [Float] = []

    /// The convolution `kind` followed by `bn` and `activation`.
    public init(_ kind: Kind, bn: BatchNorm, activation: Activation) {
        self.kind = kind
        self.bn = bn
        self.activation = activation
        switch kind {
        case .standard(let c): outChannels = c.outChannels
        case .depthwise(let d): outChannels = d.channels
        }
    }

    /// Convolution weight and batch-norm parameters and statistics.
    public var parameters: [Parameter] {
        let w: [Parameter]
        switch kind {
        case .standard(let c): w = [c.weight]
        case .depthwise(let d): w = d.weights
        }
        return w + [bn.weight, bn.bias, bn.runningMean, bn.runningVar]
    }

    /// Multiply-adds per point.
    public var macsPerPoint: Int {
        switch kind {
        case .standard(let c): return c.macsPerPoint
        case .depthwise(let d): return d.weightCount
        }
    }

    /// Whether a 3x3 convolution uses Winograd F(4x4, 3x3).
    public var useWinograd: Bool {
        get { if case .standard(let c) = kind { return c.useWinograd } else { return true } }
        set {
            if case .standard(let c) = kind {
                c.useWinograd = newValue
                foldedValid = false
            }
        }
    }

    /// Marks folded inference weights stale (after an optimizer step or a load).
    public func invalidate() { foldedValid = false }

    /// Training pass: batch statistics; keeps x̂ and the output for backward.
    public func forwardTraining(
        _ x: UnsafePointer<Float>, batch: Int, points: Int, residual: UnsafePointer<Float>? = nil, columns: Buffer
    ) {
        let n = batch * points
        let pre = normalized.reserve(outChannels * n)
        let out = output.reserve(outChannels * n)
        switch kind {
        case .standard(let c): c.forward(x, pre, batch: batch, columns: columns, keepForBackward: true)
        case .depthwise(let d): d.forward(x, pre, batch: batch)
        }
        if activation.needsInput {
            bn.forwardTraining(
                pre, out, n: n, residual: residual, relu: false,
                then: (activation, keep: preActivation.reserve(outChannels * n)))
        } else {
            bn.forwardTraining(pre, out, n: n, residual: residual, relu: relu)
        }
        foldedValid = false
    }

    /// Backward from dOut: parameter gradients, and dx when asked. `dPre` is scratch of `[out][N]`;
    /// with `dResidual`, the gradient that flows to the residual input is written there.
    public func backward(
        _ x: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
        batch: Int, points: Int, dResidual: UnsafeMutablePointer<Float>? = nil, dPre: Buffer, columns: Buffer
    ) {
        let n = batch * points
        let d = dPre.reserve(outChannels * n)
        var dOut = dOut
        if activation.needsInput {
            let g = dActivation.reserve(outChannels * n)
            activation.backward(
                input: preActivation.pointer, output: output.pointer, dOut, g, count: outChannels * n)
            dOut = UnsafePointer(g)
        }
        bn.backward(normalized.pointer, output.pointer, dOut, d, n: n, relu: relu, dResidual: dResidual)
        switch kind {
        case .standard(let c): c.backward(x, d, dx, batch: batch, columns: columns)
        case .depthwise(let dw): dw.backward(x, d, dx, batch: batch)
        }
    }

    /// Inference with running statistics folded into the convolution; writes `output`.
    public func forwardInference(
        _ x: UnsafePointer<Float>, batch: Int, points: Int, residual: UnsafePointer<Float>? = nil, columns: Buffer
    ) {
        if !foldedValid { fold() }
        let n = batch * points
        let out = output.reserve(outChannels * n)
        if let wino = foldedWinograd {
            // Bias, residual and ReLU happen in the output transform.
            foldedBias.withUnsafeBufferPointer { b in
                wino.forward(
                    x, out, batch: batch, workspace: columns, bias: b.baseAddress!, residual: residual, relu: self.relu)
            }
            if activation.needsInput { activation.apply(out, count: outChannels * n) }
            return
        }
        // A depthwise kernel adds the bias as it writes each board.
        var biasAdded = false
        foldedWeights.withUnsafeBufferPointer { w in
            switch kind {
            case .standard(let c):
                let k = c.inChannels * c.kernel * c.kernel
                if c.kernel == 1 {
                    BLAS.gemm(m: outChannels, n: n, k: k, a: w.baseAddress!, lda: k, b: x, ldb: n, c: out, ldc: n)
                } else {
                    let cols = columns.reserve(k * n)
                    Im2Col.forward(x, cols, channels: c.inChannels, batch: batch, height: c.height, width: c.width)
                    BLAS.gemm(m: outChannels, n: n, k: k, a: w.baseAddress!, lda: k, b: cols, ldb: n, c: out, ldc: n)
                }
            case .depthwise(let d):
                d.forward(x, out, batch: batch, weights: foldedWeights, bias: foldedBias)
                biasAdded = true
            }
        }
        if biasAdded && residual == nil && activation == .identity { return }
        let (relu, activation) = (self.relu, self.activation)
        // Bias, residual and the activation in one pass over each channel, while it is in cache.
        foldedBias.withUnsafeBufferPointer { b in
            Parallel.forEach(outChannels, work: outChannels * n) { o in
                let row = out + o * n
                let bias = biasAdded ? 0 : b[o]
                if let r = residual.map({ $0 + o * n }) {
                    for i in 0..<n {
                        let v = row[i] + bias + r[i]
                        row[i] = relu ? max(v, 0) : v
                    }
                } else if !biasAdded || relu {
                    for i in 0..<n {
                        let v = row[i] + bias
                        row[i] = relu ? max(v, 0) : v
                    }
                }
                if activation.needsInput { activation.apply(row, into: row, count: n) }
            }
        }
    }

    /// Whether the unit runs on activations in the grid layout (`forwardInferenceGrid`): a 3x3
    /// convolution by Winograd.
    public var runsOnGrid: Bool {
        if case .standard(let c) = kind { return c.kernel == 3 && c.useWinograd }
        return false
    }

    /// Inference on activations in the grid layout (`GridLayout`, `Winograd.forwardGrid`): x with
    /// the input channels, y and the residual with the output channels; y's border stays as it is.
    /// Only for units that `runsOnGrid`.
    public func forwardInferenceGrid(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, batch: Int,
        residual: UnsafePointer<Float>? = nil, columns: Buffer
    ) {
        if !foldedValid { fold() }
        guard let wino = foldedWinograd else { preconditionFailure("forwardInferenceGrid on a unit off the grid") }
        let padded = (outChannels + 7) / 8 * 8
        if paddedBias.count != padded {
            paddedBias = foldedBias + [Float](repeating: 0, count: padded - outChannels)
        }
        paddedBias.withUnsafeBufferPointer { b in
            wino.forwardGrid(
                x, y, batch: batch, workspace: columns, bias: b.baseAddress!, residual: residual,
                activation: activation)
        }
    }

    func fold() {
        let (scale, shift) = bn.folded()
        // Channel o's weights: per·o ..< per·(o + 1), or a depthwise filter where its group puts it.
        let filter: (Int) -> Range<Int>
        switch kind {
        case .standard(let c):
            foldedWeights = c.weight.value
            let per = foldedWeights.count / outChannels
            filter = { $0 * per..<($0 + 1) * per }
        case .depthwise(let d):
            foldedWeights = d.flatWeights
            filter = {
                let (offset, k) = d.filter(of: $0)
                return offset..<offset + k * k
            }
        }
        for o in 0..<outChannels {
            for i in filter(o) { foldedWeights[i] *= scale[o] }
        }
        foldedBias = shift
        paddedBias = []
        if case .standard(let c) = kind, c.kernel == 3, c.useWinograd {
            let wino =
                foldedWinograd
                ?? Winograd(inChannels: c.inChannels, outChannels: c.outChannels, height: c.height, width: c.width)
            foldedWeights.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!) }
            foldedWinograd = wino
        } else {
            foldedWinograd = nil
        }
        foldedValid = true
    }
}
