// INT8 linear layer for inference on CPUs with AVX512_VNNI (vpdpbusd: u8 × s8 products, four
// per 32-bit lane, summed into int32). Weights are quantized once (symmetric int8, per output
// channel) and packed into panels; activations are quantized per row (asymmetric u8, per
// token) as they are fed to the micro-kernel; the exact int32 sums are scaled back to FP32 and
// the bias is added in FP32. Every AVX-512 function is compiled through per-function target
// attributes; call docket_int8_supported() first (the GEMM returns an error without VNNI).
//
// Weights (docket_int8_quantize, per output channel n): m = max_k |w[n][k]|; scale_n = m / 127;
//   q_w[k] = clamp(round_half_even(w[k] · (127 / m)), −127, 127) (FP32 multiply, then
//   rounding), so w ≈ scale_n · q_w. m < 1e−30 gives scale 0 and q = 0.
// Activations (docket_int8_quantize_activations, per input row r): lo = min(min_k x[k], 0),
//   hi = max(max_k x[k], 0); scale_r = (hi − lo) / 255, z_r = round_half_even(−lo · 255 / (hi − lo));
//   u[k] = clamp(round_half_even(x[k] · 255 / (hi − lo)) + z_r, 0, 255), so
//   x ≈ scale_r · (u − z_r): all 256 levels cover the row's own range (GELU outputs, mostly
//   ≥ −0.17, get twice the resolution of a symmetric code). A range < 1e−30 gives scale 0;
//   a row holding Inf or NaN gives scale NaN (its outputs become NaN).
// Product: acc[r][n] = Σ_k (u[r][k] − z_r)·q_w[n][k] = Σ_k u·q_w − z_r·colsum_n, exact in int32
//   (|acc| ≤ 255·127·K + z_r·|colsum_n| < 2³¹ for K < 33 000): the accumulators start at
//   −z_r·colsum_n. out[r][n] = fma((float)acc, scale_r · scale_n, bias_n) (FP32; bias 0 when NULL).
//
// Layouts
//   weight  (out_features, in_features) FP32 row-major, as nn.Linear stores it.
//   packed  int8 panels of 32 output columns: panel p holds columns [32p, 32p + 32) and, for
//           each group g in [0, G), G = ceil(in_features / 4), 128 bytes: column 32p + j's
//           four quantized weights q_w[n][4g … 4g+3] at bytes 4j … 4j+3 (what one 32-bit lane
//           of vpdpbusd reads). Byte offset of (p, g): (p·G + g)·128. Columns past
//           out_features and inputs past in_features are zeros.
//   scales  FP32, ceil(out/32)·32 entries: scale_n (0 past out_features).
//   colsums int32, ceil(out/32)·32 entries: Σ_k q_w[n][k] (0 past out_features).
//   input   (rows, in_features) FP32 row-major; out (rows, out_features) FP32 row-major.
#ifndef CKERNELS_INT8_H
#define CKERNELS_INT8_H

#include <stdint.h>

/// 1 when the CPU and OS support AVX-512F/BW/VL and AVX512_VNNI, else 0.
int docket_int8_supported(void);

/// Bytes of the packed weight for (out_features, in_features): ceil(out/32) · ceil(in/4) · 128.
int64_t docket_int8_packed_bytes(int64_t out_features, int64_t in_features);

/// Entries of the scales and colsums arrays: ceil(out/32) · 32.
int64_t docket_int8_padded_outputs(int64_t out_features);

/// Quantizes `weight` (out, in) per output channel into `packed`
/// (docket_int8_packed_bytes bytes), `scales` and `colsums` (docket_int8_padded_outputs
/// entries each). Portable C; runs once per weight.
void docket_int8_pack(int8_t *packed, float *scales, int32_t *colsums, const float *weight,
                      int64_t out_features, int64_t in_features);

/// Quantizes one weight row x[0 ..< n] into q[0 ..< n] and returns its scale, exactly as the
/// packing does. Portable C, for tests.
float docket_int8_quantize(int8_t *q, const float *x, int64_t n);

/// Quantizes one activation row x[0 ..< n] into u[0 ..< n] and *zero, and returns its scale,
/// exactly as the GEMM's vectorised quantizer does. Portable C, for tests.
float docket_int8_quantize_activations(uint8_t *u, int32_t *zero, const float *x, int64_t n);

/// out[r] = dequant(quant(input[r]) · packedᵀ) + bias for rows r in [row_begin, row_end),
/// then, when gelu is nonzero, the exact-form GELU 0.5·y·(1 + erf(y/√2)) of that (erf by the
/// rational fit of the encoder's fused bias + GELU, max |error| 3.2e-7). bias (out_features)
/// may be NULL. Rows outside the range are not touched, so several threads may run disjoint
/// ranges of one call. Returns 0, or −1 when a scratch buffer could not be allocated, −2 when
/// the CPU lacks AVX512_VNNI.
int docket_int8_linear(float *out, const float *input, const int8_t *packed, const float *scales,
                       const int32_t *colsums, const float *bias, int gelu, int64_t in_features,
                       int64_t out_features, int64_t row_begin, int64_t row_end);

/// Runs `iterations` rounds of 24 independent vpdpbusd on zmm registers (24 · 64
/// multiply-adds = 24 · 128 operations per round) and returns a checksum: the int8 peak of one
/// core (docket bench kernels). Returns 0 without running on a CPU lacking AVX512_VNNI.
int64_t docket_int8_peak_loop(int64_t iterations);

#endif
