/// 3x3 convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray; Leela Zero's CPU
/// path): each 6x6 input tile and each filter are transformed, 36 matrix products of
/// `[tiles × in] · [in × out]` replace the convolution, and each 6x6 result becomes a 4x4 output
/// tile — 36 multiplications per output tile where the direct convolution needs 144.
///
/// The transforms run on 8 channels at once: the input is first laid out channel-inner on a
/// zero-bordered grid, and the products come out channel-inner too. Channel counts are padded to
/// multiples of 8 internally. A 19x19 board is 5x5 tiles (20x20 outputs, the last row and column dropped).
public final class Winograd {
    public typealias Lane = SIMD8<Float>
    static let lanes = 8

    public let inChannels: Int
    public let outChannels: Int
    public let height: Int
    public let width: Int
    let tilesY: Int
    let tilesX: Int
    /// Side of the zero-bordered grid a board is copied into (tiles start one point before the board).
    let gridY: Int
    let gridX: Int
    let cPad: Int
    let fPad: Int
    /// Transformed filters, `[36][out][in]`, padded.
    public private(set) var filters: [Float]

    public init(inChannels: Int, outChannels: Int, height: Int = 19, width: Int = 19) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.height = height
        self.width = width
        tilesY = (height + 3) / 4
        tilesX = (width + 3) / 4
        gridY = 4 * tilesY + 2
        gridX = 4 * tilesX + 2
        cPad = (inChannels + 7) / 8 * 8
        fPad = (outChannels + 7) / 8 * 8
        filters = [Float](repeating: 0, count: 36 * fPad * cPad)
    }

    /// Tiles per board.
    public var tilesPerBoard: Int { tilesY * tilesX }

    /// Transforms `[out][in][3][3]` weights (G·g·Gᵀ). With `flipped`, the filters of the
    /// transposed convolution (`[in][out]`, rotated 180°) are used instead: backward's dx.
    public func setWeights(_ w: UnsafePointer<Float>, flipped: Bool = false) {
        let o = outChannels, i = inChannels, cp = cPad, plane = fPad * cPad
        filters.withUnsafeMutableBufferPointer { u in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 27) { tmp in
                let g = tmp.baseAddress!, t = g + 9
                for a in 0..<o {
                    for b in 0..<i {
                        // Output channel a of this convolution reads input channel b.
                        let src = flipped ? w + (b * o + a) * 9 : w + (a * i + b) * 9
                        for k in 0..<9 { g[k] = flipped ? src[8 - k] : src[k] }
                        // t = G·g (6x3), then each row of t times Gᵀ.
                        for c in 0..<3 {
                            let v0 = g[c], v1 = g[3 + c], v2 = g[6 + c]
                            t[c] = v0 / 4
                            t[3 + c] = -(v0 + v1 + v2) / 6
                            t[6 + c] = -(v0 - v1 + v2) / 6
                            t[9 + c] = v0 / 24 + v1 / 12 + v2 / 6
                            t[12 + c] = v0 / 24 - v1 / 12 + v2 / 6
                            t[15 + c] = v2
                        }
                        let at = a * cp + b
                        for r in 0..<6 {
                            let v0 = t[r * 3], v1 = t[r * 3 + 1], v2 = t[r * 3 + 2]
                            let base = (r * 6) * plane + at
                            u[base] = v0 / 4
                            u[base + plane] = -(v0 + v1 + v2) / 6
                            u[base + 2 * plane] = -(v0 - v1 + v2) / 6
                            u[base + 3 * plane] = v0 / 24 + v1 / 12 + v2 / 6
                            u[base + 4 * plane] = v0 / 24 - v1 / 12 + v2 / 6
                            u[base + 5 * plane] = v2
                        }
                    }
                }
            }
        }
    }

    /// Floats of workspace a batch needs: the bordered input grid, transformed inputs, products.
    public func workspaceSize(batch: Int) -> Int {
        let tiles = batch * tilesPerBoard
        return batch * gridY * gridX * cPad + 36 * tiles * (cPad + fPad)
    }

    /// Floats of the transformed input V of a batch (what `forward` can keep for `weightGradient`).
    public func transformedInputSize(batch: Int) -> Int { 36 * batch * tilesPerBoard * cPad }

    /// y = w ⊛ x (+ bias per channel, + residual), ReLU'd when asked; `[C][B·H·W]` layouts.
    /// With `transformed`, the transformed input is written there and kept for `weightGradient`.
    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, workspace: Buffer,
                        bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, relu: Bool = false,
                        transformed: UnsafeMutablePointer<Float>? = nil) {
        let tiles = batch * tilesPerBoard
        let ws = workspace.reserve(workspaceSize(batch: batch))
        let grid = ws
        let v = transformed ?? grid + batch * gridY * gridX * cPad
        let m = grid + batch * gridY * gridX * cPad + 36 * tiles * cPad
        layOut(x, grid, batch: batch)
        transformInput(grid, v, batch: batch)
        filters.withUnsafeBufferPointer { u in
            BLAS.gemmBatch(count: 36, transB: true, m: tiles, n: fPad, k: cPad,
                           a: v, lda: cPad, strideA: tiles * cPad,
                           b: u.baseAddress!, ldb: cPad, strideB: fPad * cPad,
                           c: m, ldc: fPad, strideC: tiles * fPad)
        }
        transformOutput(m, y, batch: batch, bias: bias, residual: residual, relu: relu)
    }

    /// Copies `[C][B·H·W]` into the channel-inner bordered grid `[B][gridY][gridX][cPad]`,
    /// 8 channels per store; only the border and the padding channels are zeroed.
    func layOut(_ x: UnsafePointer<Float>, _ grid: UnsafeMutablePointer<Float>, batch: Int) {
        layOut(x, grid, batch: batch, channels: inChannels, padded: cPad)
    }

    /// The same for any channel count (`padded` a multiple of 8): the weight gradient lays out dy too.
    func layOut(_ x: UnsafePointer<Float>, _ grid: UnsafeMutablePointer<Float>, batch: Int, channels cin: Int, padded cp: Int) {
        let h = height, w = width, hw = h * w, n = batch * hw, gy = gridY, gx = gridX
        Parallel.forEach(batch, work: batch * hw * cin * 4) { b in
            let board = grid + b * gy * gx * cp
            // Border rows (top one, and every row past the board) and the border columns.
            board.update(repeating: 0, count: gx * cp)
            (board + (h + 1) * gx * cp).update(repeating: 0, count: (gy - h - 1) * gx * cp)
            for yy in 1...h {
                (board + yy * gx * cp).update(repeating: 0, count: cp)
                (board + (yy * gx + w + 1) * cp).update(repeating: 0, count: (gx - w - 1) * cp)
            }
            let src = x + b * hw
            for g in 0..<(cp / 8) {
                let c0 = g * 8, lanes = min(8, cin - c0)
                if lanes == 8 {
                    let r0 = src + c0 * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n, r4 = r3 + n, r5 = r4 + n, r6 = r5 + n, r7 = r6 + n
                    for yy in 0..<h {
                        let dst = board + ((yy + 1) * gx + 1) * cp + c0
                        let o = yy * w
                        for xx in 0..<w {
                            let p = o + xx
                            Self.store(Lane(r0[p], r1[p], r2[p], r3[p], r4[p], r5[p], r6[p], r7[p]), dst + xx * cp)
                        }
                    }
                } else {
                    for yy in 0..<h {
                        let dst = board + ((yy + 1) * gx + 1) * cp + c0
                        for xx in 0..<w {
                            var v = Lane(repeating: 0)
                            for l in 0..<lanes { v[l] = src[(c0 + l) * n + yy * w + xx] }
                            Self.store(v, dst + xx * cp)
                        }
                    }
                }
            }
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Lane {
        UnsafeRawPointer(p).loadUnaligned(as: Lane.self)
    }

    @inline(__always) static func store(_ v: Lane, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lane.self)
    }

    /// V[ξ][tile][c] = (Bᵀ·d·B)[ξ] for the 6x6 patch d of each tile, 8 channels at a time.
    func transformInput(_ grid: UnsafePointer<Float>, _ v: UnsafeMutablePointer<Float>, batch: Int) {
        let tiles = batch * tilesPerBoard, ty = tilesY, tx = tilesX, gy = gridY, gx = gridX, cp = cPad
        let groups = cp / 8
        let stride = tiles * cp
        Parallel.forEach(batch * ty, work: batch * tilesPerBoard * cp * 40) { task in
            let b = task / ty, i = task % ty
            withUnsafeTemporaryAllocation(of: Lane.self, capacity: 36) { tmp in
                let t = tmp.baseAddress!
                let board = grid + b * gy * gx * cp
                do {
                    for j in 0..<tx {
                        let tile = (b * ty + i) * tx + j
                        for g in 0..<groups {
                            let origin = board + ((4 * i) * gx + 4 * j) * cp + g * 8
                            // t = Bᵀ·d, column by column.
                            for s in 0..<6 {
                                let p = origin + s * cp
                                let d0 = Self.load(p), d1 = Self.load(p + gx * cp), d2 = Self.load(p + 2 * gx * cp)
                                let d3 = Self.load(p + 3 * gx * cp), d4 = Self.load(p + 4 * gx * cp), d5 = Self.load(p + 5 * gx * cp)
                                t[s] = 4 * d0 - 5 * d2 + d4
                                t[6 + s] = d3 + d4 - 4 * (d1 + d2)
                                t[12 + s] = 4 * (d1 - d2) + d4 - d3
                                t[18 + s] = 2 * (d3 - d1) + d4 - d2
                                t[24 + s] = 2 * (d1 - d3) + d4 - d2
                                t[30 + s] = 4 * d1 - 5 * d3 + d5
                            }
                            // V = t·B, row by row.
                            let out = v + tile * cp + g * 8
                            for r in 0..<6 {
                                let t0 = t[r * 6], t1 = t[r * 6 + 1], t2 = t[r * 6 + 2], t3 = t[r * 6 + 3], t4 = t[r * 6 + 4], t5 = t[r * 6 + 5]
                                let o = out + r * 6 * stride
                                Self.store(4 * t0 - 5 * t2 + t4, o)
                                Self.store(t3 + t4 - 4 * (t1 + t2), o + stride)
                                Self.store(4 * (t1 - t2) + t4 - t3, o + 2 * stride)
                                Self.store(2 * (t3 - t1) + t4 - t2, o + 3 * stride)
                                Self.store(2 * (t1 - t3) + t4 - t2, o + 4 * stride)
                                Self.store(4 * t1 - 5 * t3 + t5, o + 5 * stride)
                            }
                        }
                    }
                }
            }
        }
    }

    /// y = Aᵀ·m·A per tile (the 4x4 outputs that lie on the board), with bias, residual and ReLU.
    /// A row of tiles is staged channel-inner, then written out channel by channel in whole rows.
    func transformOutput(_ m: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                         bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, relu: Bool) {
        let h = height, w = width, hw = h * w, n = batch * hw
        let tiles = batch * tilesPerBoard, ty = tilesY, tx = tilesX, fp = fPad, f = outChannels
        let groups = fp / 8
        let stride = tiles * fp
        let rowWidth = 4 * tx
        Parallel.forEach(batch * ty, work: batch * tilesPerBoard * fp * 40) { task in
            let b = task / ty, i = task % ty
            withUnsafeTemporaryAllocation(of: Lane.self, capacity: 24 + 4 * rowWidth * groups) { tmp in
                let t = tmp.baseAddress!
                // stage[(r · rowWidth + x) · groups + g]: 8 channels of output row r, column x.
                let stage = t + 24
                for j in 0..<tx {
                    let tile = (b * ty + i) * tx + j
                    for g in 0..<groups {
                        let src = m + tile * fp + g * 8
                        // t = Aᵀ·m (4x6), column by column.
                        for s in 0..<6 {
                            let p = src + s * stride
                            let m0 = Self.load(p), m1 = Self.load(p + 6 * stride), m2 = Self.load(p + 12 * stride)
                            let m3 = Self.load(p + 18 * stride), m4 = Self.load(p + 24 * stride), m5 = Self.load(p + 30 * stride)
                            t[s] = m0 + m1 + m2 + m3 + m4
                            t[6 + s] = m1 - m2 + 2 * (m3 - m4)
                            t[12 + s] = m1 + m2 + 4 * (m3 + m4)
                            t[18 + s] = m1 - m2 + 8 * (m3 - m4) + m5
                        }
                        // Y = t·A: 4x4 outputs of 8 channels.
                        for r in 0..<4 {
                            let t0 = t[r * 6], t1 = t[r * 6 + 1], t2 = t[r * 6 + 2], t3 = t[r * 6 + 3], t4 = t[r * 6 + 4], t5 = t[r * 6 + 5]
                            let o = stage + (r * rowWidth + 4 * j) * groups + g
                            o[0] = t0 + t1 + t2 + t3 + t4
                            o[groups] = t1 - t2 + 2 * (t3 - t4)
                            o[2 * groups] = t1 + t2 + 4 * (t3 + t4)
                            o[3 * groups] = t1 - t2 + 8 * (t3 - t4) + t5
                        }
                    }
                }
                // Channel by channel, whole rows: bias, residual, ReLU.
                let staged = UnsafeRawPointer(stage).assumingMemoryBound(to: Float.self)
                let rows = min(4, h - 4 * i)
                for o in 0..<f {
                    let g = o / 8, l = o % 8
                    let bo = bias?[o] ?? 0
                    let lane = staged + g * 8 + l
                    for r in 0..<rows {
                        let yy = 4 * i + r
                        let out = y + o * n + b * hw + yy * w
                        let from = lane + r * rowWidth * groups * 8
                        if let residual {
                            let res = residual + o * n + b * hw + yy * w
                            if relu {
                                for xx in 0..<w { out[xx] = max(from[xx * groups * 8] + bo + res[xx], 0) }
                            } else {
                                for xx in 0..<w { out[xx] = from[xx * groups * 8] + bo + res[xx] }
                            }
                        } else if relu {
                            for xx in 0..<w { out[xx] = max(from[xx * groups * 8] + bo, 0) }
                        } else {
                            for xx in 0..<w { out[xx] = from[xx * groups * 8] + bo }
                        }
                    }
                }
            }
        }
    }
}
