/// A 3x3 convolution by Winograd on activations in the grid layout (`GridLayout`), as training
/// runs a trunk of them: no lay-out into the grid and no transpose out of it, forward or backward.
extension Conv2D {
    /// Whether the convolution runs on the grid layout: 3x3 by Winograd, without a bias.
    public var runsOnGrid: Bool { kernel == 3 && useWinograd && bias == nil }

    /// y = W ⊛ x: x with the input channels padded to 8, y with the output channels; only y's
    /// board points are written.
    public func forwardGrid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, columns: Buffer) {
        precondition(runsOnGrid, "forwardGrid on a convolution off the grid")
        let wino = forwardWinograd()
        let zero = [Float](repeating: 0, count: wino.fPad)
        wino.forwardGrid(x, y, batch: batch, workspace: columns, bias: zero, residual: nil, activation: .identity)
    }

    /// Sets the weight gradient from x and dy (both on the grid), and writes dx's board points
    /// when asked: Wᵀ ⊛ dy, plus `adding`'s board points when it is given (the gradient a
    /// residual connection brings to the same input).
    public func backwardGrid(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?, batch: Int,
        adding: UnsafePointer<Float>? = nil, columns: Buffer
    ) {
        precondition(runsOnGrid, "backwardGrid on a convolution off the grid")
        let wino = forwardWinograd()
        weight.grad.withUnsafeMutableBufferPointer { g in
            wino.weightGradient(x, dy, g.baseAddress!, batch: batch, workspace: columns, onGrid: true)
        }
        guard let dx else { return }
        let back = backwardWinograd()
        let zero = [Float](repeating: 0, count: back.fPad)
        back.forwardGrid(dy, dx, batch: batch, workspace: columns, bias: zero, residual: adding, activation: .identity)
    }
}
