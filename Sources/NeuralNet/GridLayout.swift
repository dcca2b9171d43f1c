/// The layout a resnet trunk keeps its activations in between Winograd convolutions (inference's,
/// and training's while the tensors are small): each board a zero-bordered grid of points,
/// channels inner and padded to a multiple of 8, `[B][gridY][gridX][padded]`, with board point (r, c) at grid point (r + 1, c + 1). It is the
/// layout the Winograd transforms read and write, so a trunk of 3x3 convolutions runs without
/// laying each layer's input out or transposing its output back (together 22% of the budget
/// network's inference at batch 64, measured with perf on an AMD EPYC).
public struct GridLayout: Sendable {
    /// Rows of the board.
    public let height: Int
    /// Columns of the board.
    public let width: Int
    /// Channels.
    public let channels: Int
    /// Channels padded to a multiple of 8, the floats of a grid point.
    public let padded: Int
    /// Rows of the grid: the board, one border row before it, and the rest of the last 4x4 tile
    /// plus one after it.
    public var gridY: Int { 4 * ((height + 3) / 4) + 2 }
    /// Columns of the grid, as its rows.
    public var gridX: Int { 4 * ((width + 3) / 4) + 2 }
    /// Floats of one board.
    public var boardSize: Int { gridY * gridX * padded }

    /// The grid of `channels` channels on a `height`x`width` board.
    public init(channels: Int, height: Int = 19, width: Int = 19) {
        self.height = height
        self.width = width
        self.channels = channels
        padded = (channels + 7) / 8 * 8
    }

    /// Fills the board points of `grid` (which has zero borders) from `x`, whose element (board b,
    /// channel c, point p) is at `b · boardStride + c · channelStride + p`: NCHW planes have
    /// `boardStride` C·H·W and `channelStride` H·W; channel-major `[C][B·H·W]` activations H·W and B·H·W.
    public func fill(
        _ grid: UnsafeMutablePointer<Float>, from x: UnsafePointer<Float>, batch: Int, boardStride: Int,
        channelStride: Int
    ) {
        let gx = gridX
        for b in 0..<batch {
            let board = grid + b * boardSize
            let src = x + b * boardStride
            for r in 0..<height {
                for c in 0..<width {
                    let point = board + ((r + 1) * gx + c + 1) * padded
                    let p = r * width + c
                    for ch in 0..<channels { point[ch] = src[ch * channelStride + p] }
                    for ch in channels..<padded { point[ch] = 0 }
                }
            }
        }
    }

    /// Writes the board points of `grid` to channel-major `[C][B·H·W]` activations y.
    public func extract(_ grid: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, batch: Int) {
        let hw = height * width
        let n = batch * hw
        let gx = gridX
        for b in 0..<batch {
            let board = grid + b * boardSize
            for r in 0..<height {
                let line = board + ((r + 1) * gx + 1) * padded
                let out = y + b * hw + r * width
                for ch in 0..<channels {
                    let row = out + ch * n
                    for c in 0..<width { row[c] = line[c * padded + ch] }
                }
            }
        }
    }
}
