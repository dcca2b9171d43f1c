import Foundation

/// A token bucket per key (an address for sign-in, a student for uploads): `burst` at once, then
/// one more every `interval` seconds.
final class RateLimiter: @unchecked Sendable {
    private let burst: Double
    private let interval: Double
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, at: Double)] = [:]

    init(burst: Int, every interval: Double) {
        self.burst = Double(burst)
        self.interval = interval
    }

    /// Takes one token for `key`; false when its bucket is empty (the caller answers 429).
    func allow(_ key: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        lock.withLock {
            var b = buckets[key] ?? (burst, now)
            b.tokens = min(burst, b.tokens + (now - b.at) / interval)
            b.at = now
            let ok = b.tokens >= 1
            if ok { b.tokens -= 1 }
            buckets[key] = b
            // Full buckets carry no information: drop them so that the table stays small.
            if buckets.count > 10_000 { buckets = buckets.filter { $0.value.tokens < burst } }
            return ok
        }
    }

    /// Seconds until `key` has a token again.
    func retryAfter(_ key: String) -> Int {
        lock.withLock { Int(((1 - (buckets[key]?.tokens ?? 1)) * interval).rounded(.up)) }
    }
}
