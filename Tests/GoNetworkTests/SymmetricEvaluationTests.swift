import GoNetwork
import GoRules
import XCTest

final class SymmetricEvaluationTests: XCTestCase {
    func testTheAverageIsTheMeanOfTheEightOrientedEvaluations() throws {
        let net = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                valueFilters: 2, valueHidden: 4))
        net.initialize(seed: 5)
        var g = Game(size: 19, komi: 7.5)
        for (x, y) in [(3, 3), (15, 16), (16, 3), (2, 14), (9, 9)] { try g.play(.play(Point(x: x, y: y))) }
        let positions = [EncodedPosition(g), EncodedPosition(Game(size: 19))]
        let (policy, value) = net.evaluateSymmetric(positions)
        var mean = [Float](repeating: 0, count: policy.count)
        var meanValue: [Float] = [0, 0]
        for k in 0..<8 {
            let (p, v) = net.evaluate(positions, symmetry: k)
            for i in p.indices { mean[i] += p[i] / 8 }
            for i in v.indices { meanValue[i] += v[i] / 8 }
        }
        for i in policy.indices {
            XCTAssertEqual(policy[i], mean[i], accuracy: 1e-6, "move \(i % 362) of position \(i / 362)")
        }
        XCTAssertEqual(value[0], meanValue[0], accuracy: 1e-6)
        XCTAssertEqual(value[1], meanValue[1], accuracy: 1e-6)
        XCTAssertEqual(policy[0..<362].reduce(0, +), 1, accuracy: 1e-4)
        // The empty board's averaged policy is symmetric: D4 and Q16 get the same probability.
        XCTAssertEqual(
            policy[362 + Point(x: 3, y: 15).index()], policy[362 + Point(x: 15, y: 3).index()], accuracy: 1e-6)
    }
}
