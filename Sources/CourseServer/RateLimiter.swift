import Foundation

/// A token bucket per key (an address for failed sign-ins, a student for uploads): `burst` at
/// once, then one more every `interval` seconds.
///
/// Sendable: every access to the buckets holds `lock`.
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
        guard hasToken(key, now: now) else { return false }
        spend(key)
        return true
    }

    /// Whether `key` has a token left, without taking it (sign-in: only failures are counted).
    func hasToken(_ key: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        lock.withLock { refilled(key, now).tokens >= 1 }
    }

    /// Takes a token from `key`'s bucket (which may go empty).
    func spend(_ key: String, now: Double = Date().timeIntervalSince1970) {
        lock.withLock {
            var b = refilled(key, now)
            b.tokens = max(0, b.tokens - 1)
            buckets[key] = b
            // Full buckets carry no information: drop them so that the table stays small.
            if buckets.count > 10_000 { buckets = buckets.filter { $0.value.tokens < burst } }
        }
    }

    /// `key`'s bucket refilled up to `now` (call with the lock held).
    private func refilled(_ key: String, _ now: Double) -> (tokens: Double, at: Double) {
        var b = buckets[key] ?? (burst, now)
        b.tokens = min(burst, b.tokens + (now - b.at) / interval)
        b.at = now
        buckets[key] = b
        return b
    }

    /// Seconds until `key` has a token again.
    func retryAfter(_ key: String) -> Int {
        lock.withLock { Int(((1 - (buckets[key]?.tokens ?? 1)) * interval).rounded(.up)) }
    }
}
