/// A fully connected layer over sample-major rows: y[B][out] = x[B][in] · Wᵀ + b.
public final class Dense {
    /// `[out, in]`, PyTorch's `nn.Linear` layout.
    public let weight: Parameter
    /// `[out]`.
    public let bias: Parameter
    /// Input width.
    public let inputs: Int
    /// Output width.
    public let outputs: Int

    /// A layer of `inputs` → `outputs` with PyTorch's default initialisation.
    public init(_ name: String, in inputs: Int, out outputs: Int) {
        self.inputs = inputs
        self.outputs = outputs
        weight = Parameter(name + ".weight", shape: [outputs, inputs], decays: true)
        bias = Parameter(name + ".bias", shape: [outputs])
    }

    /// y = x·Wᵀ + b for `batch` rows.
    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int) {
        bias.value.withUnsafeBufferPointer { b in
            for s in 0..<batch { (y + s * outputs).update(from: b.baseAddress!, count: outputs) }
        }
        weight.value.withUnsafeBufferPointer { w in
            BLAS.gemm(
                transB: true, m: batch, n: outputs, k: inputs, a: x, lda: inputs, b: w.baseAddress!, ldb: inputs,
                beta: 1, c: y, ldc: outputs)
        }
    }

    /// Accumulates the weight and bias gradients and writes dx when asked.
    public func backward(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?, batch: Int
    ) {
        bias.grad.withUnsafeMutableBufferPointer { g in
            for o in 0..<outputs {
                var s: Float = 0
                for b in 0..<batch { s += dy[b * outputs + o] }
                g[o] = s
            }
        }
        weight.grad.withUnsafeMutableBufferPointer { g in
            BLAS.gemm(
                transA: true, m: outputs, n: inputs, k: batch, a: dy, lda: outputs, b: x, ldb: inputs,
                c: g.baseAddress!, ldc: inputs)
        }
        if let dx {
            weight.value.withUnsafeBufferPointer { w in
                BLAS.gemm(
                    m: batch, n: inputs, k: outputs, a: dy, lda: outputs, b: w.baseAddress!, ldb: inputs, c: dx,
                    ldc: inputs)
            }
        }
    }
}
