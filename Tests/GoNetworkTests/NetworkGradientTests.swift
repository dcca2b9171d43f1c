import GoNetwork
import NeuralNet
import XCTest

/// The whole network's loss against finite differences, for every trunk and head.
final class NetworkGradientTests: XCTestCase {
    func batch(_ n: Int) -> TrainingBatch {
        var planes = [Float](repeating: 0, count: n * 6 * 361)
        var s: UInt64 = 12345
        for i in planes.indices {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Continuous inputs: binary planes tie many pre-activations exactly at ReLU kinks,
            // where finite differences stop measuring the derivative.
            planes[i] = Float(Double((s >> 33) % 20001) / 10000 - 1)
        }
        return TrainingBatch(
            planes: planes, policyTargets: (0..<n).map { Int32($0 * 97 % 362) },
            valueTargets: (0..<n).map { $0 % 2 == 0 ? 1 : -1 }, valueMask: (0..<n).map { $0 == 1 ? 0 : 1 },
            // The last position ends its game: no reply to learn there.
            replyTargets: (0..<n).map { $0 == n - 1 ? -1 : Int32(($0 * 131 + 7) % 362) },
            // The first game was not counted; the others by these margins.
            scoreTargets: (0..<n).map { Float($0 * 7) - 5.5 }, scoreMask: (0..<n).map { $0 == 0 ? 0 : 1 })
    }

    /// `reply`: with the opponent's-reply head attached and weighted; `soft`: soft policy targets
    /// (a teacher's distribution) instead of the move played; `steps`: the finite differences' steps,
    /// whose estimates are averaged.
    func check(
        _ a: Architecture.Family, reply: Bool = false, soft: Bool = false, score: Bool = false, steps: [Float] = [2e-5]
    ) {
        let net = FamilyNetwork(a)
        net.initialize(seed: 3)
        if reply { net.addReplyHead(seed: 5) }
        if score { net.addScoreHead(seed: 6) }
        // Batch norms away from identity so their gradients are exercised.
        for p in net.parameters where p.name.hasSuffix("bn.weight") || p.name.hasSuffix("bn1.weight") {
            p.value = p.value.enumerated().map { 0.5 + Float($0.offset % 5) * 0.2 }
        }
        var b = batch(3)
        if soft {
            b.policyDistribution = (0..<(3 * 362)).map { Float(($0 * 37) % 11) }
            for r in 0..<3 {
                let sum = b.policyDistribution[(r * 362)..<((r + 1) * 362)].reduce(0, +)
                for i in (r * 362)..<((r + 1) * 362) { b.policyDistribution[i] /= sum }
            }
        }
        let w = LossWeights(policy: 1, value: 0.7, l2: 1e-3, reply: reply ? 0.4 : 0, score: score ? 0.3 : 0)
        _ = net.lossAndGradients(b, weights: w)
        let trained = net.trainingParameters.filter(\.trainable)
        XCTAssertEqual(trained.contains { $0.name.hasPrefix("reply.") }, reply)
        XCTAssertEqual(trained.contains { $0.name.hasPrefix("score.") }, score)
        let analytic = trained.map(\.grad)
        // One directional derivative per tensor: every element moves by ±h together. The
        // summed signal stands far above float32 noise even with the small step a deep ReLU
        // network with batch norm needs (a single element's finite difference is dominated by
        // curvature at 1e-3 and by rounding at 1e-4).
        var sign: UInt64 = 99
        for (k, p) in trained.enumerated() {
            let direction: [Float] = (0..<p.count).map { _ in
                sign = sign &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return (sign >> 40) & 1 == 0 ? 1 : -1
            }
            let expected = zip(analytic[k], direction).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            let saved = p.value
            var numeric = 0.0
            for h in steps {
                p.value = zip(saved, direction).map { $0 + h * $1 }
                let up = net.lossAndGradients(b, weights: w).total
                p.value = zip(saved, direction).map { $0 - h * $1 }
                let down = net.lossAndGradients(b, weights: w).total
                numeric += (up - down) / Double(2 * h) / Double(steps.count)
            }
            p.value = saved
            XCTAssertLessThanOrEqual(
                abs(numeric - expected), 0.03 * max(abs(numeric), abs(expected)) + 0.02,
                "\(a.summary): \(p.name): analytic \(expected), finite difference \(numeric)")
        }
    }

    func testResnetFcHeads() {
        check(
            Architecture.Family(
                trunk: .resnet, blocks: 2, filters: 4, policyHead: .fc, policyFilters: 2, valueHead: .fc,
                valueFilters: 1, valueHidden: 8))
    }

    func testReplyHeadOnBothPolicyHeads() {
        check(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 4, policyHead: .fc, policyFilters: 2, valueHead: .pool,
                valueFilters: 1, valueHidden: 4), reply: true)
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 1, filters: 4, expansion: 6, policyHead: .conv, policyFilters: 3,
                valueHead: .pool, valueFilters: 2, valueHidden: 5), reply: true)
    }

    func testScoreHeadOnBothValueHeads() {
        check(
            Architecture.Family(
                trunk: .resnet, blocks: 2, filters: 4, policyHead: .fc, policyFilters: 2, valueHead: .fc,
                valueFilters: 1, valueHidden: 8), score: true)
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 1, filters: 4, expansion: 6, policyHead: .conv, policyFilters: 3,
                valueHead: .pool, valueFilters: 2, valueHidden: 5), reply: true, score: true)
    }

    func testSoftPolicyTargets() {
        check(
            Architecture.Family(
                trunk: .resnet, blocks: 2, filters: 4, policyHead: .fc, policyFilters: 2, valueHead: .fc,
                valueFilters: 1, valueHidden: 8), soft: true)
    }

    func testGlobalPoolingBlocksOfBothTrunks() {
        check(
            Architecture.Family(
                trunk: .resnet, blocks: 2, filters: 4, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                valueFilters: 2, valueHidden: 4, globalPoolEvery: 1))
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 2, filters: 4, expansion: 6, policyHead: .fc, policyFilters: 1,
                valueHead: .fc, valueFilters: 1, valueHidden: 4, globalPoolEvery: 2))
    }

    func testSqueezeExcitationBlocksOfBothTrunks() {
        check(
            Architecture.Family(
                trunk: .resnet, blocks: 2, filters: 4, policyHead: .fc, policyFilters: 2, valueHead: .fc,
                valueFilters: 1, valueHidden: 8, squeezeExcitation: 3))
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 2, filters: 4, expansion: 6, policyHead: .conv, policyFilters: 3,
                valueHead: .pool, valueFilters: 2, valueHidden: 5, globalPoolEvery: 2, squeezeExcitation: 2))
    }

    /// Swish and hard swish in both trunks, with the gate (whose sum the block activates itself)
    /// and the pooling bias. The steps: measured on these networks for h from 1e-5 to 1e-3, a single
    /// step's estimate strays by up to 7% from the analytic gradient below 5e-5 (float32 rounding of
    /// the loss, which smooth activations leave less often at exact zeros than ReLU) and above 1e-4
    /// (the kinks of the heads' ReLU and of hard swish at ±3); three steps between them, averaged,
    /// stay within the test's tolerance.
    func testSmoothActivationsOfBothTrunks() {
        let h: [Float] = [3e-5, 5e-5, 8e-5]
        for f in [Architecture.Family.TrunkActivation.swish, .hardSwish] {
            check(
                Architecture.Family(
                    trunk: .resnet, blocks: 2, filters: 4, policyHead: .fc, policyFilters: 2, valueHead: .fc,
                    valueFilters: 1, valueHidden: 6, activation: f), steps: h)
            check(
                Architecture.Family(
                    trunk: .resnet, blocks: 2, filters: 4, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                    valueFilters: 2, valueHidden: 4, squeezeExcitation: 2, activation: f), steps: h)
            check(
                Architecture.Family(
                    trunk: .mobile, blocks: 2, filters: 4, expansion: 6, policyHead: .conv, policyFilters: 3,
                    valueHead: .pool, valueFilters: 2, valueHidden: 5, globalPoolEvery: 2, squeezeExcitation: 2,
                    activation: f), steps: h)
            check(
                Architecture.Family(
                    trunk: .mobile, blocks: 2, filters: 4, expansion: 6, policyHead: .fc, policyFilters: 1,
                    valueHead: .fc, valueFilters: 1, valueHidden: 4, activation: f), steps: h)
        }
    }

    /// 5x5 depthwise filters in mobile blocks (their taps reach two points past the board's edge).
    func testFiveByFiveDepthwiseFilters() {
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 2, filters: 4, expansion: 6, policyHead: .conv, policyFilters: 2,
                valueHead: .pool, valueFilters: 2, valueHidden: 4, depthwiseKernel: .five))
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 1, filters: 3, expansion: 5, policyHead: .fc, policyFilters: 1,
                valueHead: .fc, valueFilters: 1, valueHidden: 3, squeezeExcitation: 2, activation: .swish,
                depthwiseKernel: .five), steps: [3e-5, 5e-5, 8e-5])
    }

    /// Mixed depthwise filters (3x3 on the first channels, 5x5 on the rest; an odd width puts the
    /// odd channel in the 3x3 group), with a pooling bias and a gate around them. The second
    /// network's steps stay at 3e-5 and below: a head ReLU's kink lies within 1e-4 of its weights
    /// along the 3x3 group's direction (the finite difference drifts from −0.25 at 3e-5 to −0.29 at
    /// 1e-4, against an analytic −0.249).
    func testMixedDepthwiseFilters() {
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 2, filters: 4, expansion: 7, policyHead: .conv, policyFilters: 2,
                valueHead: .pool, valueFilters: 2, valueHidden: 4, depthwiseKernel: .mixed))
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 1, filters: 3, expansion: 6, policyHead: .fc, policyFilters: 1,
                valueHead: .fc, valueFilters: 1, valueHidden: 3, globalPoolEvery: 1, squeezeExcitation: 2,
                activation: .swish, depthwiseKernel: .mixed), steps: [1e-5, 2e-5, 3e-5])
    }

    func testMobileConvPolicyPoolValue() {
        check(
            Architecture.Family(
                trunk: .mobile, blocks: 2, filters: 4, expansion: 6, policyHead: .conv, policyFilters: 3,
                valueHead: .pool, valueFilters: 2, valueHidden: 5))
    }
}
