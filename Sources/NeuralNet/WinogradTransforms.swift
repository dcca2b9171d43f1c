import CKernels

/// Winograd's per-tile transforms over channel-inner data, 8 channels (one `Lane`) at a time.
extension Winograd {
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Lane {
        UnsafeRawPointer(p).loadUnaligned(as: Lane.self)
    }

    @inline(__always) static func store(_ v: Lane, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lane.self)
    }

    /// Fills rows `gridRows` of board b's zero-bordered grid `[gridY][gridX][padded]` from the
    /// `[C][B·H·W]` activations x (grid row r holds board row r - 1; `padded` a multiple of 8).
    func layOutRows(
        _ x: UnsafePointer<Float>, _ grid: UnsafeMutablePointer<Float>, board b: Int, batch: Int,
        gridRows: Range<Int>, channels cin: Int, padded cp: Int
    ) {
        let h = height
        let w = width
        let hw = h * w
        let n = batch * hw
        let gx = gridX
        let rows = gridRows.clamped(to: 0..<gridY)
        for r in rows where r == 0 || r > h {
            (grid + r * gx * cp).update(repeating: 0, count: gx * cp)
        }
        let boardRows = rows.clamped(to: 1..<h + 1)
        for r in boardRows {
            (grid + r * gx * cp).update(repeating: 0, count: cp)
            (grid + (r * gx + w + 1) * cp).update(repeating: 0, count: (gx - w - 1) * cp)
        }
        let src = x + b * hw
        for g in 0..<cp / 8 {
            let c0 = g * 8
            let lanes = min(8, cin - c0)
            if lanes == 8 {
                let r0 = src + c0 * n
                let r1 = r0 + n
                let r2 = r1 + n
                let r3 = r2 + n
                let r4 = r3 + n
                let r5 = r4 + n
                let r6 = r5 + n
                let r7 = r6 + n
                for r in boardRows {
                    let dst = grid + (r * gx + 1) * cp + c0
                    let o = (r - 1) * w
                    for xx in 0..<w {
                        let p = o + xx
                        Self.store(Lane(r0[p], r1[p], r2[p], r3[p], r4[p], r5[p], r6[p], r7[p]), dst + xx * cp)
                    }
                }
            } else {
                for r in boardRows {
                    let dst = grid + (r * gx + 1) * cp + c0
                    let o = (r - 1) * w
                    for xx in 0..<w {
                        var v = Lane(repeating: 0)
                        for l in 0..<lanes { v[l] = src[(c0 + l) * n + o + xx] }
                        Self.store(v, dst + xx * cp)
                    }
                }
            }
        }
    }

    /// V[ξ][k][c] = (Bᵀ·d·B)[ξ] for the 6x6 patch d of each tile k of `tiles` (indices within
    /// the board whose grid is given); row k - tiles.lowerBound of v, `stride` floats per ξ.
    func transformInput(_ grid: UnsafePointer<Float>, _ v: UnsafeMutablePointer<Float>, tiles: Range<Int>, stride: Int)
    {
        gonet_winograd_input(
            grid, v, Int32(tiles.lowerBound), Int32(tiles.upperBound), Int32(tilesX), Int32(gridX), Int32(cPad), stride)
    }

    /// y = Aᵀ·m·A for the tiles `tiles` of board b (m: `[36][tiles.count][fPad]`), the 4x4 outputs
    /// that lie on the board, with bias, residual and ReLU. Each row of tiles is staged
    /// channel-inner in `stage` (16·tilesX·fPad floats), then transposed out by `writeOut`.
    func transformOutput(
        _ m: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, board b: Int, batch: Int, tiles: Range<Int>,
        stage: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, relu: Bool
    ) {
        let h = height
        let w = width
        let tx = tilesX
        let fp = fPad
        let stride = tiles.count * fp
        let rowWidth = 4 * tx
        withUnsafeTemporaryAllocation(of: Lane.self, capacity: 24) { tmp in
            let t = tmp.baseAddress!
            for i in tiles.lowerBound / tx...(tiles.upperBound - 1) / tx {
                let ja = max(tiles.lowerBound, i * tx) - i * tx
                let jb = min(tiles.upperBound, (i + 1) * tx) - i * tx
                for j in ja..<jb {
                    let row = i * tx + j - tiles.lowerBound
                    for g in 0..<fp / 8 {
                        let src = m + row * fp + g * 8
                        // t = Aᵀ·m (4x6), column by column.
                        for s in 0..<6 {
                            let p = src + s * stride
                            let m0 = Self.load(p)
                            let m1 = Self.load(p + 6 * stride)
                            let m2 = Self.load(p + 12 * stride)
                            let m3 = Self.load(p + 18 * stride)
                            let m4 = Self.load(p + 24 * stride)
                            let m5 = Self.load(p + 30 * stride)
                            t[s] = m0 + m1 + m2 + m3 + m4
                            t[6 + s] = m1 - m2 + 2 * (m3 - m4)
                            t[12 + s] = m1 + m2 + 4 * (m3 + m4)
                            t[18 + s] = m1 - m2 + 8 * (m3 - m4) + m5
                        }
                        // Y = t·A: 4x4 outputs of 8 channels, staged at (row r, column 4j + c).
                        for r in 0..<4 {
                            let t0 = t[r * 6]
                            let t1 = t[r * 6 + 1]
                            let t2 = t[r * 6 + 2]
                            let t3 = t[r * 6 + 3]
                            let t4 = t[r * 6 + 4]
                            let t5 = t[r * 6 + 5]
                            let o = stage + (r * rowWidth + 4 * j) * fp + g * 8
                            Self.store(t0 + t1 + t2 + t3 + t4, o)
                            Self.store(t1 - t2 + 2 * (t3 - t4), o + fp)
                            Self.store(t1 + t2 + 4 * (t3 + t4), o + 2 * fp)
                            Self.store(t1 - t2 + 8 * (t3 - t4) + t5, o + 3 * fp)
                        }
                    }
                }
                writeOut(
                    stage, y, board: b, batch: batch, tileRow: i, columns: 4 * ja..<min(4 * jb, w), lanes: t,
                    bias: bias, residual: residual, relu: relu)
            }
        }
    }

    /// y = f(Aᵀ·m·A + bias (+ residual)), f the `activation`, for the tiles `tiles` of one board in
    /// the grid layout (m: `[36][tiles.count][fPad]`; y and the residual: the board's grid, `fPad`
    /// channels): only the outputs that lie on the board are written.
    func transformOutputToGrid(
        _ m: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, tiles: Range<Int>, bias: UnsafePointer<Float>,
        residual: UnsafePointer<Float>?, activation: Activation
    ) {
        gonet_winograd_output_grid(
            m, y, Int32(tiles.lowerBound), Int32(tiles.upperBound), Int32(tilesX), Int32(gridX), Int32(height),
            Int32(width), Int32(fPad), bias, residual, activation.kernel)
    }

    /// Writes a staged row of tiles (`stage[(r · 4·tilesX + x) · fPad + c]`, channel-inner) to the
    /// channel-major rows of y with bias, residual and ReLU: blocks of 8 columns x 8 channels go
    /// through an in-register transpose, the rest of a row element by element.
    func writeOut(
        _ stage: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, board b: Int, batch: Int, tileRow i: Int,
        columns: Range<Int>, lanes: UnsafeMutablePointer<Lane>,
        bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, relu: Bool
    ) {
        let hw = height * width
        let n = batch * hw
        let fp = fPad
        let f = outChannels
        let rowWidth = 4 * tilesX
        let rows = min(4, height - 4 * i)
        for c0 in stride(from: 0, to: f, by: 8) {
            let count = min(8, f - c0)
            for r in 0..<rows {
                let line = c0 * n + b * hw + (4 * i + r) * width
                let from = stage + r * rowWidth * fp + c0
                var x = columns.lowerBound
                while x + 8 <= columns.upperBound {
                    let p = from + x * fp
                    var a0 = Self.load(p)
                    var a1 = Self.load(p + fp)
                    var a2 = Self.load(p + 2 * fp)
                    var a3 = Self.load(p + 3 * fp)
                    var a4 = Self.load(p + 4 * fp)
                    var a5 = Self.load(p + 5 * fp)
                    var a6 = Self.load(p + 6 * fp)
                    var a7 = Self.load(p + 7 * fp)
                    // Three perfect shuffles of the 64 values transpose them.
                    for _ in 0..<3 {
                        let (b0, b1) = Self.interleave(a0, a4)
                        let (b2, b3) = Self.interleave(a1, a5)
                        let (b4, b5) = Self.interleave(a2, a6)
                        let (b6, b7) = Self.interleave(a3, a7)
                        (a0, a1, a2, a3, a4, a5, a6, a7) = (b0, b1, b2, b3, b4, b5, b6, b7)
                    }
                    lanes[0] = a0
                    lanes[1] = a1
                    lanes[2] = a2
                    lanes[3] = a3
                    lanes[4] = a4
                    lanes[5] = a5
                    lanes[6] = a6
                    lanes[7] = a7
                    for c in 0..<count {
                        let at = line + c * n + x
                        var v = lanes[c] + Lane(repeating: bias?[c0 + c] ?? 0)
                        if let residual { v += Self.load(residual + at) }
                        if relu { v.replace(with: 0, where: v .< 0) }
                        Self.store(v, y + at)
                    }
                    x += 8
                }
                for c in 0..<count {
                    let bo = bias?[c0 + c] ?? 0
                    for xx in x..<columns.upperBound {
                        let at = line + c * n + xx
                        var v = from[xx * fp + c] + bo
                        if let residual { v += residual[at] }
                        y[at] = relu ? max(v, 0) : v
                    }
                }
            }
        }
    }

    /// (a0 b0 a1 b1 a2 b2 a3 b3, a4 b4 a5 b5 a6 b6 a7 b7).
    @inline(__always) static func interleave(_ a: Lane, _ b: Lane) -> (Lane, Lane) {
        (Lane(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]), Lane(a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7]))
    }
}
