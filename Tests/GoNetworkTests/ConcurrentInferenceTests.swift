import Dispatch
import GoNetwork
import NeuralNet
import Synchronization
import XCTest

/// Networks evaluated from several threads at once, each forward pass spreading its layers over
/// the workers (as a tournament's games at once do): one pass has the spinning pool, the others
/// fall back, and every answer is the one a lone pass gives.
final class ConcurrentInferenceTests: XCTestCase {
    func testPassesOnSeveralThreadsGiveTheLoneAnswers() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 3
        let nets = (0..<3).map { i -> FamilyNetwork in
            let net = FamilyNetwork(Architecture.Family(trunk: .resnet, blocks: 2, filters: 24 + 8 * i))
            net.initialize(seed: UInt64(10 + i))
            return net
        }
        let batch = 3
        let planes = (0..<(batch * Features.planes * Features.points)).map { Float($0 % 5 == 0 ? 1 : 0) }
        @Sendable func answer(_ net: FamilyNetwork) -> [Float] {
            planes.withUnsafeBufferPointer { p in
                let (logits, values) = net.forward(planes: p.baseAddress!, batch: batch, channelMajor: false)
                return Array(UnsafeBufferPointer(start: logits, count: batch * Features.moves))
                    + Array(UnsafeBufferPointer(start: values, count: batch))
            }
        }
        let lone = nets.map(answer)
        let answers = Mutex<[[Float]]>(Array(repeating: [], count: nets.count))
        nonisolated(unsafe) let shared = nets
        for _ in 0..<20 {
            DispatchQueue.concurrentPerform(iterations: shared.count) { i in
                let a = answer(shared[i])
                answers.withLock { $0[i] = a }
            }
            answers.withLock { XCTAssertEqual($0, lone) }
        }
    }
}
