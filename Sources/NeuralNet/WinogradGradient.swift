/// The filter gradient of a 3x3 convolution through the same F(4x4, 3x3) transforms: with
/// y = Aᵀ[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]A per tile, dg = Gᵀ[Σ over tiles (A·dy·Aᵀ) ⊙ (Bᵀ·d·B)]G.
/// The sum over tiles is 36 products `[out × tiles] · [tiles × in]`: a quarter of the direct
/// form's multiplications and no 9-fold copy of the input.
extension Winograd {
    /// Floats of workspace `weightGradient` needs.
    public func gradientWorkspaceSize(batch: Int) -> Int {
        let tiles = batch * tilesPerBoard, board = gridY * gridX
        return batch * board * (cPad + fPad) + 36 * tiles * (cPad + fPad) + 36 * fPad * cPad
    }

    /// dw[out][in][3][3] = the gradient of the loss for the filters, from the input x and the
    /// output gradient dy (`[C][B·H·W]` layouts). Overwrites dw. `transformed`, when given, is
    /// x's transformed input kept by `forward`, and x is not read.
    public func weightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                               batch: Int, workspace: Buffer, transformed: UnsafePointer<Float>? = nil) {
        let tiles = batch * tilesPerBoard, board = gridY * gridX
        let ws = workspace.reserve(gradientWorkspaceSize(batch: batch))
        let gridIn = ws, gridDy = gridIn + batch * board * cPad
        let v = gridDy + batch * board * fPad
        let z = v + 36 * tiles * cPad
        let du = z + 36 * tiles * fPad
        if transformed == nil {
            transformInput(x, v, batch: batch, workspace: gridIn)
        }
        layOut(dy, gridDy, batch: batch, channels: outChannels, padded: fPad)
        transformOutputGradient(gridDy, z, batch: batch)
        BLAS.gemmBatch(count: 36, transA: true, m: fPad, n: cPad, k: tiles,
                       a: z, lda: fPad, strideA: tiles * fPad,
                       b: transformed ?? UnsafePointer(v), ldb: cPad, strideB: tiles * cPad,
                       c: du, ldc: cPad, strideC: fPad * cPad)
        transformFilterGradient(du, dw)
    }

    /// Z[ξ][tile][f] = (A·dy·Aᵀ)[ξ] for the 4x4 block of dy each tile produced (zero off the
    /// board), 8 channels at a time. dy's grid has the forward input's one-point border, so a
    /// tile's outputs start one row and one column in.
    func transformOutputGradient(_ grid: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>, batch: Int) {
        let tiles = batch * tilesPerBoard, ty = tilesY, tx = tilesX, gy = gridY, gx = gridX, fp = fPad
        let groups = fp / 8
        let stride = tiles * fp
        Parallel.forEach(batch * ty, work: batch * tilesPerBoard * fp * 40) { task in
            let b = task / ty, i = task % ty
            withUnsafeTemporaryAllocation(of: Lane.self, capacity: 24) { tmp in
                let t = tmp.baseAddress!
                let board = grid + b * gy * gx * fp
                for j in 0..<tx {
                    let tile = (b * ty + i) * tx + j
                    for g in 0..<groups {
                        let origin = board + ((4 * i + 1) * gx + 4 * j + 1) * fp + g * 8
                        // t = A·d (6x4), column by column.
                        for s in 0..<4 {
                            let p = origin + s * fp
                            let d0 = Self.load(p), d1 = Self.load(p + gx * fp), d2 = Self.load(p + 2 * gx * fp), d3 = Self.load(p + 3 * gx * fp)
                            t[s] = d0
                            t[4 + s] = d0 + d1 + d2 + d3
                            t[8 + s] = d0 - d1 + d2 - d3
                            t[12 + s] = d0 + 2 * d1 + 4 * d2 + 8 * d3
                            t[16 + s] = d0 - 2 * d1 + 4 * d2 - 8 * d3
                            t[20 + s] = d3
                        }
                        // Z = t·Aᵀ, row by row.
                        let out = z + tile * fp + g * 8
                        for r in 0..<6 {
                            let t0 = t[r * 4], t1 = t[r * 4 + 1], t2 = t[r * 4 + 2], t3 = t[r * 4 + 3]
                            let o = out + r * 6 * stride
                            Self.store(t0, o)
                            Self.store(t0 + t1 + t2 + t3, o + stride)
                            Self.store(t0 - t1 + t2 - t3, o + 2 * stride)
                            Self.store(t0 + 2 * t1 + 4 * t2 + 8 * t3, o + 3 * stride)
                            Self.store(t0 - 2 * t1 + 4 * t2 - 8 * t3, o + 4 * stride)
                            Self.store(t3, o + 5 * stride)
                        }
                    }
                }
            }
        }
    }

    /// dw[o][c] = Gᵀ·dU[o][c]·G: each 6x6 gradient of a transformed filter back to 3x3.
    func transformFilterGradient(_ du: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>) {
        let o = outChannels, i = inChannels, cp = cPad, plane = fPad * cPad
        // Gᵀ's rows: the weights of G's columns (see setWeights).
        let g: [[Float]] = [[1.0 / 4, -1.0 / 6, -1.0 / 6, 1.0 / 24, 1.0 / 24, 0],
                            [0, -1.0 / 6, 1.0 / 6, 1.0 / 12, -1.0 / 12, 0],
                            [0, -1.0 / 6, -1.0 / 6, 1.0 / 6, 1.0 / 6, 1]]
        Parallel.forEach(o, work: o * i * 200) { a in
            var u = [Float](repeating: 0, count: 36), t = [Float](repeating: 0, count: 18)
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
