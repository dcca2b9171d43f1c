import GoNetwork
import NeuralNet
import XCTest

/// Inference's trunk on the grid layout against the layer-by-layer im2col path, on the same weights.
final class GridTrunkTests: XCTestCase {
    /// A resnet whose batch norms have non-trivial statistics (so folding matters), with `filters`
    /// channels (12 pads to 16 in the grid).
    func network(
        filters: Int, excitation: Int = 0, activation: Architecture.Family.TrunkActivation = .relu
    ) -> FamilyNetwork {
        var family = Architecture.Family(trunk: .resnet, blocks: 2, filters: filters)
        family.squeezeExcitation = excitation
        family.activation = activation
        let net = FamilyNetwork(family)
        net.initialize(seed: 5)
        for p in net.parameters where p.name.contains("running") || p.name.contains("bn") {
            var s: UInt64 = UInt64(p.name.count) &* 0x9E37_79B9
            p.value = p.value.map { v in
                s = s &* 6_364_136_223_846_793_005 &+ 1
                let u = Float(s >> 40) / Float(1 << 24)
                return p.name.hasSuffix("running_var") ? 0.5 + u : v + (u - 0.5) * 0.4
            }
        }
        return net
    }

    func outputs(_ net: FamilyNetwork, planes: [Float], batch: Int, winograd: Bool, channelMajor: Bool) -> [Float] {
        net.useWinograd = winograd
        return planes.withUnsafeBufferPointer { p in
            let (logits, values) = net.forward(planes: p.baseAddress!, batch: batch, channelMajor: channelMajor)
            return Array(UnsafeBufferPointer(start: logits, count: batch * Features.moves))
                + Array(UnsafeBufferPointer(start: values, count: batch))
        }
    }

    func testGridTrunkMatchesTheLayerByLayerPath() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [1, 2] {
            Parallel.threads = threads
            for (filters, activation) in [(12, .relu), (32, .relu), (12, .swish), (32, .hardSwish)]
                as [(Int, Architecture.Family.TrunkActivation)]
            {
                let net = network(filters: filters, activation: activation)
                XCTAssertTrue(net.trunkOnGrid)
                for batch in [1, 3] {
                    let planes = (0..<(batch * Features.planes * Features.points)).map {
                        Float(($0 * 7 + $0 / 5) % 3 == 0 ? 1 : 0)
                    }
                    for channelMajor in [false, true] {
                        let reference = outputs(
                            net, planes: planes, batch: batch, winograd: false, channelMajor: channelMajor)
                        let grid = outputs(
                            net, planes: planes, batch: batch, winograd: true, channelMajor: channelMajor)
                        let scale = reference.map { abs($0) }.max()!
                        for i in reference.indices where abs(grid[i] - reference[i]) > 1e-4 * scale {
                            XCTFail(
                                "\(filters) filters, \(activation), batch \(batch), \(threads) threads, channel-major \(channelMajor): output \(i) \(grid[i]) vs \(reference[i])"
                            )
                            break
                        }
                    }
                }
            }
        }
    }

    /// A gated trunk runs layer by layer, and the two Winograd paths still agree through it.
    func testGatedTrunkTakesTheLayerPath() {
        let net = network(filters: 16, excitation: 4)
        XCTAssertFalse(net.trunkOnGrid)
        let planes = (0..<(2 * Features.planes * Features.points)).map { Float($0 % 4 == 0 ? 1 : 0) }
        let reference = outputs(net, planes: planes, batch: 2, winograd: false, channelMajor: false)
        let fast = outputs(net, planes: planes, batch: 2, winograd: true, channelMajor: false)
        let scale = reference.map { abs($0) }.max()!
        for i in reference.indices { XCTAssertEqual(fast[i], reference[i], accuracy: 1e-4 * scale) }
    }
}
