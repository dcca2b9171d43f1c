// The products of Winograd's convolution on the narrow layers of small networks.
//
// A chunk is at most one board's 25 tiles, so each product is [25 × C]·[C × F] with C and F of 32
// or 64: too small for a BLAS, which spends the time packing operands and zeroing C (OpenBLAS
// reached 39 GFLOPS of its 78 single-thread peak on 32 channels). Here U is already laid out
// [C][F] with F contiguous, so a 6x16 register block (BLIS's shape for AVX2: 12 accumulators,
// 2 loads of U, 1 broadcast of V) reads both operands in place and reaches 77 GFLOPS on
// 32 channels, 69 on 64, 62 on 128 (against OpenBLAS's 39, 46, 54; measured with rows 25 on an
// AMD EPYC). Compiled for AVX2 and FMA only in this file, chosen at run time, so the binary still
// runs on any x86-64 CPU.
#include "CKernels.h"
#include "Lanes.h"

#if defined(__x86_64__)
#include <immintrin.h>

bool gonet_kernels_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// One block of `r` rows (1 to 6) × `nv` vectors of 8 outputs (1 or 2) over k inputs; r and nv
// are constants at every call, so the loops unroll into registers.
static inline __attribute__((always_inline)) GONET_AVX2 void block(
    int r, int nv, const float *v, int cp, const float *u, int fp, float *m) {
    __m256 acc[6][2];
    for (int i = 0; i < r; i++)
        for (int j = 0; j < nv; j++) acc[i][j] = _mm256_setzero_ps();
    for (int c = 0; c < cp; c++) {
        const __m256 b0 = _mm256_loadu_ps(u + (size_t)c * fp);
        const __m256 b1 = nv > 1 ? _mm256_loadu_ps(u + (size_t)c * fp + 8) : b0;
        for (int i = 0; i < r; i++) {
            const __m256 a = _mm256_broadcast_ss(v + (size_t)i * cp + c);
            acc[i][0] = _mm256_fmadd_ps(a, b0, acc[i][0]);
            if (nv > 1) acc[i][1] = _mm256_fmadd_ps(a, b1, acc[i][1]);
        }
    }
    for (int i = 0; i < r; i++)
        for (int j = 0; j < nv; j++) _mm256_storeu_ps(m + (size_t)i * fp + 8 * j, acc[i][j]);
}

// The block for the rows left (6 or fewer), with nv fixed.
#define GONET_BLOCK_ROWS(nv)                                 \
    switch (rows - r) {                                      \
    case 1: block(1, nv, vr, cp, uf, fp, mr); break;         \
    case 2: block(2, nv, vr, cp, uf, fp, mr); break;         \
    case 3: block(3, nv, vr, cp, uf, fp, mr); break;         \
    case 4: block(4, nv, vr, cp, uf, fp, mr); break;         \
    case 5: block(5, nv, vr, cp, uf, fp, mr); break;         \
    default: block(6, nv, vr, cp, uf, fp, mr); break;        \
    }

GONET_AVX2 static void product(const float *v, const float *u, float *m, int rows, int cp, int fp) {
    for (int f = 0; f < fp; f += 16) {
        const float *uf = u + f;
        for (int r = 0; r < rows; r += 6) {
            const float *vr = v + (size_t)r * cp;
            float *mr = m + (size_t)r * fp + f;
            if (fp - f >= 16) {
                GONET_BLOCK_ROWS(2)
            } else {
                GONET_BLOCK_ROWS(1)
            }
        }
    }
}

void gonet_winograd_products(
    const float *v, size_t v_stride, const float *u, float *m, int rows, int cp, int fp) {
    for (int xi = 0; xi < 36; xi++)
        product(v + xi * v_stride, u + (size_t)xi * cp * fp, m + (size_t)xi * rows * fp, rows, cp, fp);
}

#else

bool gonet_kernels_available(void) { return false; }

void gonet_winograd_products(
    const float *v, size_t v_stride, const float *u, float *m, int rows, int cp, int fp) {
    (void)v; (void)v_stride; (void)u; (void)m; (void)rows; (void)cp; (void)fp;
}

#endif
