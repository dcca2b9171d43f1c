// Winograd F(4x4, 3x3)'s output transform, first half, 8 channels at a time: what the grid and
// the channel-major kernels (WinogradTransforms.c, WinogradRows.c) share.
#ifndef GONET_WINOGRAD_TILE_H
#define GONET_WINOGRAD_TILE_H

#include "Lanes.h"

// t = Aᵀ·m (4x6), column by column, for the tile whose 36 products are at m + ξ·stride. Each
// caller finishes Y = t·A row by row, as it stores them: computing all 16 outputs first made
// the budget network's inference 20% slower at batch 8 (register spills).
static inline __attribute__((always_inline)) void winograd_output_columns(const float *m, size_t stride, lane t[24]) {
    for (int s = 0; s < 6; s++) {
        const float *p = m + (size_t)s * stride;
        const lane m0 = load(p), m1 = load(p + 6 * stride), m2 = load(p + 12 * stride), m3 = load(p + 18 * stride),
                   m4 = load(p + 24 * stride), m5 = load(p + 30 * stride);
        t[s] = m0 + m1 + m2 + m3 + m4;
        t[6 + s] = m1 - m2 + 2 * (m3 - m4);
        t[12 + s] = m1 + m2 + 4 * (m3 + m4);
        t[18 + s] = m1 - m2 + 8 * (m3 - m4) + m5;
    }
}

#endif
