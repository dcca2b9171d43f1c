/// Training on activations in the grid layout (`GridLayout`): the convolution's output, x̂ and
/// the unit's output stay on the grid, so a trunk of these units trains without moving its
/// activations between layouts (inference's trunk runs the same way).
extension ConvBatchNorm {
    /// Whether the unit trains on the grid layout: a 3x3 convolution by Winograd without a bias,
    /// followed by ReLU or nothing.
    public var trainsOnGrid: Bool {
        guard case .standard(let c) = kind else { return false }
        return c.runsOnGrid && (activation == .relu || activation == .identity)
    }

    private var convolution: Conv2D {
        guard case .standard(let c) = kind, c.runsOnGrid else { preconditionFailure("a unit off the grid") }
        return c
    }

    private var layout: GridLayout {
        let c = convolution
        return GridLayout(channels: outChannels, height: c.height, width: c.width)
    }

    /// Training pass with batch statistics: x (the input channels, grid layout) in, `gridOutput`
    /// out, with the residual (the output's channels) added before the activation; keeps x̂ for
    /// backward. Only for units that `trainsOnGrid`.
    public func forwardTrainingGrid(
        _ x: UnsafePointer<Float>, batch: Int, residual: UnsafePointer<Float>? = nil, columns: Buffer
    ) {
        let size = batch * layout.boardSize
        let pre = gridNormalized.reserve(size)
        let out = gridOutput.reserve(size)
        convolution.forwardGrid(x, pre, batch: batch, columns: columns)
        bn.forwardTrainingGrid(pre, out, batch: batch, layout: layout, residual: residual, relu: activation == .relu)
        foldedValid = false
    }

    /// Backward from dOut (grid layout) after `forwardTrainingGrid` of the same x: parameter
    /// gradients, and dx's board points when asked, plus `adding`'s (a residual's gradient to the
    /// same input). With `dResidual`, the gradient that flows to this unit's residual input is
    /// written there. `dPre` is scratch on the grid: only ever used for this, so its border stays zero.
    public func backwardGrid(
        _ x: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?, batch: Int,
        dResidual: UnsafeMutablePointer<Float>? = nil, adding: UnsafePointer<Float>? = nil, dPre: Buffer,
        columns: Buffer
    ) {
        let d = dPre.reserve(batch * layout.boardSize)
        bn.backwardGrid(
            gridNormalized.pointer, gridOutput.pointer, dOut, d, batch: batch, layout: layout,
            relu: activation == .relu, dResidual: dResidual)
        convolution.backwardGrid(x, d, dx, batch: batch, adding: adding, columns: columns)
    }
}
