import Dispatch
import Synchronization

/// Element-wise work split across cores (OpenBLAS has its own threads inside `sgemm`).
public enum Parallel {
    private static let workers = Atomic<Int>(1)
    /// A spinning pool for each worker count used so far (commands set one; tests several).
    private static let pools = Mutex<[Int: SpinPool]>([:])

    /// The pool of `threads` workers, made at first use.
    private static func pool(_ threads: Int) -> SpinPool {
        pools.withLock { pools in
            if let pool = pools[threads] { return pool }
            let pool = SpinPool(helpers: threads - 1)
            pools[threads] = pool
            return pool
        }
    }

    /// Worker count for element-wise loops and split products; 1 runs them inline. One setting for
    /// the process, as OpenBLAS's thread count is: commands set it once from `--threads`.
    public static var threads: Int {
        get { workers.load(ordering: .relaxed) }
        set { workers.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Runs `body(i)` for i in 0..<n, spread over `threads` workers when `work` (rough float
    /// operations in all) makes it worth it; returns when every index has run. The bodies must
    /// write disjoint memory.
    @inline(__always)
    public static func forEach(_ n: Int, work: Int = .max, _ body: (Int) -> Void) {
        if threads <= 1 || n <= 1 || work < 1 << 19 {
            for i in 0..<n { body(i) }
        } else {
            // The closure's captures are raw pointers, not Sendable; sharing it is safe because the
            // workers run only during this call and each `i` writes its own part of the buffers.
            if pool(threads).run(n, body) { return }
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: n) { body($0) }
        }
    }
}
