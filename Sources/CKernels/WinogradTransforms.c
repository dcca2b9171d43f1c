// Winograd F(4x4, 3x3)'s input and output transforms on the grid layout (channels inner, 8 at a
// time), for inference's trunk, every forward pass's input side and the filter gradient.
//
// Written once with clang's vector extension and compiled twice: for AVX2 and FMA (one register
// a lane of 8 channels, the sums contracted into FMAs), chosen at run time, and for the baseline
// x86-64 or the build's CPU. The Swift versions ran as pairs of SSE registers: the two transforms
// took 35% of the budget network's inference at batch 8 (perf, AMD EPYC).
#include "CKernels.h"
#include "Lanes.h"
#include "WinogradTile.h"

// V[xi][k - t0][c] = (Bᵀ·d·B)[xi] for the 6x6 patch d at tile k of a board's grid.
static inline __attribute__((always_inline)) void input_body(
    const float *grid, float *v, int t0, int t1, int tiles_x, int grid_x, int cp, size_t stride) {
    const size_t row = (size_t)grid_x * cp;
    for (int k = t0; k < t1; k++) {
        const int i = k / tiles_x, j = k % tiles_x;
        for (int g = 0; g < cp; g += 8) {
            const float *origin = grid + (size_t)(4 * i) * row + (size_t)(4 * j) * cp + g;
            lane t[36];
            // t = Bᵀ·d, column by column.
            for (int s = 0; s < 6; s++) {
                const float *p = origin + (size_t)s * cp;
                const lane d0 = load(p), d1 = load(p + row), d2 = load(p + 2 * row), d3 = load(p + 3 * row),
                           d4 = load(p + 4 * row), d5 = load(p + 5 * row);
                t[s] = 4 * d0 - 5 * d2 + d4;
                t[6 + s] = d3 + d4 - 4 * (d1 + d2);
                t[12 + s] = 4 * (d1 - d2) + d4 - d3;
                t[18 + s] = 2 * (d3 - d1) + d4 - d2;
                t[24 + s] = 2 * (d1 - d3) + d4 - d2;
                t[30 + s] = 4 * d1 - 5 * d3 + d5;
            }
            // V = t·B, row by row.
            float *out = v + (size_t)(k - t0) * cp + g;
            for (int r = 0; r < 6; r++) {
                const lane *tr = t + 6 * r;
                float *o = out + (size_t)(6 * r) * stride;
                store(o, 4 * tr[0] - 5 * tr[2] + tr[4]);
                store(o + stride, tr[3] + tr[4] - 4 * (tr[1] + tr[2]));
                store(o + 2 * stride, 4 * (tr[1] - tr[2]) + tr[4] - tr[3]);
                store(o + 3 * stride, 2 * (tr[3] - tr[1]) + tr[4] - tr[2]);
                store(o + 4 * stride, 2 * (tr[1] - tr[3]) + tr[4] - tr[2]);
                store(o + 5 * stride, 4 * tr[1] - 5 * tr[3] + tr[5]);
            }
        }
    }
}

// y = f(Aᵀ·m·A + bias (+ residual)) for the tiles t0..<t1 of a board's grid, f the activation
// `kind`; only points on the board are written.
static inline __attribute__((always_inline)) void output_body(
    const float *m, float *y, int t0, int t1, int tiles_x, int grid_x, int height, int width, int fp,
    const float *bias, const float *residual, int kind) {
    const size_t stride = (size_t)(t1 - t0) * fp;
    const size_t row = (size_t)grid_x * fp;
    for (int k = t0; k < t1; k++) {
        const int i = k / tiles_x, j = k % tiles_x;
        const int rows = height - 4 * i < 4 ? height - 4 * i : 4;
        const int columns = width - 4 * j < 4 ? width - 4 * j : 4;
        const size_t origin = (size_t)(4 * i + 1) * row + (size_t)(4 * j + 1) * fp;
        for (int g = 0; g < fp; g += 8) {
            lane t[24];
            winograd_output_columns(m + (size_t)(k - t0) * fp + g, stride, t);
            const lane b = load(bias + g);
            for (int r = 0; r < rows; r++) {
                const lane *tr = t + 6 * r;
                lane out[4];
                out[0] = tr[0] + tr[1] + tr[2] + tr[3] + tr[4];
                out[1] = tr[1] - tr[2] + 2 * (tr[3] - tr[4]);
                out[2] = tr[1] + tr[2] + 4 * (tr[3] + tr[4]);
                out[3] = tr[1] - tr[2] + 8 * (tr[3] - tr[4]) + tr[5];
                const size_t at = origin + (size_t)r * row + g;
                for (int c = 0; c < columns; c++) {
                    lane value = out[c] + b;
                    if (residual) value += load(residual + at + (size_t)c * fp);
                    value = activate_lanes(value, kind);
                    store(y + at + (size_t)c * fp, value);
                }
            }
        }
    }
}

// Z[xi][k - t0][f] = (A·d·Aᵀ)[xi] for the 4x4 block d of output gradients that tile k produced
// (its grid has the forward input's one-point border, so the block starts one row and one column
// in; points off the board are zero there): the filter gradient's side of the transforms.
static inline __attribute__((always_inline)) void output_gradient_body(
    const float *grid, float *z, int t0, int t1, int tiles_x, int grid_x, int fp, size_t stride) {
    const size_t row = (size_t)grid_x * fp;
    for (int k = t0; k < t1; k++) {
        const int i = k / tiles_x, j = k % tiles_x;
        for (int g = 0; g < fp; g += 8) {
            const float *origin = grid + (size_t)(4 * i + 1) * row + (size_t)(4 * j + 1) * fp + g;
            lane t[24];
            // t = A·d (6x4), column by column.
            for (int s = 0; s < 4; s++) {
                const float *p = origin + (size_t)s * fp;
                const lane d0 = load(p), d1 = load(p + row), d2 = load(p + 2 * row), d3 = load(p + 3 * row);
                t[s] = d0;
                t[4 + s] = d0 + d1 + d2 + d3;
                t[8 + s] = d0 - d1 + d2 - d3;
                t[12 + s] = d0 + 2 * d1 + 4 * d2 + 8 * d3;
                t[16 + s] = d0 - 2 * d1 + 4 * d2 - 8 * d3;
                t[20 + s] = d3;
            }
            // Z = t·Aᵀ, row by row.
            float *out = z + (size_t)(k - t0) * fp + g;
            for (int r = 0; r < 6; r++) {
                const lane *tr = t + 4 * r;
                float *o = out + (size_t)(6 * r) * stride;
                store(o, tr[0]);
                store(o + stride, tr[0] + tr[1] + tr[2] + tr[3]);
                store(o + 2 * stride, tr[0] - tr[1] + tr[2] - tr[3]);
                store(o + 3 * stride, tr[0] + 2 * tr[1] + 4 * tr[2] + 8 * tr[3]);
                store(o + 4 * stride, tr[0] - 2 * tr[1] + 4 * tr[2] - 8 * tr[3]);
                store(o + 5 * stride, tr[3]);
            }
        }
    }
}

#if defined(__x86_64__)

GONET_AVX2 static void input_avx2(
    const float *grid, float *v, int t0, int t1, int tiles_x, int grid_x, int cp, size_t stride) {
    input_body(grid, v, t0, t1, tiles_x, grid_x, cp, stride);
}

GONET_AVX2 static void output_avx2(
    const float *m, float *y, int t0, int t1, int tiles_x, int grid_x, int height, int width, int fp,
    const float *bias, const float *residual, int kind) {
    output_body(m, y, t0, t1, tiles_x, grid_x, height, width, fp, bias, residual, kind);
}

GONET_AVX2 static void output_gradient_avx2(
    const float *grid, float *z, int t0, int t1, int tiles_x, int grid_x, int fp, size_t stride) {
    output_gradient_body(grid, z, t0, t1, tiles_x, grid_x, fp, stride);
}

#endif

void gonet_winograd_input(
    const float *grid, float *v, int t0, int t1, int tiles_x, int grid_x, int cp, size_t stride) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        input_avx2(grid, v, t0, t1, tiles_x, grid_x, cp, stride);
        return;
    }
#endif
    input_body(grid, v, t0, t1, tiles_x, grid_x, cp, stride);
}

void gonet_winograd_output_grid(
    const float *m, float *y, int t0, int t1, int tiles_x, int grid_x, int height, int width, int fp,
    const float *bias, const float *residual, int kind) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        output_avx2(m, y, t0, t1, tiles_x, grid_x, height, width, fp, bias, residual, kind);
        return;
    }
#endif
    output_body(m, y, t0, t1, tiles_x, grid_x, height, width, fp, bias, residual, kind);
}

void gonet_winograd_output_gradient(
    const float *grid, float *z, int t0, int t1, int tiles_x, int grid_x, int fp, size_t stride) {
#if defined(__x86_64__)
    if (gonet_avx2()) {
        output_gradient_avx2(grid, z, t0, t1, tiles_x, grid_x, fp, stride);
        return;
    }
#endif
    output_gradient_body(grid, z, t0, t1, tiles_x, grid_x, fp, stride);
}
