import CKernels
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

/// The nonlinearity after a unit of a trunk: ReLU, or one of the smooth ones of the mobile
/// networks' literature (swish, `x·sigmoid(x)`, also called SiLU; hard swish,
/// `x·min(max(x + 3, 0), 6)/6`, its cheaper piecewise form).
public enum Activation: String, CaseIterable, Sendable {
    case identity, relu, swish
    case hardSwish = "hard-swish"

    /// Whether the gradient needs the input rather than the output (all but ReLU and identity):
    /// such a unit keeps its pre-activation for backward.
    public var needsInput: Bool { self == .swish || self == .hardSwish }

    /// The kernels' code for it (CKernels' GONET_ACTIVATION_*).
    var kernel: Int32 {
        switch self {
        case .identity: return 0
        case .relu: return 1
        case .swish: return 2
        case .hardSwish: return 3
        }
    }

    /// y = f(z) in place over `count` floats, spread over the cores for large counts.
    public func apply(_ z: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: return
        case .relu: Activations.relu(z, z, count: count)
        case .swish, .hardSwish:
            let kind = kernel
            Self.chunks(count) { range in
                gonet_activation(z + range.lowerBound, z + range.lowerBound, range.count, kind)
            }
        }
    }

    /// y = f(x) over `count` floats on the calling thread (for loops already spread over the cores).
    public func apply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: if y != UnsafeMutablePointer(mutating: x) { y.update(from: x, count: count) }
        case .relu: Activations.relu(x, y, count: count)
        case .swish, .hardSwish: gonet_activation(x, y, count, kernel)
        }
    }

    /// dz = dy · f′(z) from the pre-activation `z` (ReLU and identity read `y`, the output, which
    /// says as much); dy and dz may be the same.
    public func backward(
        input z: UnsafePointer<Float>?, output y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
        _ dz: UnsafeMutablePointer<Float>, count: Int
    ) {
        switch self {
        case .identity: if dz != UnsafeMutablePointer(mutating: dy) { dz.update(from: dy, count: count) }
        case .relu: Activations.reluBackward(y, dy, dz, count: count)
        case .swish, .hardSwish:
            let kind = kernel
            let z = z!
            Self.chunks(count) { range in
                let at = range.lowerBound
                gonet_activation_gradient(z + at, dy + at, dz + at, range.count, kind)
            }
        }
    }

    /// `body` over 0..<count in chunks, spread over the cores when the count is large: an
    /// exponential costs about 20 simple operations.
    private static func chunks(_ count: Int, _ body: (Range<Int>) -> Void) {
        let grain = 1 << 14
        Parallel.forEach((count + grain - 1) / grain, work: count * 20) { chunk in
            body(chunk * grain..<min(count, (chunk + 1) * grain))
        }
    }
}
