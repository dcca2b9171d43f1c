/// Sums of long rows: float lanes for speed (they vectorise), combined in double every block so
/// rows of a whole batch (B·361 values) keep their precision.
enum Sums {
    static let block = 512

    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var total: Double = 0
        var i = 0
        while i < n {
            let end = min(i + block, n)
            var s: Float = 0
            for j in i..<end { s += x[j] }
            total += Double(s)
            i = end
        }
        return total
    }

    /// Σ (x − mean)².
    @inline(__always)
    static func squaredDeviation(_ x: UnsafePointer<Float>, _ n: Int, mean: Float) -> Double {
        var total: Double = 0
        var i = 0
        while i < n {
            let end = min(i + block, n)
            var s: Float = 0
            for j in i..<end { let d = x[j] - mean; s += d * d }
            total += Double(s)
            i = end
        }
        return total
    }

    /// Σ x·y.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Double {
        var total: Double = 0
        var i = 0
        while i < n {
            let end = min(i + block, n)
            var s: Float = 0
            for j in i..<end { s += x[j] * y[j] }
            total += Double(s)
            i = end
        }
        return total
    }
}
