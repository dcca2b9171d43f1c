/// Sums of long rows: 16 float lanes at a time (the compiler will not reorder a scalar float sum
/// into vector lanes by itself), combined in double every block so rows of a whole batch (B·361
/// values) keep their precision.
enum Sums {
    static let block = 512

    /// Σ x.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var total: Double = 0
        var i = 0
        while i < n {
            let end = min(i + block, n)
            var acc = SIMD16<Float>()
            var j = i
            while j + 16 <= end {
                acc += Lanes.load(x + j)
                j += 16
            }
            var s = acc.sum()
            while j < end {
                s += x[j]
                j += 1
            }
            total += Double(s)
            i = end
        }
        return total
    }

    /// Σ (x − mean)².
    @inline(__always)
    static func squaredDeviation(_ x: UnsafePointer<Float>, _ n: Int, mean: Float) -> Double {
        var total: Double = 0
        let m = SIMD16<Float>(repeating: mean)
        var i = 0
        while i < n {
            let end = min(i + block, n)
            var acc = SIMD16<Float>()
            var j = i
            while j + 16 <= end {
                let d = Lanes.load(x + j) - m
                acc += d * d
                j += 16
            }
            var s = acc.sum()
            while j < end {
                let d = x[j] - mean
                s += d * d
                j += 1
            }
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
            var acc = SIMD16<Float>()
            var j = i
            while j + 16 <= end {
                acc += Lanes.load(x + j) * Lanes.load(y + j)
                j += 16
            }
            var s = acc.sum()
            while j < end {
                s += x[j] * y[j]
                j += 1
            }
            total += Double(s)
            i = end
        }
        return total
    }
}
