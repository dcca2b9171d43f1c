import Foundation
import GoNetwork
import GoRecords
import GoRules

/// What the loader reads and how.
public struct LoaderConfiguration: Sendable {
    /// `*.games.zst` archives.
    public var files: [String]
    public var batchSize: Int = 256
    /// Positions held for shuffling (368 bytes each).
    public var shuffleBuffer: Int = 200_000
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
    public var queueDepth: Int = 4
    /// Batches to pass over without encoding them: resuming a run where it stopped.
    public var skipBatches: Int = 0
    /// Use one position in this many (counted across games, so each game gives a different
    /// offset): a capped sample then spans many games instead of the first few.
    public var keepEvery: Int = 1

    public init(files: [String]) { self.files = files }
}

/// What the loader has seen.
public struct LoaderStatistics: Sendable {
    public var games = 0
    public var positions = 0
    /// Games left out as the other side of the validation split.
    public var otherSplit = 0
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
public final class DataLoader {
    public let configuration: LoaderConfiguration
    let queue = NSCondition()
    var ready: [TrainingBatch] = []
    var finished = false
    var stopping = false
    var thread: Thread?
    var stats = LoaderStatistics()
    /// Batches handed out so far.
    public private(set) var batchesDelivered = 0

    public init(_ configuration: LoaderConfiguration) throws {
        precondition(configuration.batchSize > 0)
        self.configuration = configuration
        for f in configuration.files where !FileManager.default.isReadableFile(atPath: f) {
            throw FileError(path: f, message: "cannot open: no such file or not readable")
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
        let width = SampleCoding.width
        let buffer = ShuffleBuffer(capacity: max(c.shuffleBuffer, 1), width: width)
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: width)
        let evicted = UnsafeMutablePointer<UInt8>.allocate(capacity: width)
        var pending = [UInt8](repeating: 0, count: c.batchSize * width)
        var symmetries = [Int](repeating: 0, count: c.batchSize)
        var filled = 0
        var toSkip = c.skipBatches
        defer {
            scratch.deallocate()
            evicted.deallocate()
        }

        func emit(_ sample: UnsafePointer<UInt8>) -> Bool {
            pending.withUnsafeMutableBufferPointer {
                ($0.baseAddress! + filled * width).update(from: sample, count: width)
            }
            symmetries[filled] = c.randomSymmetry ? rng.below(8) : 0
            filled += 1
            if filled == c.batchSize {
                filled = 0
                if toSkip > 0 {
                    toSkip -= 1
                    return !isStopping
                }
                return deliver(pending, symmetries, count: c.batchSize)
            }
            return true
        }

        var epoch = 0
        var seen = 0
        let keepEvery = max(c.keepEvery, 1)
        outer: while c.epochs.map({ epoch < $0 }) ?? true {
            var order = Array(c.files.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
            var sawGame = false
            for fi in order {
                let path = c.files[fi]
                let reader: GameArchiveReader
                do { reader = try GameArchiveReader(path: path) } catch {
                    note { $0.errors.append("\(error)") }
                    continue
                }
                while true {
                    let record: GameRecord?
                    do { record = try reader.nextRecord() } catch {
                        note { $0.errors.append("\(error) (the \(reader.count) games before it were used)") }
                        break
                    }
                    guard let r = record else {
                        note { $0.illegal += reader.rejected.count }
                        break
                    }
                    if isStopping { break outer }
                    guard r.size == 19, r.setup.isEmpty, r.edits.isEmpty else { continue }
                    if GameSplit.isValidation(r, fraction: c.validationFraction) != c.validation {
                        note { $0.otherSplit += 1 }
                        continue
                    }
                    sawGame = true
                    var positions = 0
                    var alive = true
                    let legal = SampleCoding.replay(r, scratch: scratch) { s in
                        seen += 1
                        guard seen % keepEvery == 0 else { return }
                        positions += 1
                        if buffer.insert(s, evicted: evicted, rng: &rng) { alive = alive && emit(evicted) }
                    }
                    note {
                        $0.games += 1
                        $0.positions += positions
                        if !legal { $0.illegal += 1 }
                    }
                    if !alive { break outer }
                }
            }
            // The end of an epoch: drain the buffer so every position appears exactly once.
            while buffer.remove(into: evicted, rng: &rng) {
                if !emit(evicted) { break outer }
            }
            epoch += 1
            if !sawGame { break }
        }
        if filled > 0 && !isStopping { _ = deliver(pending, symmetries, count: filled) }
        queue.lock()
        finished = true
        queue.broadcast()
        queue.unlock()
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
        let batch = Self.encode(samples, symmetries, count: count, threads: configuration.threads)
        queue.lock()
        defer { queue.unlock() }
        while ready.count >= configuration.queueDepth && !stopping { queue.wait() }
        if stopping { return false }
        ready.append(batch)
        queue.broadcast()
        return true
    }

    /// Planes `[6][B·361]` and targets of `count` coded samples, each under its symmetry.
    static func encode(_ samples: [UInt8], _ symmetries: [Int], count: Int, threads: Int) -> TrainingBatch {
        let width = SampleCoding.width
        var planes = [Float](repeating: 0, count: 6 * count * Features.points)
        var targets = [Int32](repeating: 0, count: count)
        var values = [Float](repeating: 0, count: count)
        var mask = [Float](repeating: 0, count: count)
        samples.withUnsafeBufferPointer { sp in
            planes.withUnsafeMutableBufferPointer { pp in
                let src = sp.baseAddress!
                let out = pp.baseAddress!
                let work = { (b: Int) in
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
                }
            }
        }
        return TrainingBatch(
            planes: planes, policyTargets: targets, valueTargets: values, valueMask: mask, channelMajor: true)
    }
}
