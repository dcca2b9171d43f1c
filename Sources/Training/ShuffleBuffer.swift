import GoRules

/// A fixed-capacity pool of samples, each `width` bytes: once full, every new sample pushes out a
/// uniformly chosen older one, so the output is shuffled over a window of `capacity` positions
/// while memory stays bounded, whatever the size of the data.
public final class ShuffleBuffer {
    /// Items it holds at most.
    public let capacity: Int
    /// Bytes of an item.
    public let width: Int
    var storage: UnsafeMutablePointer<UInt8>
    /// Items held now.
    public private(set) var count = 0

    /// A buffer of `capacity` items of `width` bytes.
    public init(capacity: Int, width: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.width = width
        storage = .allocate(capacity: capacity * width)
    }

    deinit { storage.deallocate() }

    /// Adds a sample; when full, the evicted one is copied to `evicted` and true is returned.
    @inline(__always)
    public func insert(_ sample: UnsafePointer<UInt8>, evicted: UnsafeMutablePointer<UInt8>, rng: inout RandomSource)
        -> Bool
    {
        if count < capacity {
            (storage + count * width).update(from: sample, count: width)
            count += 1
            return false
        }
        let slot = storage + rng.below(capacity) * width
        evicted.update(from: slot, count: width)
        slot.update(from: sample, count: width)
        return true
    }

    /// Takes out a uniformly chosen sample (to drain the buffer at the end of an epoch); false when empty.
    func remove(into out: UnsafeMutablePointer<UInt8>, rng: inout RandomSource) -> Bool {
        guard count > 0 else { return false }
        let slot = storage + rng.below(count) * width
        out.update(from: slot, count: width)
        count -= 1
        if slot != storage + count * width { slot.update(from: storage + count * width, count: width) }
        return true
    }

    /// Empties the buffer.
}
