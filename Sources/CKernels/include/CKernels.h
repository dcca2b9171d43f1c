#ifndef GONET_KERNELS_H
#define GONET_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

/// Whether this CPU runs the AVX2/FMA kernels below (x86-64 with AVX2 and FMA; false elsewhere).
bool gonet_kernels_available(void);

/// Winograd's 36 products of one chunk of tiles: for xi in 0..<36,
/// M[xi] (rows × fp) = V[xi] (rows × cp) · U[xi] (cp × fp), all row-major, where
/// V[xi] = v + xi·v_stride (leading dimension cp), U[xi] = u + xi·cp·fp (leading dimension fp) and
/// M[xi] = m + xi·rows·fp (leading dimension fp). cp and fp are multiples of 8.
/// Only call when `gonet_kernels_available()`.
void gonet_winograd_products(
    const float *v, size_t v_stride, const float *u, float *m, int rows, int cp, int fp);

#endif
