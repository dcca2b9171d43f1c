import GoNetwork
import NeuralNet
import XCTest

/// Training with the trunk on the grid layout against the layer-by-layer path, on the same
/// weights and batch: outputs, losses, every gradient and the batch norms' running statistics.
///
/// The two paths round differently, and where a pre-activation lies within rounding of zero its
/// ReLU passes the gradient on one path and not on the other: with random batch norms, at batch
/// 1 with 16 filters, one such point moved a batch norm's bias gradient by 5%. So the networks
/// here keep every pre-activation far from zero (see `network`).
final class GridTrainingTests: XCTestCase {
    func network(filters: Int, blocks: Int = 2, activation: Architecture.Family.TrunkActivation = .relu)
        -> FamilyNetwork
    {
        var family = Architecture.Family(trunk: .resnet, blocks: blocks, filters: filters)
        family.activation = activation
        let net = FamilyNetwork(family)
        net.initialize(seed: 11)
        // Every batch norm's channels far from ReLU's kink: even channels always pass (β ≥ 2,
        // γ ≤ 0.3), odd ones never do, so both branches of the mask run and no pre-activation
        // lies within rounding of zero.
        for p in net.parameters where p.name.contains("bn") {
            if p.name.hasSuffix(".weight") {
                p.value = p.value.indices.map { 0.1 + 0.2 * Float($0 % 5) / 4 }
            } else if p.name.hasSuffix(".bias") {
                p.value = p.value.indices.map { ($0 % 2 == 0 ? 1 : -1) * (2 + Float($0 % 3) / 2) }
            }
        }
        net.weightsChanged()
        return net
    }

    /// A batch of `size` positions, each with its own density of stones (so that the boards'
    /// means differ and the batch statistics are more than the average of the boards'), and a
    /// few distinct targets.
    func batch(_ size: Int, channelMajor: Bool) -> TrainingBatch {
        let (planes, points) = (Features.planes, Features.points)
        var x = [Float](repeating: 0, count: size * planes * points)
        for b in 0..<size {
            for c in 0..<planes {
                for p in 0..<points where ((b * planes + c) * points + p) &* 2_654_435_761 >> 7 % (2 + 3 * b) == 0 {
                    x[channelMajor ? (c * size + b) * points + p : (b * planes + c) * points + p] = 1
                }
            }
        }
        return TrainingBatch(
            planes: x, policyTargets: (0..<size).map { Int32($0 * 97 % 362) },
            valueTargets: (0..<size).map { $0 % 2 == 0 ? 1 : -1 }, valueMask: [Float](repeating: 1, count: size),
            channelMajor: channelMajor)
    }

    struct Step {
        var logits: [Float]
        var values: [Float]
        var loss: Double
        var gradients: [String: [Float]]
        var statistics: [String: [Float]]
    }

    func step(_ net: FamilyNetwork, _ b: TrainingBatch) -> Step {
        let loss = net.lossAndGradients(b, weights: LossWeights(value: 0.5))
        let (logits, values) = net.lastOutputs
        var gradients: [String: [Float]] = [:]
        var statistics: [String: [Float]] = [:]
        for p in net.parameters {
            if p.trainable { gradients[p.name] = p.grad } else { statistics[p.name] = p.value }
        }
        return Step(
            logits: Array(UnsafeBufferPointer(start: logits, count: b.count * Features.moves)),
            values: Array(UnsafeBufferPointer(start: values, count: b.count)), loss: loss.total,
            gradients: gradients, statistics: statistics)
    }

    /// Within `tolerance` of b's largest magnitude, or of `floor` when that is larger (a
    /// gradient that is all near zero is a sum that cancels, known only to its terms' rounding).
    func assertClose(_ a: [Float], _ b: [Float], _ what: String, floor: Float = 1e-3, tolerance: Float = 2e-4) {
        XCTAssertEqual(a.count, b.count, what)
        let scale = max(b.map { abs($0) }.max() ?? 0, floor)
        for i in a.indices where abs(a[i] - b[i]) > tolerance * scale {
            XCTFail("\(what)[\(i)]: \(a[i]) on the grid, \(b[i]) layer by layer")
            return
        }
    }

    func compare(_ grid: Step, _ layers: Step, _ context: String) {
        assertClose(grid.logits, layers.logits, "\(context) logits")
        assertClose(grid.values, layers.values, "\(context) values")
        XCTAssertEqual(grid.loss, layers.loss, accuracy: 1e-4 * abs(layers.loss), context)
        XCTAssertEqual(Set(grid.gradients.keys), Set(layers.gradients.keys))
        let largest = layers.gradients.values.joined().map { abs($0) }.max()!
        for (name, g) in layers.gradients {
            assertClose(grid.gradients[name]!, g, "\(context) grad.\(name)", floor: 1e-2 * largest)
        }
        for (name, s) in layers.statistics { assertClose(grid.statistics[name]!, s, "\(context) \(name)") }
    }

    func testTrainingOnTheGridMatchesTheLayerByLayerPath() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [1, 2] {
            Parallel.threads = threads
            // 12 and 17 filters pad to 16 and 24 in the grid; 136 takes two passes of 128 channels.
            for filters in [12, 17, 32, 136] {
                for size in filters > 64 ? [2] : [1, 3, 5] {
                    for channelMajor in [false, true] {
                        let context =
                            "\(filters) filters, batch \(size), \(threads) threads, channel-major \(channelMajor)"
                        let b = batch(size, channelMajor: channelMajor)
                        let layers = network(filters: filters)
                        layers.trainOnGrid = false
                        XCTAssertFalse(layers.trainsTrunkOnGrid(batch: size))
                        let grid = network(filters: filters)
                        XCTAssertTrue(grid.trainsTrunkOnGrid(batch: size), context)
                        compare(step(grid, b), step(layers, b), context)
                    }
                }
            }
        }
    }

    /// One network switching between the paths from step to step (their buffers must not mix),
    /// over steps of different batch sizes.
    func testOneNetworkSwitchingPaths() {
        let grid = network(filters: 12, blocks: 3)
        let layers = network(filters: 12, blocks: 3)
        layers.trainOnGrid = false
        for (i, size) in [4, 2, 4, 1].enumerated() {
            let b = batch(size, channelMajor: i % 2 == 0)
            grid.trainOnGrid = i % 2 == 1
            compare(step(grid, b), step(layers, b), "step \(i), batch \(size)")
        }
    }

    /// Batches whose activations outgrow `gridTrainingFloats` train layer by layer.
    func testLargeBatchesTrainLayerByLayer() {
        let net = network(filters: 32)
        XCTAssertTrue(net.trainsTrunkOnGrid(batch: 64))
        XCTAssertFalse(net.trainsTrunkOnGrid(batch: 68))
        XCTAssertTrue(network(filters: 64).trainsTrunkOnGrid(batch: 33))
        XCTAssertFalse(network(filters: 64).trainsTrunkOnGrid(batch: 34))
    }

    /// Smooth activations train layer by layer: the grid's kernels fuse only ReLU into batch norm.
    func testSmoothActivationsTrainLayerByLayer() {
        XCTAssertTrue(network(filters: 8, activation: .swish).trunkOnGrid)
        XCTAssertFalse(network(filters: 8, activation: .swish).trainsTrunkOnGrid(batch: 4))
        XCTAssertFalse(network(filters: 8, activation: .hardSwish).trainsTrunkOnGrid(batch: 4))
    }
}
