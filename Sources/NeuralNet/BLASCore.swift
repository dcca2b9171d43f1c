import CBLAS
import CKernels
import Foundation

/// Which of OpenBLAS's kernels run, and the correction for CPUs newer than the library.
///
/// OpenBLAS chooses its kernels once, as it loads, from the CPU's family and model; a model it
/// does not know gets its generic SSE3 kernels, "Prescott". Debian 12's OpenBLAS 0.3.21 does that
/// on 5th-generation Xeons (family 6, model 207), common in cloud machines: there one core ran a
/// [25×256]·[256×32] product at 19 GFLOPS against 141 with the Cooper Lake kernels the CPU runs,
/// and the budget recipe with a teacher trained at 252 samples/s against 452 (2026-12-07). The
/// variable `OPENBLAS_CORETYPE`, read at load, names the kernels instead, so the program restarts
/// itself with it set.
public enum BLASCore {
    /// The name OpenBLAS gives the kernels it runs in this process ("Cooperlake", "Haswell", "Zen", …).
    public static var name: String { String(cString: openblas_get_corename()) }

    /// The core type to set in `OPENBLAS_CORETYPE` for this process: non-nil only when OpenBLAS fell
    /// back to its generic kernels on a CPU that runs better ones and the variable is unset.
    public static var correction: String? {
        correction(
            running: name, cpu: gonet_blas_core_type().map { String(cString: $0) },
            variable: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    }

    /// The correction for OpenBLAS running `running` on a CPU whose best kernels are `cpu`, with
    /// `OPENBLAS_CORETYPE` set to `variable`: a user's setting is left alone, and only the generic
    /// fallback is replaced (a known CPU keeps OpenBLAS's own choice, tuned for it).
    static func correction(running: String, cpu: String?, variable: String?) -> String? {
        guard variable == nil, running == "Prescott", let cpu else { return nil }
        return cpu
    }

    /// Runs this program again, same process, arguments and standard streams, with
    /// `OPENBLAS_CORETYPE` set when `correction` names better kernels. Returns when there is nothing
    /// to correct or the restart failed (the program then runs on the generic kernels).
    public static func restartOnBetterKernels() {
        guard let core = correction else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", arguments)
        for a in arguments { free(a) }
    }
}
