import GoNetwork
import NeuralNet
import XCTest

/// Inference on a batch larger than a network's `inferenceChunk` runs in pieces and gives the
/// outputs of one pass over the whole batch.
final class InferencePiecesTests: XCTestCase {
    let batch = 11

    var planes: [Float] {
        (0..<(batch * Features.planes * Features.points)).map { Float(($0 * 5 + $0 / 7) % 3 == 0 ? 1 : 0) }
    }

    func outputs(_ net: PolicyValueNetwork, channelMajor: Bool) -> [Float] {
        planes.withUnsafeBufferPointer { p in
            let (logits, values) = net.forward(planes: p.baseAddress!, batch: batch, channelMajor: channelMajor)
            return Array(UnsafeBufferPointer(start: logits, count: batch * Features.moves))
                + Array(UnsafeBufferPointer(start: values, count: batch))
        }
    }

    func assertSame(_ pieces: [Float], _ whole: [Float], _ what: String) {
        let scale = whole.map { abs($0) }.max()!
        XCTAssertGreaterThan(scale, 0, what)
        XCTAssertEqual(pieces.count, whole.count, what)
        for i in whole.indices where abs(pieces[i] - whole[i]) > 1e-5 * scale {
            XCTFail("\(what): output \(i) \(pieces[i]) vs \(whole[i])")
            return
        }
    }

    /// Both trunk paths (the grid and the layer by layer one), both input layouts.
    func testFamilyNetworks() {
        for excitation in [0, 4] {
            var family = Architecture.Family(trunk: .resnet, blocks: 2, filters: 16)
            family.squeezeExcitation = excitation
            let net = FamilyNetwork(family)
            net.initialize(seed: 5)
            for channelMajor in [false, true] {
                net.inferenceChunk = batch
                let whole = outputs(net, channelMajor: channelMajor)
                net.inferenceChunk = 4
                let what = "grid \(net.trunkOnGrid), channel-major \(channelMajor)"
                assertSame(outputs(net, channelMajor: channelMajor), whole, what)
            }
        }
    }

    func testGraphNetworks() throws {
        var spec = GraphSpec(
            nodes: [
                .init(.conv, [-1]), .init(.relu, [0]), .init(.conv, [1]), .init(.leakyRelu, [2]),
                .init(.mean, [3]), .init(.flatten, [3]), .init(.dense, [5]), .init(.dense, [4]),
                .init(.tanh, [7]),
            ], policy: 6, value: 8)
        spec.nodes[0].channels = 4
        spec.nodes[0].kernel = 3
        spec.nodes[2].channels = 4
        spec.nodes[2].kernel = 5
        spec.nodes[2].depthwise = true
        spec.nodes[3].a = 0.1
        spec.nodes[6].channels = 362
        spec.nodes[7].channels = 1
        let net = try GraphNetwork(spec)
        net.initialize(seed: 6)
        for channelMajor in [false, true] {
            net.inferenceChunk = batch
            let whole = outputs(net, channelMajor: channelMajor)
            net.inferenceChunk = 4
            assertSame(outputs(net, channelMajor: channelMajor), whole, "graph, channel-major \(channelMajor)")
        }
    }
}
