#ifndef GONET_KERNELS_H
#define GONET_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

/// Whether this CPU runs the AVX2/FMA kernels below (x86-64 with AVX2 and FMA; false elsewhere).
bool gonet_kernels_available(void);

/// The OpenBLAS core type (its `OPENBLAS_CORETYPE` name) of the best kernels this CPU's instruction
/// sets run: "Cooperlake" (AVX-512 with BF16), "SkylakeX" (AVX-512), "Haswell" (AVX2 and FMA), or
/// NULL (none of those, or not x86-64).
const char *gonet_blas_core_type(void);

/// Winograd's 36 products of one chunk of tiles: for xi in 0..<36,
/// M[xi] (rows × fp) = V[xi] (rows × cp) · U[xi] (cp × fp), all row-major, where
/// V[xi] = v + xi·v_stride (leading dimension cp), U[xi] = u + xi·cp·fp (leading dimension fp) and
/// M[xi] = m + xi·rows·fp (leading dimension fp). cp and fp are multiples of 8.
/// Only call when `gonet_kernels_available()`.
void gonet_winograd_products(
    const float *v, size_t v_stride, const float *u, float *m, int rows, int cp, int fp);

/// Whether this CPU runs the AVX-512 products below (x86-64 with AVX-512 F and VL; false elsewhere).
bool gonet_kernels512_available(void);

/// `gonet_winograd_products` with AVX-512 (rows of 32 outputs, 12 rows a block); same operands and
/// layout. Only call when `gonet_kernels512_available()`.
void gonet_winograd_products512(
    const float *v, size_t v_stride, const float *u, float *m, int rows, int cp, int fp);

/// Winograd's input transform for tiles t0..<t1 of one board's grid (`[grid rows][grid_x][cp]`,
/// tiles_x tiles a row): V[xi][k - t0][c] at v + xi·stride + (k - t0)·cp + c. cp is a multiple of 8.
void gonet_winograd_input(
    const float *grid, float *v, int t0, int t1, int tiles_x, int grid_x, int cp, size_t stride);

/// Winograd's output transform for tiles t0..<t1 of one board (m: `[36][t1 - t0][fp]`), plus
/// bias (fp floats), plus the residual (the board's grid, or NULL), through the activation `kind`
/// (GONET_ACTIVATION_*), written to the board points of the board's grid y (`[grid rows][grid_x][fp]`).
void gonet_winograd_output_grid(
    const float *m, float *y, int t0, int t1, int tiles_x, int grid_x, int height, int width, int fp,
    const float *bias, const float *residual, int kind);

/// The filter gradient's transform for tiles t0..<t1 of one board's grid of output gradients
/// (`[grid rows][grid_x][fp]`, the forward input's one-point border, zero off the board):
/// Z[xi][k - t0][f] = (A·dy·Aᵀ)[xi] at z + xi·stride + (k - t0)·fp + f. fp is a multiple of 8.
void gonet_winograd_output_gradient(
    const float *grid, float *z, int t0, int t1, int tiles_x, int grid_x, int fp, size_t stride);

/// Fills grid rows r0..<r1 (clamped by the caller to the grid) of board `board`'s zero-bordered
/// grid (`[grid rows][grid_x][cp]`, grid row r holding board row r - 1, column c at grid column
/// c + 1) from the channel-major activations x (`[cin][n]`, n = batch·height·width); channels
/// cin..<cp are zero. cp is a multiple of 8.
void gonet_winograd_lay_out_rows(
    const float *x, float *grid, int board, size_t n, int r0, int r1, int cin, int cp, int height, int width,
    int grid_x);

/// Winograd's output transform for tiles t0..<t1 of board `board` (m: `[36][t1 - t0][fp]`) written
/// to the channel-major y (`[f][n]`, n = batch·height·width) plus bias (f floats, or NULL), plus
/// the residual (same layout as y, or NULL), ReLU'd when `relu`; `stage` holds 16·tiles_x·fp floats.
void gonet_winograd_output_rows(
    const float *m, float *y, int board, size_t n, int t0, int t1, int tiles_x, int height, int width, int fp,
    int f, float *stage, const float *bias, const float *residual, int relu);

/// The activations the kernels apply: none, ReLU, swish (x·sigmoid(x)), hard swish
/// (x·min(max(x + 3, 0), 6)/6).
enum { GONET_ACTIVATION_IDENTITY = 0, GONET_ACTIVATION_RELU = 1, GONET_ACTIVATION_SWISH = 2, GONET_ACTIVATION_HARD_SWISH = 3 };

/// y ← f(x) for n floats, f the activation `kind`; x and y may be the same.
void gonet_activation(const float *x, float *y, size_t n, int kind);

/// dz ← dy · f′(z) for n floats, f swish or hard swish (`kind`); dy and dz may be the same.
void gonet_activation_gradient(const float *z, const float *dy, float *dz, size_t n, int kind);

/// One board of one channel of a depthwise convolution: y (height × width) = bias + the k×k
/// correlation of x (height × width) with w (k·k, row-major), zero padding, k 3 or 5; with `flip`
/// the filter is turned by 180° (the input gradient: dy through the flipped filter). Boards up
/// to 64 × 64.
void gonet_depthwise_board(
    const float *x, const float *w, float bias, float *y, int height, int width, int k, int flip);

/// g[t] += Σ over the board of dy[p] · x[p + tap t's offset] (zero padding) for the k·k taps t:
/// the weight gradient of `gonet_depthwise_board` for one board of one channel.
void gonet_depthwise_weight_gradient(const float *x, const float *dy, float *g, int height, int width, int k);

/// Batch norm's statistics over the board points of one board's grid (`[grid rows][grid_x][cp]`,
/// board point (r, c) at grid point (r + 1, c + 1)): per channel, the sum and the sum of squared
/// deviations from the board's own mean (cp floats each). cp is a multiple of 8.
void gonet_grid_moments(const float *grid, int height, int width, int grid_x, int cp, float *sum, float *m2);

/// Batch norm's output over one board's points: x becomes x̂ = (x − mean)·inv in place, and y gets
/// scale·x̂ + shift (+ the residual's point, when residual is not NULL), ReLU'd when `relu`. The
/// per-channel arrays hold cp floats; x, y and the residual are the board's grids.
void gonet_grid_normalise(
    float *x, float *y, const float *residual, int height, int width, int grid_x, int cp, const float *mean,
    const float *inv, const float *scale, const float *shift, int relu);

/// Batch norm's backward sums over one board's points: g = dy, masked by y > 0 when `relu` (and
/// written to mask_out's points when it is not NULL); sum_g = Σ g and sum_gx = Σ g·x̂ per channel.
void gonet_grid_norm_gradient_sums(
    const float *xhat, const float *y, const float *dy, float *mask_out, int height, int width, int grid_x, int cp,
    int relu, float *sum_g, float *sum_gx);

/// Batch norm's input gradient over one board's points: dx = a·g − b − x̂·c per channel, g as in
/// `gonet_grid_norm_gradient_sums`.
void gonet_grid_norm_input_gradient(
    const float *xhat, const float *y, const float *dy, float *dx, int height, int width, int grid_x, int cp,
    int relu, const float *a, const float *b, const float *c);

#endif
