/// 16-float vectors for element-wise loops the compiler leaves scalar (reductions, selects,
/// pointers that may alias).
enum Lanes {
    typealias V = SIMD16<Float>
    static let width = 16

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// The largest multiple of the width not above n: the vector loop's end.
    @inline(__always)
    static func bulk(_ n: Int) -> Int { n & ~(width - 1) }
}
