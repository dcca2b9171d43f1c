/// A small, fast, seedable generator (xoshiro256**), so runs can be repeated exactly.
public struct RandomSource: RandomNumberGenerator, Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence follows from `seed`.
    public init(seed: UInt64) {
        var x = seed
        s = (Zobrist.splitMix(&x), Zobrist.splitMix(&x), Zobrist.splitMix(&x), Zobrist.splitMix(&x))
    }

    @inlinable static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

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

    /// The generator's whole state, to save and restore a run exactly.
    public var state: [UInt64] {
        get { [s.0, s.1, s.2, s.3] }
        set { s = (newValue[0], newValue[1], newValue[2], newValue[3]) }
    }
}
