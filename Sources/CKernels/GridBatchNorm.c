// Batch norm's passes over one board in the grid layout (`[grid rows][grid_x][cp]`, channels
// inner, the board's point (r, c) at grid point (r + 1, c + 1)), so that training keeps its
// trunk's activations where the Winograd transforms read and write them, as inference does.
// Only board points are read and written: the zero border stays as it is.
//
// Each pass takes up to 16 lanes (128 channels) of a point at a time, so a point's channels are
// read together; a 32-channel board (62 KB) stays in a core's cache between a board's passes.
// Compiled for AVX2/FMA beside the baseline build and chosen at run time, as in
// WinogradTransforms.c.
#include "CKernels.h"
#include "Lanes.h"

enum { GROUPS = 16 };

#define FOR_EACH_POINT(body)                                                                  \
    for (int r = 0; r < height; r++) {                                                        \
        const size_t line = ((size_t)(r + 1) * grid_x + 1) * cp;                              \
        for (int col = 0; col < width; col++) {                                               \
            const size_t at = line + (size_t)col * cp + c0;                                   \
            body                                                                              \
        }                                                                                     \
    }

static inline __attribute__((always_inline)) void moments_body(
    const float *grid, int height, int width, int grid_x, int cp, float *sum, float *m2) {
    const float points = (float)(height * width);
    for (int c0 = 0; c0 < cp; c0 += 8 * GROUPS) {
        const int groups = (cp - c0) / 8 < GROUPS ? (cp - c0) / 8 : GROUPS;
        lane s[GROUPS], mean[GROUPS], d[GROUPS];
        for (int g = 0; g < groups; g++) s[g] = 0, d[g] = 0;
        FOR_EACH_POINT(for (int g = 0; g < groups; g++) s[g] += load(grid + at + 8 * g);)
        for (int g = 0; g < groups; g++) mean[g] = s[g] / points;
        // Deviations from the board's own mean: no cancellation, whatever the channel's offset.
        FOR_EACH_POINT(for (int g = 0; g < groups; g++) {
            const lane e = load(grid + at + 8 * g) - mean[g];
            d[g] += e * e;
        })
        for (int g = 0; g < groups; g++) {
            store(sum + c0 + 8 * g, s[g]);
            store(m2 + c0 + 8 * g, d[g]);
        }
    }
}

static inline __attribute__((always_inline)) void normalise_body(
    float *x, float *y, const float *residual, int height, int width, int grid_x, int cp, const float *mean,
    const float *inv, const float *scale, const float *shift, int relu) {
    for (int c0 = 0; c0 < cp; c0 += 8 * GROUPS) {
        const int groups = (cp - c0) / 8 < GROUPS ? (cp - c0) / 8 : GROUPS;
        lane m[GROUPS], i[GROUPS], s[GROUPS], t[GROUPS];
        for (int g = 0; g < groups; g++) {
            m[g] = load(mean + c0 + 8 * g);
            i[g] = load(inv + c0 + 8 * g);
            s[g] = load(scale + c0 + 8 * g);
            t[g] = load(shift + c0 + 8 * g);
        }
        FOR_EACH_POINT(for (int g = 0; g < groups; g++) {
            const size_t p = at + 8 * g;
            const lane xh = (load(x + p) - m[g]) * i[g];
            store(x + p, xh);
            lane v = xh * s[g] + t[g];
            if (residual) v += load(residual + p);
            if (relu) v = v > 0 ? v : 0;
            store(y + p, v);
        })
    }
}

// dy masked by y > 0 under a ReLU.
static inline __attribute__((always_inline)) lane masked(const float *y, const float *dy, size_t p, int relu) {
    const lane g = load(dy + p);
    return relu ? (load(y + p) > 0 ? g : 0) : g;
}

static inline __attribute__((always_inline)) void gradient_sums_body(
    const float *xhat, const float *y, const float *dy, float *mask_out, int height, int width, int grid_x, int cp,
    int relu, float *sum_g, float *sum_gx) {
    for (int c0 = 0; c0 < cp; c0 += 8 * GROUPS) {
        const int groups = (cp - c0) / 8 < GROUPS ? (cp - c0) / 8 : GROUPS;
        lane s[GROUPS], sx[GROUPS];
        for (int g = 0; g < groups; g++) s[g] = 0, sx[g] = 0;
        FOR_EACH_POINT(for (int g = 0; g < groups; g++) {
            const size_t p = at + 8 * g;
            const lane v = masked(y, dy, p, relu);
            if (mask_out) store(mask_out + p, v);
            s[g] += v;
            sx[g] += v * load(xhat + p);
        })
        for (int g = 0; g < groups; g++) {
            store(sum_g + c0 + 8 * g, s[g]);
            store(sum_gx + c0 + 8 * g, sx[g]);
        }
    }
}

static inline __attribute__((always_inline)) void input_gradient_body(
    const float *xhat, const float *y, const float *dy, float *dx, int height, int width, int grid_x, int cp,
    int relu, const float *a, const float *b, const float *c) {
    for (int c0 = 0; c0 < cp; c0 += 8 * GROUPS) {
        const int groups = (cp - c0) / 8 < GROUPS ? (cp - c0) / 8 : GROUPS;
        lane va[GROUPS], vb[GROUPS], vc[GROUPS];
        for (int g = 0; g < groups; g++) {
            va[g] = load(a + c0 + 8 * g);
            vb[g] = load(b + c0 + 8 * g);
            vc[g] = load(c + c0 + 8 * g);
        }
        FOR_EACH_POINT(for (int g = 0; g < groups; g++) {
            const size_t p = at + 8 * g;
            store(dx + p, va[g] * masked(y, dy, p, relu) - vb[g] - load(xhat + p) * vc[g]);
        })
    }
}

#if defined(__x86_64__)
GONET_AVX2 static void moments_avx2(
    const float *grid, int height, int width, int grid_x, int cp, float *sum, float *m2) {
    moments_body(grid, height, width, grid_x, cp, sum, m2);
}

GONET_AVX2 static void normalise_avx2(
    float *x, float *y, const float *residual, int height, int width, int grid_x, int cp, const float *mean,
    const float *inv, const float *scale, const float *shift, int relu) {
    normalise_body(x, y, residual, height, width, grid_x, cp, mean, inv, scale, shift, relu);
}

GONET_AVX2 static void gradient_sums_avx2(
    const float *xhat, const float *y, const float *dy, float *mask_out, int height, int width, int grid_x, int cp,
    int relu, float *sum_g, float *sum_gx) {
    gradient_sums_body(xhat, y, dy, mask_out, height, width, grid_x, cp, relu, sum_g, sum_gx);
}

GONET_AVX2 static void input_gradient_avx2(
    const float *xhat, const float *y, const float *dy, float *dx, int height, int width, int grid_x, int cp,
    int relu, const float *a, const float *b, const float *c) {
    input_gradient_body(xhat, y, dy, dx, height, width, grid_x, cp, relu, a, b, c);
}
#endif

void gonet_grid_moments(const float *grid, int height, int width, int grid_x, int cp, float *sum, float *m2) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        moments_avx2(grid, height, width, grid_x, cp, sum, m2);
        return;
    }
#endif
    moments_body(grid, height, width, grid_x, cp, sum, m2);
}

void gonet_grid_normalise(
    float *x, float *y, const float *residual, int height, int width, int grid_x, int cp, const float *mean,
    const float *inv, const float *scale, const float *shift, int relu) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        normalise_avx2(x, y, residual, height, width, grid_x, cp, mean, inv, scale, shift, relu);
        return;
    }
#endif
    normalise_body(x, y, residual, height, width, grid_x, cp, mean, inv, scale, shift, relu);
}

void gonet_grid_norm_gradient_sums(
    const float *xhat, const float *y, const float *dy, float *mask_out, int height, int width, int grid_x, int cp,
    int relu, float *sum_g, float *sum_gx) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        gradient_sums_avx2(xhat, y, dy, mask_out, height, width, grid_x, cp, relu, sum_g, sum_gx);
        return;
    }
#endif
    gradient_sums_body(xhat, y, dy, mask_out, height, width, grid_x, cp, relu, sum_g, sum_gx);
}

void gonet_grid_norm_input_gradient(
    const float *xhat, const float *y, const float *dy, float *dx, int height, int width, int grid_x, int cp,
    int relu, const float *a, const float *b, const float *c) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        input_gradient_avx2(xhat, y, dy, dx, height, width, grid_x, cp, relu, a, b, c);
        return;
    }
#endif
    input_gradient_body(xhat, y, dy, dx, height, width, grid_x, cp, relu, a, b, c);
}
