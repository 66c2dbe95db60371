// The int8 peak loop of ckernels_int8.h: 24 independent vpdpbusd chains (as many as the GEMM
// micro-kernel's accumulators) on zmm registers.
#include "ckernels_int8.h"
#include <immintrin.h>

static volatile int32_t seed_a = 1, seed_b = 2;

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static int64_t peak_loop(int64_t iterations) {
    __m512i x = _mm512_set1_epi32(seed_a), y = _mm512_set1_epi32(seed_b);
    __m512i acc[24];
#pragma clang loop unroll(full)
    for (int i = 0; i < 24; i++) acc[i] = _mm512_set1_epi32(i);  // distinct chains
    for (int64_t n = 0; n < iterations; n++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < 24; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], x, y);
    }
    __m512i sum = acc[0];
#pragma clang loop unroll(full)
    for (int i = 1; i < 24; i++) sum = _mm512_add_epi32(sum, acc[i]);
    return _mm512_reduce_add_epi32(sum);  // wraps harmlessly: a checksum only
}

int64_t docket_int8_peak_loop(int64_t iterations) {
    return docket_int8_supported() ? peak_loop(iterations) : 0;
}
