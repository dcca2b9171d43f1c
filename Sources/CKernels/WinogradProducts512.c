// Winograd's products with AVX-512: the 6x16 AVX2 block of WinogradProducts.c widened to rows of
// 32 outputs in two 16-float registers, 12 rows a block (24 accumulators, 2 loads of U and one
// broadcast of V: 27 of the 32 registers). On a 5th-generation Xeon, one core, 36 products of 25
// tiles: 142 GFLOPS on 32 channels against OpenBLAS's (AVX-512) 132 and the AVX2 block's 79; 139
// against 140 and 78 on 64; 71 against 74 and 62 on 128 (near the core's FMA peak on the narrow
// layers, where OpenBLAS's per-call overhead is what it loses). The plan measures all three per
// shape. Compiled for AVX-512 in this file alone and chosen at run time.
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define GONET_AVX512 __attribute__((target("avx512f,avx512vl,fma")))

bool gonet_kernels512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
}

// One block of `r` rows (1 to 12) × `nv` vectors of 16 outputs (1 or 2) over k inputs; the last
// vector's lanes are `last` (a row of fp outputs need not fill it). r and nv are constants at
// every call, so the loops unroll into registers.
static inline __attribute__((always_inline)) GONET_AVX512 void block(
    int r, int nv, __mmask16 last, const float *v, int cp, const float *u, int fp, float *m) {
    __m512 acc[12][2];
    for (int i = 0; i < r; i++)
        for (int j = 0; j < nv; j++) acc[i][j] = _mm512_setzero_ps();
    for (int c = 0; c < cp; c++) {
        const float *uc = u + (size_t)c * fp;
        const __m512 b0 = nv > 1 ? _mm512_loadu_ps(uc) : _mm512_maskz_loadu_ps(last, uc);
        const __m512 b1 = nv > 1 ? _mm512_maskz_loadu_ps(last, uc + 16) : b0;
        for (int i = 0; i < r; i++) {
            const __m512 a = _mm512_set1_ps(v[(size_t)i * cp + c]);
            acc[i][0] = _mm512_fmadd_ps(a, b0, acc[i][0]);
            if (nv > 1) acc[i][1] = _mm512_fmadd_ps(a, b1, acc[i][1]);
        }
    }
    for (int i = 0; i < r; i++) {
        float *mi = m + (size_t)i * fp;
        if (nv > 1) {
            _mm512_storeu_ps(mi, acc[i][0]);
            _mm512_mask_storeu_ps(mi + 16, last, acc[i][1]);
        } else {
            _mm512_mask_storeu_ps(mi, last, acc[i][0]);
        }
    }
}

// The block for the rows left (12 or fewer), with nv fixed.
#define GONET_BLOCK_ROWS(nv)                                                \
    switch (rows - r) {                                                     \
    case 1: block(1, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 2: block(2, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 3: block(3, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 4: block(4, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 5: block(5, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 6: block(6, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 7: block(7, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 8: block(8, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 9: block(9, nv, last, vr, cp, uf, fp, mr); break;                  \
    case 10: block(10, nv, last, vr, cp, uf, fp, mr); break;                \
    case 11: block(11, nv, last, vr, cp, uf, fp, mr); break;                \
    default: block(12, nv, last, vr, cp, uf, fp, mr); break;                \
    }

GONET_AVX512 static void product(const float *v, const float *u, float *m, int rows, int cp, int fp) {
    for (int f = 0; f < fp; f += 32) {
        const float *uf = u + f;
        const int left = fp - f;
        // Lanes of the last vector: 16, or the 8 a row of a multiple of 8 leaves.
        const int tail = left >= 32 ? 16 : (left > 16 ? left - 16 : left);
        const __mmask16 last = (__mmask16)((1u << tail) - 1);
        for (int r = 0; r < rows; r += 12) {
            const float *vr = v + (size_t)r * cp;
            float *mr = m + (size_t)r * fp + f;
            if (left > 16) {
                GONET_BLOCK_ROWS(2)
            } else {
                GONET_BLOCK_ROWS(1)
            }
        }
    }
}

void gonet_winograd_products512(
    const float *v, size_t v_stride, const float *u, float *m, int rows, int cp, int fp) {
    for (int xi = 0; xi < 36; xi++)
        product(v + xi * v_stride, u + (size_t)xi * cp * fp, m + (size_t)xi * rows * fp, rows, cp, fp);
}

#else

bool gonet_kernels512_available(void) { return false; }

void gonet_winograd_products512(
    const float *v, size_t v_stride, const float *u, float *m, int rows, int cp, int fp) {
    (void)v; (void)v_stride; (void)u; (void)m; (void)rows; (void)cp; (void)fp;
}

#endif
