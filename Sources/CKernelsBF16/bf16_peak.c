// The bf16 peak loop of ckernels_bf16.h: 24 independent vdpbf16ps chains (as many as the
// GEMM micro-kernel's accumulators) cover the instruction's latency on two pipes. (With 12
// chains it measured 530 GFLOP/s on the Zen 5 core, with 24 575: 12 do not cover it.)
#include "ckernels_bf16.h"
#include <immintrin.h>

static volatile float seed_a = 0.5f, seed_b = 0.25f;

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
static float peak_loop(int64_t iterations) {
    // Small operands keep the sums finite for any iteration count the benchmark uses.
    __m512bh x = _mm512_cvtne2ps_pbh(_mm512_set1_ps(seed_a * 1e-6f), _mm512_set1_ps(seed_a * 1e-6f));
    __m512bh y = _mm512_cvtne2ps_pbh(_mm512_set1_ps(seed_b), _mm512_set1_ps(seed_b));
    __m512 acc[24];
#pragma clang loop unroll(full)
    for (int i = 0; i < 24; i++) acc[i] = _mm512_set1_ps((float)i);  // distinct chains
    for (int64_t n = 0; n < iterations; n++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < 24; i++) acc[i] = _mm512_dpbf16_ps(acc[i], x, y);
    }
    __m512 sum = acc[0];
#pragma clang loop unroll(full)
    for (int i = 1; i < 24; i++) sum = _mm512_add_ps(sum, acc[i]);
    return _mm512_reduce_add_ps(sum);
}

float docket_bf16_peak_loop(int64_t iterations) {
    return docket_bf16_supported() ? peak_loop(iterations) : 0.0f;
}
