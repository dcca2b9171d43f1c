import CKernels

/// Batch norm in training on activations in the grid layout (`GridLayout`), the layout a trunk
/// of Winograd convolutions trains in: the same statistics, running averages and gradients as on
/// `[C][N]` rows, with only the board points read and written.
///
/// Each board is a task: its sums go to its own slot and are combined per channel in double
/// afterwards (Chan's pairwise formula for the variance), so the result does not depend on how
/// boards are spread over the workers.
extension BatchNorm {
    /// Training: x (the convolution's output, `padded` channels) becomes x̂ in place, and y's
    /// board points get γx̂ + β (+ the residual's), ReLU'd when asked. Channels past `channels`
    /// are zero in x and stay zero in y.
    public func forwardTrainingGrid(
        _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, layout: GridLayout,
        residual: UnsafePointer<Float>? = nil, relu: Bool
    ) {
        let cp = layout.padded
        let points = layout.height * layout.width
        var sums = [Float](repeating: 0, count: 2 * batch * cp)
        sums.withUnsafeMutableBufferPointer { s in
            let s = s.baseAddress!
            forEachBoard(batch, layout) { b in
                gonet_grid_moments(
                    x + b * layout.boardSize, Int32(layout.height), Int32(layout.width), Int32(layout.gridX),
                    Int32(cp), s + b * cp, s + (batch + b) * cp)
            }
        }
        var mean = [Float](repeating: 0, count: cp)
        var inv = [Float](repeating: 1, count: cp)
        var scale = [Float](repeating: 0, count: cp)
        var shift = [Float](repeating: 0, count: cp)
        let n = batch * points
        for c in 0..<channels {
            var total = 0.0
            for b in 0..<batch { total += Double(sums[b * cp + c]) }
            let mu = total / Double(n)
            // Σ over boards of their deviations, plus each board mean's deviation from the batch's.
            var sq = 0.0
            for b in 0..<batch {
                let boardMean = Double(sums[b * cp + c]) / Double(points)
                sq += Double(sums[(batch + b) * cp + c]) + Double(points) * (boardMean - mu) * (boardMean - mu)
            }
            let variance = sq / Double(n)
            let istd = Float(1 / (variance + Double(eps)).squareRoot())
            invStd[c] = istd
            runningMean.value[c] = (1 - momentum) * runningMean.value[c] + momentum * Float(mu)
            runningVar.value[c] =
                (1 - momentum) * runningVar.value[c] + momentum * Float(n > 1 ? sq / Double(n - 1) : variance)
            mean[c] = Float(mu)
            inv[c] = istd
            scale[c] = weight.value[c]
            shift[c] = bias.value[c]
        }
        forEachBoard(batch, layout) { b in
            let at = b * layout.boardSize
            gonet_grid_normalise(
                x + at, y + at, residual.map { $0 + at }, Int32(layout.height), Int32(layout.width),
                Int32(layout.gridX), Int32(cp), mean, inv, scale, shift, relu ? 1 : 0)
        }
    }

    /// From dy (the gradient at y, grid layout): γ and β gradients, and dx's board points. With
    /// `relu`, dy is masked by y > 0 first, and that masked gradient is also written to
    /// `dResidual`'s board points when it is given.
    public func backwardGrid(
        _ xhat: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>, batch: Int, layout: GridLayout, relu: Bool,
        dResidual: UnsafeMutablePointer<Float>? = nil
    ) {
        let cp = layout.padded
        var sums = [Float](repeating: 0, count: 2 * batch * cp)
        sums.withUnsafeMutableBufferPointer { s in
            let s = s.baseAddress!
            forEachBoard(batch, layout) { b in
                let at = b * layout.boardSize
                gonet_grid_norm_gradient_sums(
                    xhat + at, y + at, dy + at, dResidual.map { $0 + at }, Int32(layout.height), Int32(layout.width),
                    Int32(layout.gridX), Int32(cp), relu ? 1 : 0, s + b * cp, s + (batch + b) * cp)
            }
        }
        let n = Float(batch * layout.height * layout.width)
        var a = [Float](repeating: 0, count: cp)
        var sumTerm = a
        var xhatTerm = a
        var dg = [Float](repeating: 0, count: channels)
        var db = dg
        for c in 0..<channels {
            var sg = 0.0
            var sgx = 0.0
            for b in 0..<batch {
                sg += Double(sums[b * cp + c])
                sgx += Double(sums[(batch + b) * cp + c])
            }
            dg[c] = Float(sgx)
            db[c] = Float(sg)
            // dx = k·(n·g − Σg − x̂·Σg·x̂), k = γ/(σ·n).
            let k = weight.value[c] * invStd[c] / n
            a[c] = k * n
            sumTerm[c] = k * Float(sg)
            xhatTerm[c] = k * Float(sgx)
        }
        weight.grad = dg
        bias.grad = db
        forEachBoard(batch, layout) { b in
            let at = b * layout.boardSize
            gonet_grid_norm_input_gradient(
                xhat + at, y + at, dy + at, dx + at, Int32(layout.height), Int32(layout.width), Int32(layout.gridX),
                Int32(cp), relu ? 1 : 0, a, sumTerm, xhatTerm)
        }
    }

    /// Runs `body(board)` for every board, spread over the workers.
    private func forEachBoard(_ batch: Int, _ layout: GridLayout, _ body: (Int) -> Void) {
        Parallel.forEach(batch, work: batch * layout.boardSize * 4, body)
    }
}
