// Depthwise convolution of one board of one channel (3x3 or 5x5 filters, stride 1, zero padding)
// and its weight gradient, eight output columns at a time from a zero-padded copy of the board,
// compiled for AVX2/FMA and for the baseline and chosen at run time as the Winograd transforms
// are. A mobile budget network (9 blocks of 32, expansion 120) spent 47% of a training step in
// the scalar loops these replace.
#include "CKernels.h"
#include "Lanes.h"

// The padded board: r = k/2 zero rows and columns around it, rows `stride` floats long (the
// columns rounded up to whole lanes, plus 2r), so every eight-column read of every tap stays in
// the copy and reads zeros past the board.
static inline __attribute__((always_inline)) int padded_stride(int width, int r) { return (width + 7) / 8 * 8 + 2 * r; }

static inline __attribute__((always_inline)) void pad(const float *x, float *xp, int height, int width, int r, int stride) {
    memset(xp, 0, sizeof(float) * (size_t)(height + 2 * r) * (size_t)stride);
    for (int y = 0; y < height; y++) memcpy(xp + (size_t)(y + r) * stride + r, x + (size_t)y * width, sizeof(float) * width);
}

static inline __attribute__((always_inline)) void board_body(
    const float *x, const float *w, float bias, float *y, int height, int width, int k, int flip) {
    const int r = k / 2, stride = padded_stride(width, r);
    float xp[(height + 2 * r) * stride];
    pad(x, xp, height, width, r, stride);
    float taps[25];
    for (int t = 0; t < k * k; t++) taps[t] = flip ? w[k * k - 1 - t] : w[t];
    for (int row = 0; row < height; row++) {
        for (int x0 = 0; x0 < width; x0 += 8) {
            lane acc = bias;
            for (int ty = 0; ty < k; ty++) {
                const float *in = xp + (size_t)(row + ty) * stride + x0;
                for (int tx = 0; tx < k; tx++) acc += taps[ty * k + tx] * load(in + tx);
            }
            float *out = y + (size_t)row * width + x0;
            if (x0 + 8 <= width) {
                store(out, acc);
            } else {
                float tail[8];
                store(tail, acc);
                memcpy(out, tail, sizeof(float) * (width - x0));
            }
        }
    }
}

static inline __attribute__((always_inline)) void weight_gradient_body(
    const float *x, const float *dy, float *g, int height, int width, int k) {
    const int r = k / 2, stride = padded_stride(width, r), lanes = (width + 7) / 8 * 8;
    float xp[(height + 2 * r) * stride];
    pad(x, xp, height, width, r, stride);
    // dy with its rows padded by zeros to whole lanes: the columns past the board add nothing.
    float dyp[height * lanes];
    memset(dyp, 0, sizeof dyp);
    for (int row = 0; row < height; row++) memcpy(dyp + row * lanes, dy + (size_t)row * width, sizeof(float) * width);
    for (int ty = 0; ty < k; ty++) {
        for (int tx = 0; tx < k; tx++) {
            lane acc = 0.0f;
            for (int row = 0; row < height; row++) {
                const float *in = xp + (size_t)(row + ty) * stride + tx;
                const float *d = dyp + row * lanes;
                for (int x0 = 0; x0 < lanes; x0 += 8) acc += load(d + x0) * load(in + x0);
            }
            float s = 0;
            for (int i = 0; i < 8; i++) s += acc[i];
            g[ty * k + tx] += s;
        }
    }
}

#if defined(__x86_64__)
GONET_AVX2 static void board_avx2(
    const float *x, const float *w, float bias, float *y, int height, int width, int k, int flip) {
    board_body(x, w, bias, y, height, width, k, flip);
}
GONET_AVX2 static void weight_gradient_avx2(const float *x, const float *dy, float *g, int height, int width, int k) {
    weight_gradient_body(x, dy, g, height, width, k);
}
#endif

void gonet_depthwise_board(
    const float *x, const float *w, float bias, float *y, int height, int width, int k, int flip) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        board_avx2(x, w, bias, y, height, width, k, flip);
        return;
    }
#endif
    board_body(x, w, bias, y, height, width, k, flip);
}

void gonet_depthwise_weight_gradient(const float *x, const float *dy, float *g, int height, int width, int k) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        weight_gradient_avx2(x, dy, g, height, width, k);
        return;
    }
#endif
    weight_gradient_body(x, dy, g, height, width, k);
}
