// The smooth activations of a trunk (swish and hard swish) and their gradients, eight floats at a
// time, compiled for AVX2/FMA and for the baseline and chosen at run time as the Winograd
// transforms are. The exponential is most of swish's cost: a swish budget network trained at 423
// samples/s with expf one float at a time and at 600 with this one (Lanes.h; AMD EPYC, 2 cores,
// the budget recipe's first 150 steps).
#include "CKernels.h"
#include "Lanes.h"

static inline __attribute__((always_inline)) void forward_body(const float *x, float *y, size_t n, int kind) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) store(y + i, activate_lanes(load(x + i), kind));
    if (i < n) {
        float tail[8] = {0};
        memcpy(tail, x + i, (n - i) * sizeof(float));
        store(tail, activate_lanes(load(tail), kind));
        memcpy(y + i, tail, (n - i) * sizeof(float));
    }
}

// dz = dy · f′(z): swish′ = s·(1 + z·(1 − s)) with s = sigmoid(z); hard swish′ = 0 below −3, 1 above
// 3, (2z + 3)/6 between.
static inline __attribute__((always_inline)) lane gradient_lanes(lane z, lane dy, int kind) {
    if (kind == 2) {
        const lane s = 1.0f / (1.0f + exp_lanes(-z));
        return dy * s * (1.0f + z * (1.0f - s));
    }
    lane d = (2.0f * z + 3.0f) * (1.0f / 6.0f);
    d = z <= -3 ? (lane)0.0f : d;
    d = z >= 3 ? (lane)1.0f : d;
    return dy * d;
}

static inline __attribute__((always_inline)) void backward_body(
    const float *z, const float *dy, float *dz, size_t n, int kind) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) store(dz + i, gradient_lanes(load(z + i), load(dy + i), kind));
    if (i < n) {
        float tz[8] = {0}, tdy[8] = {0};
        memcpy(tz, z + i, (n - i) * sizeof(float));
        memcpy(tdy, dy + i, (n - i) * sizeof(float));
        store(tdy, gradient_lanes(load(tz), load(tdy), kind));
        memcpy(dz + i, tdy, (n - i) * sizeof(float));
    }
}

#if defined(__x86_64__)
GONET_AVX2 static void forward_avx2(const float *x, float *y, size_t n, int kind) { forward_body(x, y, n, kind); }
GONET_AVX2 static void backward_avx2(const float *z, const float *dy, float *dz, size_t n, int kind) {
    backward_body(z, dy, dz, n, kind);
}
#endif

void gonet_activation(const float *x, float *y, size_t n, int kind) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        forward_avx2(x, y, n, kind);
        return;
    }
#endif
    forward_body(x, y, n, kind);
}

void gonet_activation_gradient(const float *z, const float *dy, float *dz, size_t n, int kind) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        backward_avx2(z, dy, dz, n, kind);
        return;
    }
#endif
    backward_body(z, dy, dz, n, kind);
}
