import NeuralNet

/// A resnet trunk run with its activations in the grid layout (`GridLayout`), in inference and in
/// training: the planes are laid out once, every 3x3 convolution reads and writes the grid
/// directly, and only the trunk's output is turned back into the channel-major layout the heads
/// read (and, in backward, the heads' gradient laid into the grid). Trunks with a pooling bias or
/// a gate take the layer-by-layer path, and in training so do smooth activations and batches
/// whose activations outgrow `FamilyNetwork.gridTrainingFloats`.
final class GridTrunk {
    /// The input planes, then three grids the blocks rotate through (input, middle, output).
    private let planes = Buffer()
    private let grids = [Buffer(), Buffer(), Buffer()]
    /// The trunk's output, channel-major `[F][B·361]`.
    let output = Buffer()
    /// Training's input planes, kept for the stem's backward, and the gradients backward moves
    /// between units. Each is only ever written at board points, so its border stays zero.
    let trainingPlanes = Buffer()
    let dTrunk = [Buffer(), Buffer()]
    let dMiddle = Buffer()
    let dSkip = Buffer()
    let dPre = Buffer()

    /// The plain residual blocks of a trunk that runs on the grid, or nil.
    static func blocks(stem: ConvBatchNorm, _ blocks: [TrunkBlock]) -> [ResidualBlock]? {
        guard stem.runsOnGrid else { return nil }
        let plain = blocks.compactMap { $0 as? ResidualBlock }.filter {
            $0.pool == nil && $0.excitation == nil && $0.first.runsOnGrid && $0.second.runsOnGrid
        }
        return plain.count == blocks.count ? plain : nil
    }

    /// Runs the stem and the blocks on the planes `x`, whose element (board b, plane c, point p)
    /// is at `b · boardStride + c · channelStride + p`; returns the trunk's output, `[F][B·361]`.
    func forward(
        _ x: UnsafePointer<Float>, boardStride: Int, channelStride: Int, batch: Int, stem: ConvBatchNorm,
        blocks: [ResidualBlock], columns: Buffer
    ) -> UnsafeMutablePointer<Float> {
        let inputs = GridLayout(channels: Features.planes)
        let trunk = GridLayout(channels: stem.outChannels)
        let input = planes.reserve(batch * inputs.boardSize)
        inputs.fill(input, from: x, batch: batch, boardStride: boardStride, channelStride: channelStride)
        let g = grids.map { $0.reserve(batch * trunk.boardSize) }
        stem.forwardInferenceGrid(input, into: g[0], batch: batch, columns: columns)
        var current = 0
        for block in blocks {
            let middle = (current + 1) % 3
            let next = (current + 2) % 3
            block.first.forwardInferenceGrid(g[current], into: g[middle], batch: batch, columns: columns)
            block.second.forwardInferenceGrid(
                g[middle], into: g[next], batch: batch, residual: g[current], columns: columns)
            current = next
        }
        let out = output.reserve(trunk.channels * batch * Features.points)
        trunk.extract(g[current], to: out, batch: batch)
        return out
    }
}
