/// A reusable block of floats that grows when asked for more and never shrinks, so steps of the
/// same batch size allocate nothing.
public final class Buffer {
    /// The floats.
    public private(set) var pointer: UnsafeMutablePointer<Float>
    /// Floats allocated.
    public private(set) var capacity: Int

    /// A buffer of `count` floats.
    public init(_ count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` floats (contents are lost when it grows) and returns the storage.
    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        return pointer
    }

    /// Sets the first `count` floats to zero.
    public func zero(_ count: Int) {
        reserve(count).update(repeating: 0, count: count)
    }
}
