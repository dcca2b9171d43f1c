import Synchronization

/// Values that callbacks on other threads hand to a test, in the order they arrived.
public final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    /// Nothing collected yet.
    public init() {}

    /// Adds `v` (from any thread).
    public func append(_ v: Value) { values.withLock { $0.append(v) } }

    /// What arrived so far.
    public var all: [Value] { values.withLock { $0 } }
}
