// The OpenBLAS core type whose kernels this CPU's instruction sets run, for BLASCore.swift.
#include "CKernels.h"

const char *gonet_blas_core_type(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    // OpenBLAS's names (its DYNAMIC_ARCH core list), newest first.
    if (avx512 && __builtin_cpu_supports("avx512bf16")) return "Cooperlake";
    if (avx512) return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}
