// INT8 linear layer for inference on CPUs with AVX512_VNNI (vpdpbusd: u8 × s8 products, four
// per 32-bit lane, summed into int32). Weights are quantized once (symmetric, per output
// channel) and packed into panels; activations are quantized per row (symmetric, per token)
// as they are fed to the micro-kernel; the int32 sums are scaled back to FP32 and the bias is
// added in FP32. Every AVX-512 function is compiled through per-function target attributes;
// call docket_int8_supported() first (the GEMM returns an error on a CPU without VNNI).
//
// Quantization (the same arithmetic for weights and activations, docket_int8_quantize):
//   m = max_k |x[k]| over one row (a weight row = one output channel, or one input row);
//   scale = m / 127, q[k] = clamp(round_half_even(x[k] · (127 / m)), −127, 127) (FP32
//   multiply, then rounding), so x[k] ≈ scale · q[k]. m = 0 (or m < 1e−30) gives scale 0 and
//   q = 0; a row holding Inf or NaN gives scale NaN and q = 0 (its outputs become NaN).
// Product: vpdpbusd needs one unsigned operand, so activations are stored as u = q + 128
//   (1…255) and Σ_k u·w = Σ_k q·w + 128·colsum(w): the accumulators start at
//   offset_n = −128·Σ_k w_q[n][k], so they end holding exactly Σ_k q_x[k]·q_w[n][k].
//   out[r][n] = fma((float)acc, scale_r · scale_n, bias_n)  (FP32; bias 0 when NULL).
//
// Layouts
//   weight  (out_features, in_features) FP32 row-major, as nn.Linear stores it.
//   packed  int8 panels of 32 output columns: panel p holds columns [32p, 32p + 32) and, for
//           each group g in [0, G), G = ceil(in_features / 4), 128 bytes: column 32p + j's
//           four quantized weights q_w[n][4g … 4g+3] at bytes 4j … 4j+3 (what one 32-bit lane
//           of vpdpbusd reads). Byte offset of (p, g): (p·G + g)·128. Columns past
//           out_features and inputs past in_features are zeros.
//   scales  FP32, ceil(out/32)·32 entries: scale_n (0 past out_features).
//   offsets int32, ceil(out/32)·32 entries: −128·Σ_k q_w[n][k] (0 past out_features).
//   input   (rows, in_features) FP32 row-major; out (rows, out_features) FP32 row-major.
#ifndef CKERNELS_INT8_H
#define CKERNELS_INT8_H

#include <stdint.h>

/// 1 when the CPU and OS support AVX-512F/BW/VL and AVX512_VNNI, else 0.
int docket_int8_supported(void);

/// Bytes of the packed weight for (out_features, in_features): ceil(out/32) · ceil(in/4) · 128.
int64_t docket_int8_packed_bytes(int64_t out_features, int64_t in_features);

/// Entries of the scales and offsets arrays: ceil(out/32) · 32.
int64_t docket_int8_padded_outputs(int64_t out_features);

/// Quantizes `weight` (out, in) per output channel into `packed`
/// (docket_int8_packed_bytes bytes), `scales` and `offsets` (docket_int8_padded_outputs
/// entries each). Portable C; runs once per weight.
void docket_int8_pack(int8_t *packed, float *scales, int32_t *offsets, const float *weight,
                      int64_t out_features, int64_t in_features);

/// Quantizes one row x[0 ..< n] into q[0 ..< n] and returns its scale, exactly as the packing
/// (weights) and the GEMM (activations, vectorised) do. Portable C, for tests.
float docket_int8_quantize(int8_t *q, const float *x, int64_t n);

/// out[r] = dequant(quant(input[r]) · packedᵀ) + bias for rows r in [row_begin, row_end);
/// bias (out_features) may be NULL. Rows outside the range are not touched, so several
/// threads may run disjoint ranges of one call. Returns 0, or −1 when a scratch buffer could
/// not be allocated, −2 when the CPU lacks AVX512_VNNI.
int docket_int8_linear(float *out, const float *input, const int8_t *packed, const float *scales,
                       const int32_t *offsets, const float *bias, int64_t in_features, int64_t out_features,
                       int64_t row_begin, int64_t row_end);

/// Runs `iterations` rounds of 24 independent vpdpbusd on zmm registers (24 · 64
/// multiply-adds = 24 · 128 operations per round) and returns a checksum: the int8 peak of one
/// core (docket bench kernels). Returns 0 without running on a CPU lacking AVX512_VNNI.
int64_t docket_int8_peak_loop(int64_t iterations);

#endif
