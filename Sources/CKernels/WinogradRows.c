// Winograd F(4x4, 3x3) between channel-major activations (`[C][B·H·W]`, what the layer-by-layer
// path keeps: training's large batches, trunks with pooling or gates) and the channel-inner tiles
// the transforms read and write: laying
// board rows out into a zero-bordered grid, and the output transform written back to
// channel-major rows with bias, residual and ReLU.
//
// Both directions move 8 points × 8 channels at a time through an in-register transpose; the
// Swift versions built each 8-channel value from 8 scalar loads and transposed element by
// element. They took 22% of a profile of `bench nn`'s small-network rows (perf, AMD EPYC); these
// measured no faster beyond that host's noise (docs/RESULTS.md): the passes are bound by moving
// each activation between layouts. Compiled for AVX2/FMA beside the baseline build and chosen at
// run time, as in WinogradTransforms.c.
#include "CKernels.h"
#include "Lanes.h"
#include "WinogradTile.h"

// Transposes the 8x8 block a (a[i][j] row i, column j) in place: a[j][i] afterwards.
static inline __attribute__((always_inline)) void transpose8(lane a[8]) {
    lane t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(a[i], a[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(a[i], a[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int i = 0; i < 4; i++) {
        a[i] = __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        a[i + 4] = __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

static inline __attribute__((always_inline)) void lay_out_body(
    const float *x, float *grid, int board, size_t n, int r0, int r1, int cin, int cp, int height, int width,
    int grid_x) {
    const size_t hw = (size_t)height * width;
    const size_t row = (size_t)grid_x * cp;
    for (int r = r0; r < r1; r++) {
        float *line = grid + (size_t)r * row;
        if (r == 0 || r > height) {
            memset(line, 0, row * sizeof(float));
        } else {
            memset(line, 0, (size_t)cp * sizeof(float));
            memset(line + (size_t)(width + 1) * cp, 0, (size_t)(grid_x - width - 1) * cp * sizeof(float));
        }
    }
    const int first = r0 < 1 ? 1 : r0;
    const int end = r1 < height + 1 ? r1 : height + 1;
    const float *src = x + (size_t)board * hw;
    for (int c0 = 0; c0 < cp; c0 += 8) {
        const int lanes = cin - c0 < 8 ? cin - c0 : 8;
        for (int r = first; r < end; r++) {
            float *dst = grid + (size_t)r * row + cp + c0;
            const float *from = src + (size_t)(r - 1) * width;
            int xx = 0;
            if (lanes == 8) {
                for (; xx + 8 <= width; xx += 8) {
                    lane a[8];
                    for (int c = 0; c < 8; c++) a[c] = load(from + (size_t)(c0 + c) * n + xx);
                    transpose8(a);
                    for (int p = 0; p < 8; p++) store(dst + (size_t)(xx + p) * cp, a[p]);
                }
            }
            for (; xx < width; xx++) {
                float *d = dst + (size_t)xx * cp;
                for (int c = 0; c < 8; c++) d[c] = c < lanes ? from[(size_t)(c0 + c) * n + xx] : 0;
            }
        }
    }
}

// Writes one staged row of tiles (stage[(r · row_width + column) · fp + c], `rows` board rows
// from y's offset `base`) to y's channel-major rows, columns c_begin..<c_end, with bias, residual
// and ReLU.
static inline __attribute__((always_inline)) void write_out(
    const float *stage, float *y, size_t base, size_t n, int width, int rows, int row_width, int c_begin,
    int c_end, int fp, int f, const float *bias, const float *residual, int relu) {
    for (int c0 = 0; c0 < f; c0 += 8) {
        const int count = f - c0 < 8 ? f - c0 : 8;
        for (int r = 0; r < rows; r++) {
            const size_t line = (size_t)c0 * n + base + (size_t)r * width;
            const float *from = stage + (size_t)r * row_width * fp + c0;
            int x = c_begin;
            for (; x + 8 <= c_end; x += 8) {
                lane a[8];
                for (int p = 0; p < 8; p++) a[p] = load(from + (size_t)(x + p) * fp);
                transpose8(a);
                for (int c = 0; c < count; c++) {
                    const size_t at = line + (size_t)c * n + x;
                    lane v = a[c] + (bias ? bias[c0 + c] : 0.0f);
                    if (residual) v += load(residual + at);
                    if (relu) v = v < 0 ? (lane)0.0f : v;
                    store(y + at, v);
                }
            }
            for (int c = 0; c < count; c++) {
                const float b = bias ? bias[c0 + c] : 0.0f;
                for (int xx = x; xx < c_end; xx++) {
                    const size_t at = line + (size_t)c * n + xx;
                    float v = from[(size_t)xx * fp + c] + b;
                    if (residual) v += residual[at];
                    y[at] = relu && v < 0 ? 0.0f : v;
                }
            }
        }
    }
}

static inline __attribute__((always_inline)) void output_rows_body(
    const float *m, float *y, int board, size_t n, int t0, int t1, int tiles_x, int height, int width, int fp,
    int f, float *stage, const float *bias, const float *residual, int relu) {
    const size_t stride = (size_t)(t1 - t0) * fp;
    const int row_width = 4 * tiles_x;
    const size_t hw = (size_t)height * width;
    for (int i = t0 / tiles_x; i <= (t1 - 1) / tiles_x; i++) {
        const int ja = (t0 > i * tiles_x ? t0 : i * tiles_x) - i * tiles_x;
        const int jb = (t1 < (i + 1) * tiles_x ? t1 : (i + 1) * tiles_x) - i * tiles_x;
        for (int j = ja; j < jb; j++) {
            const size_t tile = (size_t)(i * tiles_x + j - t0);
            for (int g = 0; g < fp; g += 8) {
                lane t[24];
                winograd_output_columns(m + tile * fp + g, stride, t);
                // Y = t·A: 4x4 outputs of 8 channels, staged at (row r, column 4j + c).
                for (int r = 0; r < 4; r++) {
                    const lane *tr = t + 6 * r;
                    float *o = stage + ((size_t)r * row_width + 4 * j) * fp + g;
                    store(o, tr[0] + tr[1] + tr[2] + tr[3] + tr[4]);
                    store(o + fp, tr[1] - tr[2] + 2 * (tr[3] - tr[4]));
                    store(o + 2 * fp, tr[1] + tr[2] + 4 * (tr[3] + tr[4]));
                    store(o + 3 * fp, tr[1] - tr[2] + 8 * (tr[3] - tr[4]) + tr[5]);
                }
            }
        }
        const int rows = height - 4 * i < 4 ? height - 4 * i : 4;
        const int c_end = 4 * jb < width ? 4 * jb : width;
        write_out(
            stage, y, (size_t)board * hw + (size_t)(4 * i) * width, n, width, rows, row_width, 4 * ja, c_end, fp, f,
            bias, residual, relu);
    }
}

#if defined(__x86_64__)

GONET_AVX2 static void lay_out_avx2(
    const float *x, float *grid, int board, size_t n, int r0, int r1, int cin, int cp, int height, int width,
    int grid_x) {
    lay_out_body(x, grid, board, n, r0, r1, cin, cp, height, width, grid_x);
}

GONET_AVX2 static void output_rows_avx2(
    const float *m, float *y, int board, size_t n, int t0, int t1, int tiles_x, int height, int width, int fp,
    int f, float *stage, const float *bias, const float *residual, int relu) {
    output_rows_body(m, y, board, n, t0, t1, tiles_x, height, width, fp, f, stage, bias, residual, relu);
}

#endif

void gonet_winograd_lay_out_rows(
    const float *x, float *grid, int board, size_t n, int r0, int r1, int cin, int cp, int height, int width,
    int grid_x) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        lay_out_avx2(x, grid, board, n, r0, r1, cin, cp, height, width, grid_x);
        return;
    }
#endif
    lay_out_body(x, grid, board, n, r0, r1, cin, cp, height, width, grid_x);
}

void gonet_winograd_output_rows(
    const float *m, float *y, int board, size_t n, int t0, int t1, int tiles_x, int height, int width, int fp,
    int f, float *stage, const float *bias, const float *residual, int relu) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        output_rows_avx2(m, y, board, n, t0, t1, tiles_x, height, width, fp, f, stage, bias, residual, relu);
        return;
    }
#endif
    output_rows_body(m, y, board, n, t0, t1, tiles_x, height, width, fp, f, stage, bias, residual, relu);
}
