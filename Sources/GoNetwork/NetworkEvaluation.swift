import NeuralNet

extension PolicyValueNetwork {
    /// The logits `[B][362]` and values `[B]` of the last forward pass (valid until the next one).
    public var lastOutputs: (logits: UnsafePointer<Float>, values: UnsafePointer<Float>) {
        (UnsafePointer(logits.pointer), UnsafePointer(values.pointer))
    }

    /// The logits `[B][362]` of the last forward pass, copied.
    public func lastLogits(batch: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: logits.pointer, count: batch * Self.moves))
    }

    /// The values `[B]` of the last forward pass, copied.
    public func lastValues(batch: Int) -> [Float] { Array(UnsafeBufferPointer(start: values.pointer, count: batch)) }
}

extension PolicyValueNetwork {
    /// Inference on NCHW planes `[B][6][361]` with batch norm folded into the convolutions:
    /// move probabilities `[B][362]` (softmax of the logits) and values `[B]` in [-1, 1].
    public func evaluate(planes: [Float], batch: Int) -> (policy: [Float], value: [Float]) {
        precondition(planes.count == batch * Self.planes * Self.points, "planes must be [B][6][361]")
        let (logits, values) = planes.withUnsafeBufferPointer {
            forward(planes: $0.baseAddress!, batch: batch, training: false)
        }
        var policy = [Float](repeating: 0, count: batch * Self.moves)
        policy.withUnsafeMutableBufferPointer {
            Activations.softmax(logits, $0.baseAddress!, rows: batch, columns: Self.moves)
        }
        return (policy, Array(UnsafeBufferPointer(start: values, count: batch)))
    }
}
