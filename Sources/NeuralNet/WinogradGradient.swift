import CKernels

/// The filter gradient of a 3x3 convolution through the same F(4x4, 3x3) transforms: with
/// y = Aᵀ[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]A per tile, dg = Gᵀ[Σ over tiles (A·dy·Aᵀ) ⊙ (Bᵀ·d·B)]G.
/// The sum over tiles is 36 products `[out × tiles] · [tiles × in]` per board: a quarter of the
/// direct form's multiplications and no 9-fold copy of the input.
extension Winograd {
    /// Floats of one worker's gradient slot: a bordered grid, a board's V and Z, and its own dU.
    var gradientSlotSize: Int {
        gridY * gridX * max(cPad, fPad) + 36 * tilesPerBoard * (cPad + fPad) + 36 * fPad * cPad
    }

    /// Workers `weightGradient` spreads a batch over.
    func gradientWorkers(batch: Int) -> Int {
        36 * batch * tilesPerBoard * cPad * fPad < 1 << 21 ? 1 : min(max(1, Parallel.threads), batch)
    }

    /// dw[out][in][3][3] = the gradient of the loss for the filters, from the input x and the
    /// output gradient dy (`[C][B·H·W]` layouts, or the grid layout with `onGrid`). Overwrites dw.
    /// `transformed`, when given, is x's transformed input kept by `forward`, and x is not read.
    ///
    /// Each worker takes whole boards: it transforms dy (and x, unless kept) in its own
    /// cache-resident slot, laid out into a grid first unless they are on one, and accumulates
    /// its own dU; the workers' dU are summed at the end.
    func weightGradient(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
        batch: Int, workspace: Buffer, transformed: UnsafePointer<Float>? = nil, onGrid: Bool = false
    ) {
        let tpb = tilesPerBoard
        let tiles = batch * tpb
        let cp = cPad
        let fp = fPad
        let workers = gradientWorkers(batch: batch)
        let slot = gradientSlotSize
        let gridSize = gridY * gridX * max(cp, fp)
        let plane = fp * cp
        let ws = workspace.reserve(workers * slot)
        func dU(_ worker: Int) -> UnsafeMutablePointer<Float> { ws + worker * slot + gridSize + 36 * tpb * (cp + fp) }
        Parallel.forEach(workers) { worker in
            let grid = ws + worker * slot
            let vLocal = grid + gridSize
            let z = vLocal + 36 * tpb * cp
            let du = dU(worker)
            var b = worker
            while b < batch {
                let v: UnsafePointer<Float>
                let vStride: Int
                if let transformed {
                    v = transformed + b * tpb * cp
                    vStride = tiles * cp
                } else if onGrid {
                    transformInput(x + b * gridBoardSize(channels: cp), vLocal, tiles: 0..<tpb, stride: tpb * cp)
                    v = UnsafePointer(vLocal)
                    vStride = tpb * cp
                } else {
                    layOutRows(x, grid, board: b, batch: batch, gridRows: 0..<gridY, channels: inChannels, padded: cp)
                    transformInput(grid, vLocal, tiles: 0..<tpb, stride: tpb * cp)
                    v = UnsafePointer(vLocal)
                    vStride = tpb * cp
                }
                if onGrid {
                    transformOutputGradient(dy + b * gridBoardSize(channels: fp), z, tiles: 0..<tpb, stride: tpb * fp)
                } else {
                    layOutRows(
                        dy, grid, board: b, batch: batch, gridRows: 0..<gridY, channels: outChannels, padded: fp)
                    transformOutputGradient(grid, z, tiles: 0..<tpb, stride: tpb * fp)
                }
                // dU[ξ] (+)= Z[ξ]ᵀ · V[ξ] over this board's tiles.
                let beta: Float = b == worker ? 0 : 1
                for xi in 0..<36 {
                    BLAS.single(
                        true, false, fp, cp, tpb, 1, z + xi * tpb * fp, fp, v + xi * vStride, cp,
                        beta, du + xi * plane, cp)
                }
                b += workers
            }
        }
        let total = dU(0)
        for worker in 1..<workers {
            let part = dU(worker)
            for k in 0..<36 * plane { total[k] += part[k] }
        }
        transformFilterGradient(total, dw)
    }

    /// Z[ξ][k][f] = (A·dy·Aᵀ)[ξ] for the 4x4 block of dy each tile k of `tiles` produced (zero
    /// off the board), 8 channels at a time; row k - tiles.lowerBound of z, `stride` floats per ξ.
    /// dy's grid has the forward input's one-point border, so a tile's outputs start one row and
    /// one column in. In C, as the other transforms (it was 2–5% of training in Swift, perf).
    func transformOutputGradient(
        _ grid: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>, tiles: Range<Int>, stride: Int
    ) {
        gonet_winograd_output_gradient(
            grid, z, Int32(tiles.lowerBound), Int32(tiles.upperBound), Int32(tilesX), Int32(gridX), Int32(fPad),
            stride)
    }

    /// dw[o][c] = Gᵀ·dU[o][c]·G: each 6x6 gradient of a transformed filter back to 3x3.
    func transformFilterGradient(_ du: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>) {
        let o = outChannels
        let i = inChannels
        let cp = cPad
        let plane = fPad * cPad
        // Gᵀ's rows: the weights of G's columns (see setWeights).
        let g: [[Float]] = [
            [1.0 / 4, -1.0 / 6, -1.0 / 6, 1.0 / 24, 1.0 / 24, 0],
            [0, -1.0 / 6, 1.0 / 6, 1.0 / 12, -1.0 / 12, 0],
            [0, -1.0 / 6, -1.0 / 6, 1.0 / 6, 1.0 / 6, 1],
        ]
        Parallel.forEach(o, work: o * i * 200) { a in
            var u = [Float](repeating: 0, count: 36)
            var t = [Float](repeating: 0, count: 18)
            for b in 0..<i {
                for k in 0..<36 { u[k] = du[k * plane + a * cp + b] }
                // t = Gᵀ·u (3x6), then t·G (3x3).
                for r in 0..<3 {
                    for c in 0..<6 {
                        var s: Float = 0
                        for k in 0..<6 { s += g[r][k] * u[k * 6 + c] }
                        t[r * 6 + c] = s
                    }
                }
                let out = dw + (a * i + b) * 9
                for r in 0..<3 {
                    for c in 0..<3 {
                        var s: Float = 0
                        for k in 0..<6 { s += t[r * 6 + k] * g[c][k] }
                        out[r * 3 + c] = s
                    }
                }
            }
        }
    }
}
