import Foundation

/// Element-wise activations over contiguous floats.
public enum Activations {
    /// y = max(x, 0) (x and y may be the same).
    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = max(x[i], 0) }
    }

    /// dx = dy where y > 0, else 0 (dy and dx may be the same).
    public static func reluBackward(
        _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count { dx[i] = y[i] > 0 ? dy[i] : 0 }
    }

    /// y = tanh(x).
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = Foundation.tanh(x[i]) }
    }

    /// dx = dy · (1 − y²), y = tanh(x).
    public static func tanhBackward(
        _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
    }

    /// Softmax of each row of `[rows][columns]` (numerically stable).
    public static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let a = x + r * columns
            let b = y + r * columns
            var m = -Float.infinity
            for i in 0..<columns { m = max(m, a[i]) }
            var s: Float = 0
            for i in 0..<columns {
                let e = expf(a[i] - m)
                b[i] = e
                s += e
            }
            let inv = 1 / s
            for i in 0..<columns { b[i] *= inv }
        }
    }
}
