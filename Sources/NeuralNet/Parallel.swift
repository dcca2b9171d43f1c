import Dispatch

/// Element-wise work split across cores (OpenBLAS has its own threads inside `sgemm`).
public enum Parallel {
    /// Worker count for element-wise loops; 1 runs them inline.
    nonisolated(unsafe) public static var threads = 1

    /// Runs `body(i)` for i in 0..<n, spread over `threads` workers when `work` (rough float
    /// operations in all) makes it worth it.
    @inline(__always)
    static func forEach(_ n: Int, work: Int = .max, _ body: (Int) -> Void) {
        if threads <= 1 || n <= 1 || work < 1 << 19 {
            for i in 0..<n { body(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: n, execute: body)
        }
    }
}
