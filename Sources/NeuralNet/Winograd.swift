/// 3x3 convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray; Leela Zero's CPU
/// path): each 6x6 input tile and each filter are transformed, 36 matrix products of
/// `[tiles × in] · [in × out]` replace the convolution, and each 6x6 result becomes a 4x4 output
/// tile — 36 multiplications per output tile where the direct convolution needs 144.
///
/// The transforms run on 8 channels at once: the input is first laid out channel-inner on a
/// zero-bordered grid, and the products come out channel-inner too. Channel counts are padded to
/// multiples of 8 internally. A 19x19 board is 5x5 tiles (20x20 outputs, the last row and column dropped).
public final class Winograd {
    /// Eight floats, the vector width of the inner loops.
    public typealias Lane = SIMD8<Float>
    static let lanes = 8

    /// Input channels.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// Rows of the board.
    public let height: Int
    /// Columns of the board.
    public let width: Int
    let tilesY: Int
    let tilesX: Int
    /// Side of the zero-bordered grid a board is copied into (tiles start one point before the board).
    let gridY: Int
    let gridX: Int
    let cPad: Int
    let fPad: Int
    /// Transformed filters, `[36][in][out]`, padded: the product's B operand untransposed, which
    /// OpenBLAS packs at half the cost of the transposed one (1.5x faster products at batch 1).
    public private(set) var filters: [Float]

    /// A 3x3 convolution of `inChannels` → `outChannels` on a `height`x`width` board; `setFilters` before use.
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
    var tilesPerBoard: Int { tilesY * tilesX }

    /// Transforms `[out][in][3][3]` weights (G·g·Gᵀ). With `flipped`, the filters of the
    /// transposed convolution (`[in][out]`, rotated 180°) are used instead: backward's dx.
    public func setWeights(_ w: UnsafePointer<Float>, flipped: Bool = false) {
        let o = outChannels
        let i = inChannels
        let fp = fPad
        let plane = fPad * cPad
        filters.withUnsafeMutableBufferPointer { u in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 27) { tmp in
                let g = tmp.baseAddress!
                let t = g + 9
                for a in 0..<o {
                    for b in 0..<i {
                        // Output channel a of this convolution reads input channel b.
                        let src = flipped ? w + (b * o + a) * 9 : w + (a * i + b) * 9
                        for k in 0..<9 { g[k] = flipped ? src[8 - k] : src[k] }
                        // t = G·g (6x3), then each row of t times Gᵀ.
                        for c in 0..<3 {
                            let v0 = g[c]
                            let v1 = g[3 + c]
                            let v2 = g[6 + c]
                            t[c] = v0 / 4
                            t[3 + c] = -(v0 + v1 + v2) / 6
                            t[6 + c] = -(v0 - v1 + v2) / 6
                            t[9 + c] = v0 / 24 + v1 / 12 + v2 / 6
                            t[12 + c] = v0 / 24 - v1 / 12 + v2 / 6
                            t[15 + c] = v2
                        }
                        let at = b * fp + a
                        for r in 0..<6 {
                            let v0 = t[r * 3]
                            let v1 = t[r * 3 + 1]
                            let v2 = t[r * 3 + 2]
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

    /// Floats of one worker's slot: a board's bordered grid, the V and M of a board's tiles, and
    /// the staging rows of the output transform.
    var slotSize: Int { gridY * gridX * cPad + 36 * tilesPerBoard * (cPad + fPad) + 16 * tilesX * fPad }

    /// Floats of the transformed input V of a batch (what `forward` can keep for `weightGradient`).
    func transformedInputSize(batch: Int) -> Int { 36 * batch * tilesPerBoard * cPad }

    /// y = w ⊛ x (+ bias per channel, + residual), ReLU'd when asked; `[C][B·H·W]` layouts.
    /// With `transformed`, the transformed input is written there and kept for `weightGradient`.
    ///
    /// Each worker takes whole chunks — a board, or part of one when the batch is smaller than
    /// the workers — through layout, input transform, 36 products and output transform, so a
    /// chunk's data stays in the core's cache and one dispatch serves the whole layer.
    public func forward(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, workspace: Buffer,
        bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, relu: Bool = false,
        transformed: UnsafeMutablePointer<Float>? = nil
    ) {
        let tpb = tilesPerBoard
        let tiles = batch * tpb
        let cp = cPad
        let fp = fPad
        let gridSize = gridY * gridX * cp
        forEachChunk(batch: batch, slot: slotSize, workspace: workspace) { u, slot, b, t0, t1 in
            let grid = slot
            let vLocal = grid + gridSize
            let m = vLocal + 36 * tpb * cp
            let stage = m + 36 * tpb * fp
            let count = t1 - t0
            // V rows of this chunk: the kept batch-wide V, or the worker's own.
            let v = transformed.map { $0 + (b * tpb + t0) * cp } ?? vLocal
            let vStride = transformed == nil ? count * cp : tiles * cp
            layOutRows(
                x, grid, board: b, batch: batch, gridRows: 4 * (t0 / tilesX)..<4 * ((t1 - 1) / tilesX) + 6,
                channels: inChannels, padded: cp)
            transformInput(grid, v, tiles: t0..<t1, stride: vStride)
            WinogradProducts.run(v, vStride: vStride, u, m, rows: count, cp: cp, fp: fp)
            transformOutput(
                m, y, board: b, batch: batch, tiles: t0..<t1, stage: stage, bias: bias, residual: residual, relu: relu)
        }
    }

    /// Runs `body(filters, slot, board, first tile, end tile)` for every chunk of the batch — a
    /// board, or a range of its tiles when the batch is smaller than the workers — each worker
    /// on its chunks in its own `slot` floats of the workspace, one dispatch for the layer.
    private func forEachChunk(
        batch: Int, slot: Int, workspace: Buffer,
        _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int, Int) -> Void
    ) {
        let tpb = tilesPerBoard
        let (workers, parts) = schedule(batch: batch)
        let chunks = batch * parts
        let ws = workspace.reserve(workers * slot)
        filters.withUnsafeBufferPointer { u in
            let u = u.baseAddress!
            Parallel.forEach(workers) { worker in
                var chunk = worker
                while chunk < chunks {
                    let part = chunk % parts
                    body(u, ws + worker * slot, chunk / parts, part * tpb / parts, (part + 1) * tpb / parts)
                    chunk += workers
                }
            }
        }
    }

    /// Workers for a batch, and the parts each board is cut into (tile ranges) so that they have
    /// even work.
    func schedule(batch: Int) -> (workers: Int, parts: Int) {
        let work = batch * tilesPerBoard * 36 * cPad * fPad
        // One worker for a layer too small to repay starting the helpers (the stem's 6→32 at
        // batch 1); a 32→32 layer at batch 1 is split: with the spinning pool, the budget network
        // at batch 1 on 2 cores went from 2,460–2,730 to 3,160–3,750 positions/s (this bound was
        // 1 << 21 under Dispatch, where the split lost).
        let threads = work < 1 << 19 ? 1 : max(1, Parallel.threads)
        // Split boards only when whole boards would leave workers idle or unevenly loaded.
        let parts = min(tilesPerBoard, batch < 4 * threads && batch % threads != 0 ? threads : 1)
        return (min(threads, batch * parts), parts)
    }

    /// Floats of one board in the grid layout (`gridY × gridX` points of `channels` floats).
    public func gridBoardSize(channels: Int) -> Int { gridY * gridX * channels }

    /// y = f(w ⊛ x + bias (+ residual)), f the `activation`, on activations in the grid layout:
    /// `[B][gridY][gridX][C padded to 8]`, a board's point (r, c) at grid point (r + 1, c + 1), zero
    /// elsewhere (see `GridLayout`). x has `cPad` channels, y and the residual `fPad`; only y's board
    /// points are written, so its zero border stays. `bias` holds `fPad` floats, zero past the
    /// filters. Inference's trunk runs layer after layer in this layout: no lay-out into the grid,
    /// no transpose out of it.
    public func forwardGrid(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, workspace: Buffer,
        bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, activation: Activation
    ) {
        let tpb = tilesPerBoard
        let cp = cPad
        let fp = fPad
        let inBoard = gridBoardSize(channels: cp)
        let outBoard = gridBoardSize(channels: fp)
        forEachChunk(batch: batch, slot: 36 * tpb * (cp + fp), workspace: workspace) { u, v, b, t0, t1 in
            let m = v + 36 * tpb * cp
            let count = t1 - t0
            transformInput(x + b * inBoard, v, tiles: t0..<t1, stride: count * cp)
            WinogradProducts.run(v, vStride: count * cp, u, m, rows: count, cp: cp, fp: fp)
            transformOutputToGrid(
                m, y + b * outBoard, tiles: t0..<t1, bias: bias, residual: residual.map { $0 + b * outBoard },
                activation: activation)
        }
    }
}
