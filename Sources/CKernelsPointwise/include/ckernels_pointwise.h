// Element-wise kernels of the encoder's forward pass, vectorised for the CPU at hand: the
// fused bias + exact-form GELU of the feed-forward layer and the masked row softmax of
// attention. Swift's Kernels compiles for the baseline x86-64 ISA (no unsafeFlags), so its
// loops run 4 floats wide; these run 16 wide on AVX-512 CPUs and 8 wide on AVX2 + FMA ones,
// chosen once per process from cpuid (portable C otherwise). Same formulas and constants as
// the Swift kernels they replaced (erf1 in Sources/Kernels/FusedBiasGELU.swift, expNeg in
// VectorMath.swift); results agree with the reference kernels (geluForward, softmax) to a few
// float32 ulps. Tests: KernelsTests' PointwiseKernelTests force each build. (The fused
// residual + LayerNorm stays in Swift: a C build of it measured no faster.)
#ifndef CKERNELS_POINTWISE_H
#define CKERNELS_POINTWISE_H

#include <stdint.h>

/// For each of `rows` rows of `cols` floats: pre[r, j] += bias[j]; act[r, j] = GELU(pre[r, j])
/// = 0.5·v·(1 + erf(v/√2)). `act` may equal `pre` (then only the activation is stored).
void docket_bias_gelu_rows(float *pre, float *act, const float *bias, int64_t rows, int64_t cols);

/// out[i] = GELU(in[i]) for i < n, bit for bit what docket_bias_gelu_rows stores for the same
/// pre-activation (training recomputes the activation with it). out may equal in.
void docket_gelu(float *out, const float *in, int64_t n);

/// For each of `rows` rows of `n` scores, rows `stride` ≥ n floats apart: scores of keys with
/// key_mask[j] == 0 become the lowest finite float (HF's masked_fill; key_mask may be NULL),
/// then softmax in place (max-subtracted, as PyTorch). Entries n..<stride are not touched.
void docket_masked_softmax_rows(float *scores, int64_t rows, int64_t n, int64_t stride, const int32_t *key_mask);

/// The instruction set the kernels above use here: 512 (AVX-512F), 256 (AVX2 + FMA) or 0
/// (portable C).
int docket_pointwise_vector_bits(void);

/// Tests only: use at most `bits` (512, 256 or 0) from now on, never more than the CPU has;
/// -1 restores the cpuid choice. Returns the width now in use.
int docket_pointwise_limit_vector_bits(int bits);

#endif
