import Foundation
import GoNetwork
import GoRecords
import GoRules

/// What the loader reads and how.
public struct LoaderConfiguration: Sendable {
    /// `*.games.zst` archives.
    public var files: [String]
    /// Samples a batch.
    public var batchSize: Int = 256
    /// Positions held for shuffling (464 bytes each).
    public var shuffleBuffer: Int = 200_000
    /// Seed of the shuffle and the symmetries.
    public var seed: UInt64 = 1
    /// Fraction of games (by stable hash) held out for validation.
    public var validationFraction: Double = 0
    /// Read the validation games instead of the training games.
    public var validation: Bool = false
    /// A random one of the 8 symmetries per sample (docs/FORMATS.md).
    public var randomSymmetry: Bool = true
    /// Passes over the data; nil repeats forever (step-based training).
    public var epochs: Int? = 1
    /// Workers that encode planes (the reading thread is one more).
    public var threads: Int = 1
    /// Batches prepared ahead of the trainer.
    var queueDepth: Int = 4
    /// Batches to pass over without encoding them: resuming a run where it stopped.
    var skipBatches: Int = 0
    /// Use one position in this many (counted across games, so each game gives a different
    /// offset): a capped sample then spans many games instead of the first few.
    public var keepEvery: Int = 1
    /// Judge the end of each counted game for the ownership head's targets (about 10 ms a game).
    public var ownership = false

    /// A loader of `files` with the defaults.
    public init(files: [String]) { self.files = files }
}

/// What the loader has seen.
public struct LoaderStatistics: Sendable {
    /// Games read.
    public var games = 0
    /// Positions handed out (or skipped by `keepEvery`).
    public var positions = 0
    /// Games left out as the other side of the validation split.
    var otherSplit = 0
    /// Games the board refused part-way (positions before the bad move are used), and records the
    /// archive reader left out as unusable.
    public var illegal = 0
    /// Stream failures: the file, the offset and what went wrong (games before it were used).
    public var errors: [String] = []
}

/// Streams archives into shuffled batches on background threads: read → replay → features
/// (from the board's own liberty counts) → shuffle buffer → batches in the `[6][B·361]` layout
/// with a random symmetry per sample. Deterministic for a seed: one thread decides the order
/// and the symmetries; encoding workers only fill planes.
public final class DataLoader: @unchecked Sendable {  // What the reader thread shares is guarded by `queue`.
    /// What it reads and how.
    public let configuration: LoaderConfiguration
    let queue = NSCondition()
    var ready: [TrainingBatch] = []
    var finished = false
    var stopping = false
    var thread: Thread?
    var stats = LoaderStatistics()
    /// Batches handed out so far.
    private(set) var batchesDelivered = 0

    /// Starts reading in the background; a file that cannot be opened throws a `TrainingError`.
    public init(_ configuration: LoaderConfiguration) throws {
        precondition(configuration.batchSize > 0)
        self.configuration = configuration
        for f in configuration.files where !FileManager.default.isReadableFile(atPath: f) {
            throw TrainingError(.file, "\(f): cannot open: no such file or not readable")
        }
        let t = Thread { [weak self] in self?.produce() }
        t.name = "gonet data loader"
        thread = t
        t.start()
    }

    deinit { stop() }

    /// Stops the background thread.
    public func stop() {
        queue.lock()
        stopping = true
        queue.broadcast()
        queue.unlock()
    }

    /// Counts so far (read on the loader's thread; a snapshot).
    public var statistics: LoaderStatistics {
        queue.lock()
        defer { queue.unlock() }
        return stats
    }

    /// The next batch, waiting for it; nil once every epoch is done (the last batch of an epoch run may be smaller).
    public func next() -> TrainingBatch? {
        queue.lock()
        defer { queue.unlock() }
        while ready.isEmpty && !finished { queue.wait() }
        guard !ready.isEmpty else { return nil }
        let b = ready.removeFirst()
        batchesDelivered += 1
        queue.broadcast()
        return b
    }

    // MARK: The loader thread

    func produce() {
        let c = configuration
        var rng = RandomSource(seed: c.seed)
        let buffer = ShuffleBuffer(capacity: max(c.shuffleBuffer, 1), width: SampleCoding.width)
        let evicted = UnsafeMutablePointer<UInt8>.allocate(capacity: SampleCoding.width)
        defer { evicted.deallocate() }
        var batches = BatchAssembler(size: c.batchSize, skip: c.skipBatches)
        var reader = SampleReader(keepEvery: max(c.keepEvery, 1))
        defer { reader.release() }
        /// Adds one sample to the batch being filled, delivering it when full; false when stopping.
        func emit(_ sample: UnsafePointer<UInt8>) -> Bool {
            guard batches.add(sample, symmetry: c.randomSymmetry ? rng.below(8) : 0) else { return true }
            if batches.skipping() { return !isStopping }
            return deliver(batches.pending, batches.symmetries, count: c.batchSize)
        }
        var epoch = 0
        outer: while c.epochs.map({ epoch < $0 }) ?? true {
            var order = Array(c.files.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
            var sawGame = false
            for fi in order {
                let ok = read(c.files[fi], with: &reader, sawGame: &sawGame) { s in
                    !buffer.insert(s, evicted: evicted, rng: &rng) || emit(evicted)
                }
                if !ok { break outer }
            }
            // The end of an epoch: drain the buffer so every position appears exactly once.
            while buffer.remove(into: evicted, rng: &rng) {
                if !emit(evicted) { break outer }
            }
            epoch += 1
            if !sawGame { break }
        }
        if batches.filled > 0 && !isStopping { _ = deliver(batches.pending, batches.symmetries, count: batches.filled) }
        queue.lock()
        finished = true
        queue.broadcast()
        queue.unlock()
    }

    /// Replays the games of one archive of this split into `sample` (one position in
    /// `keepEvery`); false when the loader is stopping. Unreadable files and bad records are
    /// counted in the statistics, not fatal.
    private func read(
        _ path: String, with r: inout SampleReader, sawGame: inout Bool, sample: (UnsafePointer<UInt8>) -> Bool
    ) -> Bool {
        let c = configuration
        let archive: GameArchiveReader
        do { archive = try GameArchiveReader(path: path) } catch {
            note { $0.errors.append("\(error)") }
            return true
        }
        while true {
            let record: GameRecord?
            do { record = try archive.nextRecord() } catch {
                note { $0.errors.append("\(error) (the \(archive.count) games before it were used)") }
                return true
            }
            guard let g = record else {
                note { $0.illegal += archive.rejected.count }
                return true
            }
            if isStopping { return false }
            guard g.size == 19, g.setup.isEmpty, g.edits.isEmpty else { continue }
            if GameSplit.isValidation(g, fraction: c.validationFraction) != c.validation {
                note { $0.otherSplit += 1 }
                continue
            }
            sawGame = true
            var positions = 0
            var alive = true
            let legal = SampleCoding.replay(g, scratch: r.scratch, ownership: c.ownership) { s in
                r.seen += 1
                guard r.seen % r.keepEvery == 0 else { return }
                positions += 1
                alive = alive && sample(s)
            }
            note {
                $0.games += 1
                $0.positions += positions
                if !legal { $0.illegal += 1 }
            }
            if !alive { return false }
        }
    }

    var isStopping: Bool {
        queue.lock()
        defer { queue.unlock() }
        return stopping
    }

    func note(_ change: (inout LoaderStatistics) -> Void) {
        queue.lock()
        change(&stats)
        queue.unlock()
    }

    /// Encodes a batch and queues it, waiting while the queue is full; false when stopping.
    func deliver(_ samples: [UInt8], _ symmetries: [Int], count: Int) -> Bool {
        let batch = Self.encode(
            samples, symmetries, count: count, threads: configuration.threads, ownership: configuration.ownership)
        queue.lock()
        defer { queue.unlock() }
        while ready.count >= configuration.queueDepth && !stopping { queue.wait() }
        if stopping { return false }
        ready.append(batch)
        queue.broadcast()
        return true
    }

    /// Planes `[6][B·361]` and targets of `count` coded samples, each under its symmetry; the
    /// final owners too when `ownership`.
    static func encode(
        _ samples: [UInt8], _ symmetries: [Int], count: Int, threads: Int, ownership: Bool = false
    ) -> TrainingBatch {
        let width = SampleCoding.width
        var planes = [Float](repeating: 0, count: 6 * count * Features.points)
        var targets = [Int32](repeating: 0, count: count)
        var values = [Float](repeating: 0, count: count)
        var mask = [Float](repeating: 0, count: count)
        var replies = [Int32](repeating: -1, count: count)
        var scores = [Float](repeating: 0, count: count)
        var scoreMask = [Float](repeating: 0, count: count)
        var owners = [Float](repeating: 0, count: ownership ? count * Features.points : 0)
        var ownersMask = [Float](repeating: 0, count: ownership ? count : 0)
        samples.withUnsafeBufferPointer { sp in
            planes.withUnsafeMutableBufferPointer { pp in
                let src = sp.baseAddress!
                let out = pp.baseAddress!
                // Raw pointers are not Sendable; the threads run only during this call, each on its own samples.
                nonisolated(unsafe) let work = { (b: Int) in
                    let s = src + b * width
                    Features.encode(
                        codes: s, toMove: SampleCoding.toMove(s), theirLastMove: SampleCoding.theirLast(s),
                        symmetry: symmetries[b], into: out + b * Features.points, planeStride: count * Features.points)
                }
                if threads > 1 && count >= 16 {
                    DispatchQueue.concurrentPerform(iterations: threads) { w in
                        var b = w
                        while b < count {
                            work(b)
                            b += threads
                        }
                    }
                } else {
                    for b in 0..<count { work(b) }
                }
                for b in 0..<count {
                    let s = src + b * width
                    targets[b] = Int32(Symmetry.apply(symmetries[b], SampleCoding.target(s)))
                    values[b] = SampleCoding.value(s)
                    mask[b] = SampleCoding.mask(s)
                    let reply = SampleCoding.reply(s)
                    if reply >= 0 { replies[b] = Int32(Symmetry.apply(symmetries[b], reply)) }
                    if let score = SampleCoding.score(s) {
                        scores[b] = score
                        scoreMask[b] = 1
                    }
                    if ownership {
                        owners.withUnsafeMutableBufferPointer { o in
                            let row = o.baseAddress! + b * Features.points
                            if SampleCoding.ownership(s, symmetry: symmetries[b], into: row) { ownersMask[b] = 1 }
                        }
                    }
                }
            }
        }
        var batch = TrainingBatch(
            planes: planes, policyTargets: targets, valueTargets: values, valueMask: mask, replyTargets: replies,
            scoreTargets: scores, scoreMask: scoreMask, channelMajor: true)
        batch.ownershipTargets = owners
        batch.ownershipMask = ownersMask
        return batch
    }
}

/// The batch being filled, sample by sample, and how many whole batches are still to be passed
/// over (a resumed run skips what it already trained on).
private struct BatchAssembler {
    let size: Int
    var pending: [UInt8]
    var symmetries: [Int]
    var filled = 0
    var toSkip: Int

    init(size: Int, skip: Int) {
        self.size = size
        pending = [UInt8](repeating: 0, count: size * SampleCoding.width)
        symmetries = [Int](repeating: 0, count: size)
        toSkip = skip
    }

    /// Adds a sample; true when the batch is full (and the next sample starts a new one).
    mutating func add(_ sample: UnsafePointer<UInt8>, symmetry: Int) -> Bool {
        let width = SampleCoding.width
        let at = filled
        pending.withUnsafeMutableBufferPointer { ($0.baseAddress! + at * width).update(from: sample, count: width) }
        symmetries[filled] = symmetry
        filled += 1
        guard filled == size else { return false }
        filled = 0
        return true
    }

    /// For a full batch: true (and one fewer to skip) when it is one to pass over.
    mutating func skipping() -> Bool {
        guard toSkip > 0 else { return false }
        toSkip -= 1
        return true
    }
}

/// What replaying games keeps between records: the scratch board codes and the count of
/// positions seen, which picks one in `keepEvery` across games.
private struct SampleReader {
    let keepEvery: Int
    var seen = 0
    let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: SampleCoding.width)

    init(keepEvery: Int) { self.keepEvery = keepEvery }

    func release() { scratch.deallocate() }
}
