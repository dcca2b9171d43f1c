/// A stride-1, same-padding convolution (1x1 or 3x3) over `[C][B·H·W]` activations: im2col plus one `sgemm`.
public final class Conv2D {
    /// `[out, in, k, k]`, PyTorch's layout, which is already the `[out][in·k·k]` matrix the product needs.
    public let weight: Parameter
    /// Optional per-output bias (`policy.out`, and convolutions with batch norm folded in).
    public let bias: Parameter?
    /// Input channels.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// Kernel size: 1 or 3.
    public let kernel: Int
    /// Rows of the board.
    public let height: Int
    /// Columns of the board.
    public let width: Int
    /// Whether 3x3 forward and input-gradient passes use Winograd F(4x4, 3x3) instead of im2col.
    public var useWinograd = true
    var winograd: Winograd?
    var winogradBackward: Winograd?
    /// The weights' version each Winograd transform was made from (-1: none yet).
    var winogradVersion = -1
    var winogradBackwardVersion = -1
    /// Winograd's transformed input from the last `forward(keepForBackward: true)`, the input and
    /// batch it came from (batch 0 when another pass has run since), so backward of that same x
    /// need not transform it again.
    let transformedInput = Buffer()
    var transformedBatch = 0
    var transformedSource: UnsafePointer<Float>?

    /// A convolution with He-initialised weights, named `name` in network files.
    public init(
        _ name: String, in inChannels: Int, out outChannels: Int, kernel: Int, bias: Bool = false, height: Int = 19,
        width: Int = 19
    ) {
        precondition(kernel == 1 || kernel == 3, "only 1x1 and 3x3 convolutions")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.height = height
        self.width = width
        weight = Parameter(name + ".weight", shape: [outChannels, inChannels, kernel, kernel], decays: true)
        self.bias = bias ? Parameter(name + ".bias", shape: [outChannels]) : nil
    }

    /// Multiply-adds per position.
    public var macsPerPoint: Int { outChannels * inChannels * kernel * kernel }

    /// y = W ⊛ x (+ bias). `keepForBackward` (training) keeps what the next backward of the same
    /// x can reuse, at the cost of memory: Winograd's transformed input.
    public func forward(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, columns: Buffer,
        keepForBackward: Bool = false
    ) {
        transformedBatch = 0
        if kernel == 3 && useWinograd {
            let wino = forwardWinograd()
            let kept = keepForBackward ? transformedInput.reserve(wino.transformedInputSize(batch: batch)) : nil
            if let bias {
                bias.value.withUnsafeBufferPointer {
                    wino.forward(x, y, batch: batch, workspace: columns, bias: $0.baseAddress!, transformed: kept)
                }
            } else {
                wino.forward(x, y, batch: batch, workspace: columns, transformed: kept)
            }
            if keepForBackward {
                transformedBatch = batch
                transformedSource = x
            }
            return
        }
        let n = batch * height * width
        let k = inChannels * kernel * kernel
        weight.value.withUnsafeBufferPointer { w in
            if kernel == 1 {
                BLAS.gemm(m: outChannels, n: n, k: k, a: w.baseAddress!, lda: k, b: x, ldb: n, c: y, ldc: n)
            } else {
                let cols = columns.reserve(k * n)
                Im2Col.forward(x, cols, channels: inChannels, batch: batch, height: height, width: width)
                BLAS.gemm(m: outChannels, n: n, k: k, a: w.baseAddress!, lda: k, b: cols, ldb: n, c: y, ldc: n)
            }
        }
        if let bias {
            bias.value.withUnsafeBufferPointer { b in
                Parallel.forEach(outChannels, work: outChannels * n) { o in
                    let row = y + o * n
                    let v = b[o]
                    for i in 0..<n { row[i] += v }
                }
            }
        }
    }

    /// Sets the weight (and bias) gradients from dy, and writes dx when asked.
    public func backward(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?, batch: Int,
        columns: Buffer
    ) {
        let n = batch * height * width
        let k = inChannels * kernel * kernel
        if let bias {
            bias.grad.withUnsafeMutableBufferPointer { g in
                for o in 0..<outChannels {
                    g[o] = Float(Sums.sum(dy + o * n, n))
                }
            }
        }
        weight.value.withUnsafeBufferPointer { w in
            weight.grad.withUnsafeMutableBufferPointer { g in
                if kernel == 1 {
                    BLAS.gemm(
                        transB: true, m: outChannels, n: k, k: n, a: dy, lda: n, b: x, ldb: n, c: g.baseAddress!, ldc: k
                    )
                    if let dx {
                        BLAS.gemm(
                            transA: true, m: k, n: n, k: outChannels, a: w.baseAddress!, lda: k, b: dy, ldb: n, c: dx,
                            ldc: n)
                    }
                } else if useWinograd {
                    let wino = forwardWinograd()
                    let same = transformedBatch == batch && transformedSource == x
                    let kept = same ? UnsafePointer(transformedInput.pointer) : nil
                    wino.weightGradient(x, dy, g.baseAddress!, batch: batch, workspace: columns, transformed: kept)
                    transformedBatch = 0
                    if let dx {
                        backwardWinograd().forward(dy, dx, batch: batch, workspace: columns)
                    }
                } else {
                    let cols = columns.reserve(k * n)
                    Im2Col.forward(x, cols, channels: inChannels, batch: batch, height: height, width: width)
                    BLAS.gemm(
                        transB: true, m: outChannels, n: k, k: n, a: dy, lda: n, b: cols, ldb: n, c: g.baseAddress!,
                        ldc: k)
                    if let dx {
                        BLAS.gemm(
                            transA: true, m: k, n: n, k: outChannels, a: w.baseAddress!, lda: k, b: dy, ldb: n, c: cols,
                            ldc: n)
                        Im2Col.backward(cols, dx, channels: inChannels, batch: batch, height: height, width: width)
                    }
                }
            }
        }
    }

    /// The Winograd transform of the current weights (made or refreshed when they changed).
    func forwardWinograd() -> Winograd {
        let wino = winograd ?? Winograd(inChannels: inChannels, outChannels: outChannels, height: height, width: width)
        winograd = wino
        if winogradVersion != weight.version {
            weight.value.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!) }
            winogradVersion = weight.version
        }
        return wino
    }

    /// The Winograd transform backward's dx uses: dx is the convolution of dy with the flipped,
    /// transposed filters.
    func backwardWinograd() -> Winograd {
        let wino =
            winogradBackward ?? Winograd(inChannels: outChannels, outChannels: inChannels, height: height, width: width)
        winogradBackward = wino
        if winogradBackwardVersion != weight.version {
            weight.value.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!, flipped: true) }
            winogradBackwardVersion = weight.version
        }
        return wino
    }
}
