// A fused multiply-add loop for measuring the machine's FP32 peak (docket bench kernels).
// Swift cannot target AVX-512 per function without compiler flags, so this one loop is C with
// per-function target attributes and a runtime CPU check.
#ifndef CKERNELS_PEAK_H
#define CKERNELS_PEAK_H

/// Widest FMA vector the CPU supports, in floats: 16 (AVX-512F), 8 (AVX2+FMA) or 0 (none).
int docket_fma_lanes(void);

/// Runs `iterations` rounds of 12 independent vector FMAs at the widest width available
/// (2 · 12 · lanes flops per round) and returns a checksum that keeps the work alive.
float docket_fma_loop(long iterations);

#endif
