import NeuralNet

/// Training through a resnet trunk on the grid layout: the same batch statistics and gradients
/// as the layer-by-layer path, without laying each layer's input out into Winograd's grid or
/// writing its output back (forward and backward).
extension GridTrunk {
    /// The plain residual blocks of a trunk that trains on the grid (every unit a 3x3 Winograd
    /// convolution with ReLU), or nil.
    static func trainingBlocks(stem: ConvBatchNorm, _ blocks: [TrunkBlock]) -> [ResidualBlock]? {
        guard stem.trainsOnGrid, let plain = Self.blocks(stem: stem, blocks) else { return nil }
        return plain.allSatisfy { $0.first.trainsOnGrid && $0.second.trainsOnGrid } ? plain : nil
    }

    /// Training forward pass on the planes `x` (element (board b, plane c, point p) at
    /// `b · boardStride + c · channelStride + p`) with batch statistics; keeps what `backward`
    /// needs and returns the trunk's output, `[F][B·361]`.
    func forwardTraining(
        _ x: UnsafePointer<Float>, boardStride: Int, channelStride: Int, batch: Int, stem: ConvBatchNorm,
        blocks: [ResidualBlock], columns: Buffer
    ) -> UnsafeMutablePointer<Float> {
        let inputs = GridLayout(channels: Features.planes)
        let input = trainingPlanes.reserve(batch * inputs.boardSize)
        inputs.fill(input, from: x, batch: batch, boardStride: boardStride, channelStride: channelStride)
        stem.forwardTrainingGrid(input, batch: batch, columns: columns)
        var t = UnsafePointer(stem.gridOutput.pointer)
        for block in blocks {
            block.first.forwardTrainingGrid(t, batch: batch, columns: columns)
            block.second.forwardTrainingGrid(
                block.first.gridOutput.pointer, batch: batch, residual: t, columns: columns)
            t = UnsafePointer(block.second.gridOutput.pointer)
        }
        let trunk = GridLayout(channels: stem.outChannels)
        let out = output.reserve(trunk.channels * batch * Features.points)
        trunk.extract(t, to: out, batch: batch)
        return out
    }

    /// Parameter gradients of the stem and blocks from dOut, the gradient at the trunk's output
    /// (`[F][B·361]`), after `forwardTraining` of the same batch.
    func backward(
        _ dOut: UnsafePointer<Float>, batch: Int, stem: ConvBatchNorm, blocks: [ResidualBlock], columns: Buffer
    ) {
        let trunk = GridLayout(channels: stem.outChannels)
        let size = batch * trunk.boardSize
        var dA = dTrunk[0].reserve(size)
        var dB = dTrunk[1].reserve(size)
        let points = Features.points
        trunk.fill(dA, from: dOut, batch: batch, boardStride: points, channelStride: batch * points)
        let dMid = dMiddle.reserve(size)
        let skip = dSkip.reserve(size)
        for i in blocks.indices.reversed() {
            let block = blocks[i]
            let x = i == 0 ? stem.gridOutput.pointer : blocks[i - 1].second.gridOutput.pointer
            block.second.backwardGrid(
                block.first.gridOutput.pointer, dA, dMid, batch: batch, dResidual: skip, dPre: dPre, columns: columns)
            // The skip connection's gradient is added as the first unit's dx is written.
            block.first.backwardGrid(x, dMid, dB, batch: batch, adding: skip, dPre: dPre, columns: columns)
            swap(&dA, &dB)
        }
        stem.backwardGrid(trainingPlanes.pointer, dA, nil, batch: batch, dPre: dPre, columns: columns)
    }
}
