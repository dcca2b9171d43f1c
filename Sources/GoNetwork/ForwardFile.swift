import NeuralNet

extension PolicyValueNetwork {
    /// `gonet net forward`: reads `planes` [B,6,19,19] from a safetensors file's tensors and returns
    /// `policy` [B,362] logits and `value` [B,1], so any framework can check its exports against gonet.
    public func forward(file input: SafeTensors, path: String) throws -> SafeTensors {
        guard let planes = input.tensor("planes") else {
            throw NetworkError(path: path, reasons: ["no tensor \"planes\" (expected [B,6,19,19])"])
        }
        guard planes.shape.count == 4, planes.shape[1] == 6, planes.shape[2] == 19, planes.shape[3] == 19,
            planes.shape[0] > 0
        else {
            throw NetworkError(path: path, reasons: ["tensor planes has shape \(planes.shape), expected [B,6,19,19]"])
        }
        if let i = planes.data.firstIndex(where: { !$0.isFinite }) {
            throw NetworkError(path: path, reasons: ["tensor planes has a non-finite value at index \(i)"])
        }
        let batch = planes.shape[0]
        var out = SafeTensors()
        // Evaluate in slices so a large input never needs more than one slice's activations.
        var logits: [Float] = []
        var values: [Float] = []
        logits.reserveCapacity(batch * Features.moves)
        let slice = 256
        for start in stride(from: 0, to: batch, by: slice) {
            let n = min(slice, batch - start)
            let part = Array(planes.data[(start * 6 * Features.points)..<((start + n) * 6 * Features.points)])
            let (l, v) = part.withUnsafeBufferPointer { forward(planes: $0.baseAddress!, batch: n) }
            logits += UnsafeBufferPointer(start: l, count: n * Features.moves)
            values += UnsafeBufferPointer(start: v, count: n)
        }
        // A broken network is an error, not a file of NaNs.
        if let i = logits.firstIndex(where: { !$0.isFinite })
            ?? values.firstIndex(where: { !$0.isFinite }).map({ $0 * Features.moves })
        {
            throw NetworkError(
                path: path,
                reasons: ["the network's output for position \(i / Features.moves) is not finite (weights too large?)"])
        }
        out.set("policy", Tensor(shape: [batch, Features.moves], data: logits))
        out.set("value", Tensor(shape: [batch, 1], data: values))
        return out
    }
}
