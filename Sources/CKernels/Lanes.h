// Eight floats as one value (clang's vector extension), and the element-wise functions the
// kernels share. Every helper is always inlined, so it takes the target of the kernel it is
// inlined into: one AVX2 register there, a pair of SSE registers in the baseline build.
#ifndef GONET_LANES_H
#define GONET_LANES_H

#include <string.h>

#include "CKernels.h"

#if defined(__x86_64__)
// A kernel's AVX2/FMA build, compiled beside its baseline build and chosen at run time.
#define GONET_AVX2 __attribute__((target("avx2,fma")))

// Whether this CPU runs the AVX2/FMA builds (`gonet_kernels_available`, asked once).
static inline int gonet_avx2(void) {
    static int known = -1;
    if (known < 0) known = gonet_kernels_available();
    return known;
}
#endif

// No 256-bit value crosses a call with the baseline ABI: the helpers are always inlined.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float lane __attribute__((ext_vector_type(8)));
typedef int ilane __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) lane load(const float *p) {
    lane v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) void store(float *p, lane v) { memcpy(p, &v, sizeof v); }

// e^x, within 2 ulp of expf on [-87, 88] (inputs beyond are clamped there): e^x = 2^n · e^r with
// n = round(x / ln 2) and |r| ≤ ln 2 / 2, e^r by Cephes' degree-6 polynomial, ln 2 split in two so
// that r keeps its low bits.
static inline __attribute__((always_inline)) lane exp_lanes(lane x) {
    const lane hi = 88.0f, lo = -87.0f;
    x = x > hi ? hi : x;
    x = x < lo ? lo : x;
    const lane scaled = x * 1.44269504088896341f;
    const ilane n = __builtin_convertvector(scaled + (scaled < 0 ? (lane)-0.5f : (lane)0.5f), ilane);
    const lane nf = __builtin_convertvector(n, lane);
    const lane r = (x - nf * 0.693359375f) + nf * 2.12194440e-4f;
    lane p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    const ilane bits = (n + 127) << 23;
    lane two;
    memcpy(&two, &bits, sizeof two);
    return p * two;
}

// x·sigmoid(x).
static inline __attribute__((always_inline)) lane swish_lanes(lane x) { return x / (1.0f + exp_lanes(-x)); }

// x·min(max(x + 3, 0), 6)/6.
static inline __attribute__((always_inline)) lane hard_swish_lanes(lane x) {
    lane t = x + 3.0f;
    t = t < 0 ? (lane)0.0f : t;
    t = t > 6 ? (lane)6.0f : t;
    return x * t * (1.0f / 6.0f);
}

// The activation `kind` (GONET_ACTIVATION_*) of x.
static inline __attribute__((always_inline)) lane activate_lanes(lane x, int kind) {
    switch (kind) {
    case 1: return x < 0 ? (lane)0.0f : x;
    case 2: return swish_lanes(x);
    case 3: return hard_swish_lanes(x);
    default: return x;
    }
}

#endif
