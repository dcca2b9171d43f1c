import CBLAS

/// Row-major single-precision matrix products through OpenBLAS.
///
/// OpenBLAS runs single-threaded: a large product is split into column or row blocks that run
/// on `Parallel.threads` workers, and Winograd's 36 products run side by side. This avoids
/// OpenBLAS's spinning threads competing with the element-wise work for two cores.
public enum BLAS {
    /// OpenBLAS's own threads off, once per process (a static's lazy initialisation runs once,
    /// whichever thread asks first).
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    /// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major, with op = transpose when asked.
    public static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = singleThreaded
        let workers = Parallel.threads
        if workers <= 1 || m * n * k < 1 << 21 {
            single(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        if n >= m {
            let block = (n + workers - 1) / workers
            Parallel.forEach(workers) { w in
                let n0 = w * block
                let nb = min(block, n - n0)
                guard nb > 0 else { return }
                single(transA, transB, m, nb, k, alpha, a, lda, transB ? b + n0 * ldb : b + n0, ldb, beta, c + n0, ldc)
            }
        } else {
            let block = (m + workers - 1) / workers
            Parallel.forEach(workers) { w in
                let m0 = w * block
                let mb = min(block, m - m0)
                guard mb > 0 else { return }
                single(
                    transA, transB, mb, n, k, alpha, transA ? a + m0 : a + m0 * lda, lda, b, ldb, beta, c + m0 * ldc,
                    ldc)
            }
        }
    }

    /// One single-threaded product (safe to call from several workers at once).
    @inline(__always)
    static func single(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        _ = singleThreaded
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
