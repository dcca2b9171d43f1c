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
    /// The current loop's claims: its generation (15 bits), its index count (24) and the next
    /// index to claim (24), in one word, so a helper that wakes late for a loop that has ended
    /// cannot claim an index of the next one.
    private let claims = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    // Written by the caller before the loop's claims are published (releasing), read by helpers
    // after a claim (acquiring); unchanged until every claimed index is finished.
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
    /// the pool is already running a loop or n does not fit the claims' 24 bits.
    func run(_ n: Int, _ body: (Int) -> Void) -> Bool {
        guard n < 1 << 24, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        withoutActuallyEscaping(body) { body in
            job = body
            finished.store(0, ordering: .relaxed)
            let loop = generation.load(ordering: .relaxed) + 1
            claims.store((loop & 0x7FFF) << 48 | n << 24, ordering: .releasing)
            generation.store(loop, ordering: .releasing)
            let asleep = sleepers.exchange(0, ordering: .acquiringAndReleasing)
            for _ in 0..<asleep { wake.signal() }
            work(loop)
            while finished.load(ordering: .acquiring) < n {}
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Takes indices of loop `loop` until none is left (or another loop has begun).
    private func work(_ loop: Int) {
        var word = claims.load(ordering: .acquiring)
        while word >> 48 == loop & 0x7FFF {
            let i = word & 0xFF_FFFF
            guard i < (word >> 24) & 0xFF_FFFF else { return }
            let (claimed, now) = claims.compareExchange(
                expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if claimed {
                call(i)
                finished.add(1, ordering: .releasing)
                word = claims.load(ordering: .acquiring)
            } else {
                word = now
            }
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
            work(seen)
        }
    }
}
