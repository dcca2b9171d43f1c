import CBLAS
import CKernels
import Dispatch
import Synchronization

/// Winograd's 36 products of one chunk of tiles, `M[xi] = V[xi] · U[xi]`, by the fastest kernel
/// for the shape: OpenBLAS, or a register-blocked AVX2 or AVX-512 kernel that reads both operands
/// in place (Sources/CKernels). Which one is measured the first time a shape runs and kept for the
/// process, as oneDNN and cuDNN choose a convolution's algorithm: the AVX2 kernel won every shape
/// of 8 to 128 channels on an AMD EPYC (2.0x on 32 channels, 1.15x on 128), while on a
/// 5th-generation Xeon OpenBLAS's AVX-512 kernels beat it on 32 channels, hence the AVX-512 one.
public enum WinogradProducts {
    /// A way to compute the products.
    public enum Kernel: String, CaseIterable, Sendable {
        /// One `sgemm` a product.
        case blas
        /// gonet's 6x16 AVX2/FMA register block (x86-64 CPUs with AVX2 and FMA).
        case blocked
        /// gonet's 12x32 AVX-512 register block (x86-64 CPUs with AVX-512 F and VL).
        case blocked512

        /// Whether this CPU runs the kernel.
        public var available: Bool {
            switch self {
            case .blas: true
            case .blocked: WinogradProducts.blockedAvailable
            case .blocked512: WinogradProducts.blocked512Available
            }
        }
    }

    /// Whether this CPU can run `.blocked`.
    public static let blockedAvailable = gonet_kernels_available()
    /// Whether this CPU can run `.blocked512`.
    public static let blocked512Available = gonet_kernels512_available()

    /// When set, every shape uses this kernel (benchmarks and tests compare them); a kernel the CPU
    /// cannot run is ignored (OpenBLAS's runs instead).
    public static var forced: Kernel? {
        get { forcedKernel.withLock { $0 } }
        set { forcedKernel.withLock { $0 = newValue } }
    }

    /// The kernel each shape uses, measured so far.
    public static var plans: [Shape: Kernel] { measured.withLock { $0 } }

    /// A product shape: rows of tiles, input and output channels (padded to 8).
    public struct Shape: Hashable, Sendable {
        /// Tiles of the chunk (at most a board's).
        public let rows: Int
        /// Input channels, padded to 8.
        public let inChannels: Int
        /// Output channels, padded to 8.
        public let outChannels: Int
    }

    private static let forcedKernel = Mutex<Kernel?>(nil)
    private static let measured = Mutex<[Shape: Kernel]>([:])

    /// `M[xi] = V[xi] · U[xi]` for xi in 0..<36, with `V[xi] = v + xi·vStride` (`rows × cp`),
    /// `U[xi] = u + xi·cp·fp` (`cp × fp`) and `M[xi] = m + xi·rows·fp` (`rows × fp`).
    static func run(
        _ v: UnsafePointer<Float>, vStride: Int, _ u: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
        rows: Int, cp: Int, fp: Int
    ) {
        let kernel = kernel(for: Shape(rows: rows, inChannels: cp, outChannels: fp)) {
            fastest(v, vStride: vStride, u, m, rows: rows, cp: cp, fp: fp)
        }
        compute(kernel, v, vStride: vStride, u, m, rows: rows, cp: cp, fp: fp)
    }

    private static func kernel(for shape: Shape, measure: () -> Kernel) -> Kernel {
        if let forced { return forced.available ? forced : .blas }
        guard blockedAvailable || blocked512Available else { return .blas }
        if let known = measured.withLock({ $0[shape] }) { return known }
        let kernel = measure()
        return measured.withLock { plans in
            if let first = plans[shape] { return first }
            plans[shape] = kernel
            return kernel
        }
    }

    /// Times the kernels this CPU runs on the operands at hand, alternating, best of 3 each (a first
    /// call of each warms its code and operands); ties go to the earlier of `Kernel.allCases`.
    private static func fastest(
        _ v: UnsafePointer<Float>, vStride: Int, _ u: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
        rows: Int, cp: Int, fp: Int
    ) -> Kernel {
        var best: [Kernel: UInt64] = [:]
        let kernels = Kernel.allCases.filter(\.available)
        for round in 0..<4 {
            for kernel in kernels {
                let start = DispatchTime.now().uptimeNanoseconds
                compute(kernel, v, vStride: vStride, u, m, rows: rows, cp: cp, fp: fp)
                let time = DispatchTime.now().uptimeNanoseconds - start
                if round > 0 { best[kernel] = min(best[kernel] ?? .max, time) }
            }
        }
        return kernels.min { best[$0]! < best[$1]! }!
    }

    private static func compute(
        _ kernel: Kernel, _ v: UnsafePointer<Float>, vStride: Int, _ u: UnsafePointer<Float>,
        _ m: UnsafeMutablePointer<Float>, rows: Int, cp: Int, fp: Int
    ) {
        switch kernel {
        case .blocked:
            gonet_winograd_products(v, vStride, u, m, Int32(rows), Int32(cp), Int32(fp))
        case .blocked512:
            gonet_winograd_products512(v, vStride, u, m, Int32(rows), Int32(cp), Int32(fp))
        case .blas:
            for xi in 0..<36 {
                BLAS.single(
                    false, false, rows, fp, cp, 1, v + xi * vStride, cp, u + xi * fp * cp, fp, 0, m + xi * rows * fp,
                    fp)
            }
        }
    }
}
