import Dispatch
import Foundation
import Synchronization

/// Helper threads that wait for work by spinning, so that the many short parallel loops of one
/// inference (a layer of a 32-filter network at batch 1 takes tens of microseconds) start on
/// every core at once: a Dispatch `concurrentPerform` costs more than such a layer gains from a
/// second core (splitting the budget network's boards over 2 cores through Dispatch ran at 0.55x to 0.65x of one
/// core, AMD EPYC). A helper idle for `idleSpin` goes to sleep until the next loop, so an
/// idle process keeps no core busy. One loop at a time: a loop started while the pool is busy
/// (another thread's, or one nested in a loop's body) is refused and runs elsewhere.
final class SpinPool: @unchecked Sendable {
    /// How long an idle helper spins before it sleeps: longer than the tree work between two
    /// batches of a search (about 100 µs at leaf batch 8, perf of `bench search`), short enough
    /// that a paused search frees the core at once.
    static let idleSpin: UInt64 = 200_000

    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let next = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    // Written by the caller before `generation` is raised (releasing), read by helpers after they
    // see it raised (acquiring); unchanged until every index of the loop is finished.
    private var count = 0
    private var job: ((Int) -> Void)?

    /// A pool of `helpers` threads (the caller of `run` is one more worker).
    init(helpers: Int) {
        for _ in 0..<helpers {
            let thread = Thread { [unowned self] in self.serve() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(i)` for i in 0..<n on the caller and the helpers; false, with nothing run, when
    /// the pool is already running a loop.
    func run(_ n: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        withoutActuallyEscaping(body) { body in
            job = body
            count = n
            finished.store(0, ordering: .relaxed)
            next.store(0, ordering: .releasing)
            generation.add(1, ordering: .releasing)
            let asleep = sleepers.exchange(0, ordering: .acquiringAndReleasing)
            for _ in 0..<asleep { wake.signal() }
            work()
            while finished.load(ordering: .acquiring) < n {}
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Takes indices of the current loop until none is left.
    private func work() {
        while true {
            let i = next.add(1, ordering: .acquiringAndReleasing).oldValue
            guard i < count else { return }
            call(i)
            finished.add(1, ordering: .releasing)
        }
    }

    /// One index of the loop. Apart, so that the helper's reference to the body is released
    /// before the index counts as finished: the body must not outlive `run`.
    @inline(never)
    private func call(_ i: Int) { job?(i) }

    private func serve() {
        var seen = 0
        while true {
            var since = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins & 1023 == 0, DispatchTime.now().uptimeNanoseconds - since > Self.idleSpin {
                    // A wake-up that comes after the loop it was for is harmless: the helper
                    // finds no new generation and spins, then sleeps again.
                    sleepers.add(1, ordering: .acquiringAndReleasing)
                    if generation.load(ordering: .acquiring) == seen { wake.wait() }
                    since = DispatchTime.now().uptimeNanoseconds
                }
            }
            seen = generation.load(ordering: .acquiring)
            work()
        }
    }
}
