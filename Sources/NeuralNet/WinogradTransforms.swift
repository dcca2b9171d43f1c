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
        let rows = gridRows.clamped(to: 0..<gridY)
        gonet_winograd_lay_out_rows(
            x, grid, Int32(b), batch * height * width, Int32(rows.lowerBound), Int32(rows.upperBound), Int32(cin),
            Int32(cp), Int32(height), Int32(width), Int32(gridX))
    }

    /// V[ξ][k][c] = (Bᵀ·d·B)[ξ] for the 6x6 patch d of each tile k of `tiles` (indices within
    /// the board whose grid is given); row k - tiles.lowerBound of v, `stride` floats per ξ.
    func transformInput(_ grid: UnsafePointer<Float>, _ v: UnsafeMutablePointer<Float>, tiles: Range<Int>, stride: Int)
    {
        gonet_winograd_input(
            grid, v, Int32(tiles.lowerBound), Int32(tiles.upperBound), Int32(tilesX), Int32(gridX), Int32(cPad), stride)
    }

    /// y = Aᵀ·m·A for the tiles `tiles` of board b (m: `[36][tiles.count][fPad]`), the 4x4 outputs
    /// that lie on the board, with bias, residual and ReLU, written to the channel-major y. Each
    /// row of tiles is staged channel-inner in `stage` (16·tilesX·fPad floats), then transposed out.
    func transformOutput(
        _ m: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, board b: Int, batch: Int, tiles: Range<Int>,
        stage: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, relu: Bool
    ) {
        gonet_winograd_output_rows(
            m, y, Int32(b), batch * height * width, Int32(tiles.lowerBound), Int32(tiles.upperBound), Int32(tilesX),
            Int32(height), Int32(width), Int32(fPad), Int32(outChannels), stage, bias, residual, relu ? 1 : 0)
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
}
