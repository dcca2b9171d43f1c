import NeuralNet

extension PolicyValueNetwork {
    /// The logits `[B][362]` of the last forward pass, copied.
    public func lastLogits(batch: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: lastOutputs.logits, count: batch * Features.moves))
    }

    /// The values `[B]` of the last forward pass, copied.
    public func lastValues(batch: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: lastOutputs.values, count: batch))
    }

    /// Inference on NCHW planes `[B][6][361]`: move probabilities `[B][362]` (softmax of the
    /// logits) and values `[B]` in [-1, 1].
    public func evaluate(planes: [Float], batch: Int) -> (policy: [Float], value: [Float]) {
        precondition(planes.count == batch * Features.planes * Features.points, "planes must be [B][6][361]")
        let (logits, values) = planes.withUnsafeBufferPointer { forward(planes: $0.baseAddress!, batch: batch) }
        var policy = [Float](repeating: 0, count: batch * Features.moves)
        policy.withUnsafeMutableBufferPointer {
            Activations.softmax(logits, $0.baseAddress!, rows: batch, columns: Features.moves)
        }
        return (policy, Array(UnsafeBufferPointer(start: values, count: batch)))
    }
}
