import Foundation

/// A small, fast, seedable generator (xoshiro256**), so runs can be repeated exactly.
public struct RandomSource: RandomNumberGenerator, Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence follows from `seed`.
    public init(seed: UInt64) {
        var x = seed
        s = (Zobrist.splitMix(&x), Zobrist.splitMix(&x), Zobrist.splitMix(&x), Zobrist.splitMix(&x))
    }

    @inlinable static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = RandomSource.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = RandomSource.rotl(s.3, 45)
        return result
    }

    /// A uniform integer in `0..<n` (Lemire's multiply-shift; the tiny bias is irrelevant here).
    public mutating func below(_ n: Int) -> Int {
        Int((UInt128(next()) &* UInt128(n)) >> 64)
    }

    /// A uniform double in [0, 1): the top 53 bits of one draw.
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A standard normal sample (Box-Muller, two draws; the first kept away from 0 for the log).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A Gamma(α, 1) sample: Marsaglia and Tsang's method, boosted by U^(1/α) for α < 1 (the
    /// Dirichlet noise of AlphaGo Zero uses α = 0.03).
    public mutating func gamma(_ alpha: Double) -> Double {
        if alpha < 1 { return gamma(alpha + 1) * pow(max(uniform(), 1e-300), 1 / alpha) }
        let d = alpha - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0
            var v = 0.0
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            if log(max(uniform(), 1e-300)) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// The generator's whole state, to save and restore a run exactly.
    public var state: [UInt64] {
        get { [s.0, s.1, s.2, s.3] }
        set { s = (newValue[0], newValue[1], newValue[2], newValue[3]) }
    }
}
