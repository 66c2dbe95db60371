// BF16 linear layer for inference on CPUs with AVX512_BF16 (vdpbf16ps): weights packed once
// into bf16 panels, activations rounded to bf16 as they are fed to the micro-kernel, FP32
// accumulation. Every function is compiled for AVX-512 through per-function target
// attributes; call docket_bf16_supported() first (the others return an error or do nothing
// on a CPU without AVX512_BF16).
//
// Layouts
//   weight  (out_features, in_features) FP32 row-major, as nn.Linear stores it.
//   packed  panels of 32 output columns: panel p holds columns [32p, 32p + 32) and, for each
//           pair index kk in [0, Kp), Kp = ceil(in_features / 2), 32 bf16 pairs
//           (w[n][2kk], w[n][2kk+1]) for n = 32p … 32p+31: 64 uint16 per (panel, kk).
//           Columns past out_features and the odd column's pad k are zeros.
//   input   (rows, in_features) FP32 row-major; out (rows, out_features) FP32 row-major.
#ifndef CKERNELS_BF16_H
#define CKERNELS_BF16_H

#include <stdint.h>

/// 1 when the CPU and OS support AVX-512F/BW/VL and AVX512_BF16, else 0.
int docket_bf16_supported(void);

/// Number of uint16 elements of the packed weight for (out_features, in_features):
/// ceil(out/32) · ceil(in/2) · 64.
int64_t docket_bf16_packed_count(int64_t out_features, int64_t in_features);

/// Packs `weight` (out, in) into `packed` (docket_bf16_packed_count elements), rounding each
/// value to bf16 (nearest, ties to even; subnormals to signed zero, NaN stays NaN as the
/// hardware conversion does).
void docket_bf16_pack(uint16_t *packed, const float *weight, int64_t out_features, int64_t in_features);

/// out[r] = bf16(input[r]) · bf16(W)ᵀ + bias for rows r in [row_begin, row_end), FP32
/// accumulation; bias (out_features) may be NULL. Rows outside the range are not touched,
/// so several threads may run disjoint ranges of one call. Returns 0, or -1 when a scratch
/// buffer could not be allocated, -2 when the CPU lacks AVX512_BF16.
int docket_bf16_linear(float *out, const float *input, const uint16_t *packed, const float *bias,
                       int64_t in_features, int64_t out_features, int64_t row_begin, int64_t row_end);

/// Runs `iterations` rounds of 24 independent vdpbf16ps on zmm registers (24 · 64 flops per
/// round) and returns a checksum: the bf16 peak of one core (docket bench kernels). Returns 0
/// without running on a CPU lacking AVX512_BF16.
float docket_bf16_peak_loop(int64_t iterations);

/// The bf16 bit pattern of x, rounded as docket_bf16_pack does (portable C, for tests).
uint16_t docket_bf16_round(float x);

#endif
