import NeuralNet
import XCTest

final class OptimizerTests: XCTestCase {
    func parameter(_ v: Float, grad: Float, decays: Bool = true) -> Parameter {
        let p = Parameter("w", shape: [1], value: [v], decays: decays)
        p.grad = [grad]
        return p
    }

    func testSGDMomentumFollowsPyTorch() {
        let p = parameter(1, grad: 0.5)
        let sgd = SGD(momentum: 0.9)
        sgd.step([p], lr: 0.1)  // v = 0.5, w = 1 - 0.05
        XCTAssertEqual(p.value[0], 0.95, accuracy: 1e-7)
        p.grad = [0.2]
        sgd.step([p], lr: 0.1)  // v = 0.45 + 0.2 = 0.65, w = 0.95 - 0.065
        XCTAssertEqual(p.value[0], 0.885, accuracy: 1e-6)
        XCTAssertEqual(sgd.state["w"]!, [0.65])
    }

    func testNesterovAndWeightDecay() {
        let p = parameter(1, grad: 0.5)
        let sgd = SGD(momentum: 0.9, nesterov: true, weightDecay: 0.1)
        sgd.step([p], lr: 0.1)  // g = 0.6, v = 0.6, w = 1 - 0.1·(0.6 + 0.54)
        XCTAssertEqual(p.value[0], 1 - 0.114, accuracy: 1e-6)
        let bias = parameter(1, grad: 0.5, decays: false)
        SGD(momentum: 0, weightDecay: 0.1).step([bias], lr: 0.1)
        XCTAssertEqual(bias.value[0], 0.95, accuracy: 1e-7, "no decay on biases")
    }

    func testAdamAndAdamW() {
        let p = parameter(1, grad: 0.5)
        let adam = Adam()
        adam.step([p], lr: 0.01)  // bias-corrected first step moves by lr·sign(g)
        XCTAssertEqual(p.value[0], 0.99, accuracy: 1e-6)
        p.grad = [0.5]
        adam.step([p], lr: 0.01)
        XCTAssertEqual(p.value[0], 0.98, accuracy: 1e-6)

        let q = parameter(2, grad: 0)
        Adam(weightDecay: 0.5, decoupled: true).step([q], lr: 0.1)  // w −= lr·wd·w, no gradient step
        XCTAssertEqual(q.value[0], 1.9, accuracy: 1e-6)
        let r = parameter(2, grad: 0)
        Adam(weightDecay: 0.5).step([r], lr: 0.1)  // coupled: g = 1, a full step of lr
        XCTAssertEqual(r.value[0], 1.9, accuracy: 1e-5)
    }

    func testRunningStatisticsAreNotTrained() {
        let stat = Parameter("bn.running_mean", shape: [1], value: [3], trainable: false)
        SGD().step([stat], lr: 1)
        XCTAssertEqual(stat.value, [3])
    }

    func testSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant(0.1).rate(at: 1000), 0.1)
        let step = LearningRateSchedule.step(base: 0.1, gamma: 0.5, every: 100)
        XCTAssertEqual(step.rate(at: 99), 0.1, accuracy: 1e-9)
        XCTAssertEqual(step.rate(at: 100), 0.05, accuracy: 1e-9)
        XCTAssertEqual(step.rate(at: 250), 0.025, accuracy: 1e-9)
        let cos = LearningRateSchedule.cosine(base: 0.1, minimum: 0, warmup: 10, total: 110)
        XCTAssertEqual(cos.rate(at: 0), 0.01, accuracy: 1e-7)
        XCTAssertEqual(cos.rate(at: 9), 0.1, accuracy: 1e-7)
        XCTAssertEqual(cos.rate(at: 10), 0.1, accuracy: 1e-7)
        XCTAssertEqual(cos.rate(at: 60), 0.05, accuracy: 1e-6)
        XCTAssertEqual(cos.rate(at: 110), 0, accuracy: 1e-7)
        XCTAssertEqual(cos.rate(at: 500), 0, accuracy: 1e-7)
        // A run as long as a time budget: the warm-up in steps, then the decay by the time's share.
        let clock = LearningRateSchedule.cosine(base: 0.2, minimum: 0.02, warmup: 10, total: 0)
        XCTAssertEqual(clock.rate(at: 4, fraction: 0.9), 0.1, accuracy: 1e-7)
        XCTAssertEqual(clock.rate(at: 1000, fraction: 0), 0.2, accuracy: 1e-7)
        XCTAssertEqual(clock.rate(at: 1000, fraction: 0.5), 0.11, accuracy: 1e-6)
        XCTAssertEqual(clock.rate(at: 10, fraction: 1), 0.02, accuracy: 1e-7)
        XCTAssertEqual(clock.rate(at: 10, fraction: 3), 0.02, accuracy: 1e-7)
        XCTAssertEqual(step.rate(at: 250, fraction: 0.1), 0.025, accuracy: 1e-9)
    }
}
