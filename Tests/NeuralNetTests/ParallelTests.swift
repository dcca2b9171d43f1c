import NeuralNet
import Synchronization
import XCTest

/// The worker pool under `Parallel.forEach`: every index runs exactly once, loop after loop
/// (helpers that wake late must not run an index of the next loop), nested loops included.
final class ParallelTests: XCTestCase {
    final class Tally: Sendable {
        let runs = Atomic<Int>(0)
    }

    func testEveryIndexRunsOnceInManyShortLoops() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [2, 3] {
            Parallel.threads = threads
            let marks = UnsafeMutablePointer<Int>.allocate(capacity: 16)
            defer { marks.deallocate() }
            for loop in 1...20_000 {
                let n = 1 + loop % 9
                let tally = Tally()
                Parallel.forEach(n) { i in
                    marks[i] = loop
                    tally.runs.add(1, ordering: .relaxed)
                }
                let runs = tally.runs.load(ordering: .relaxed)
                guard runs == n, (0..<n).allSatisfy({ marks[$0] == loop }) else {
                    XCTFail("\(threads) threads, loop \(loop): \(runs) runs of \(n) indices")
                    return
                }
            }
        }
    }

    func testNestedLoopsRunEveryIndex() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 2
        let cells = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        defer { cells.deallocate() }
        cells.initialize(repeating: 0, count: 64)
        Parallel.forEach(8) { i in
            Parallel.forEach(8) { j in cells[i * 8 + j] += i * 8 + j + 1 }
        }
        XCTAssertEqual((0..<64).map { cells[$0] }, Array(1...64))
    }
}
