// See include/ckernels_peak.h. Twelve independent accumulators cover the FMA latency
// (4 cycles) on two FMA ports.
#include "ckernels_peak.h"
#include <immintrin.h>

// Read through volatile so the compiler cannot fold the loop (a·m + c has a fixed point).
static volatile float multiplier = 0.9999f, addend = 1e-4f, start = 0.5f;

#define ROUND(OP) \
    a0 = OP(a0, m, c); a1 = OP(a1, m, c); a2 = OP(a2, m, c); a3 = OP(a3, m, c); \
    a4 = OP(a4, m, c); a5 = OP(a5, m, c); a6 = OP(a6, m, c); a7 = OP(a7, m, c); \
    a8 = OP(a8, m, c); a9 = OP(a9, m, c); a10 = OP(a10, m, c); a11 = OP(a11, m, c);

__attribute__((target("avx512f")))
static float loop512(long iterations) {
    __m512 m = _mm512_set1_ps(multiplier), c = _mm512_set1_ps(addend);
    // Distinct starting values, or the compiler merges the twelve chains into one.
    __m512 a0 = _mm512_set1_ps(start), a1 = _mm512_add_ps(a0, c), a2 = _mm512_add_ps(a1, c);
    __m512 a3 = _mm512_add_ps(a2, c), a4 = _mm512_add_ps(a3, c), a5 = _mm512_add_ps(a4, c);
    __m512 a6 = _mm512_add_ps(a5, c), a7 = _mm512_add_ps(a6, c), a8 = _mm512_add_ps(a7, c);
    __m512 a9 = _mm512_add_ps(a8, c), a10 = _mm512_add_ps(a9, c), a11 = _mm512_add_ps(a10, c);
    for (long i = 0; i < iterations; i++) { ROUND(_mm512_fmadd_ps) }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                             _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
    return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma")))
static float loop256(long iterations) {
    __m256 m = _mm256_set1_ps(multiplier), c = _mm256_set1_ps(addend);
    // Distinct starting values, or the compiler merges the twelve chains into one.
    __m256 a0 = _mm256_set1_ps(start), a1 = _mm256_add_ps(a0, c), a2 = _mm256_add_ps(a1, c);
    __m256 a3 = _mm256_add_ps(a2, c), a4 = _mm256_add_ps(a3, c), a5 = _mm256_add_ps(a4, c);
    __m256 a6 = _mm256_add_ps(a5, c), a7 = _mm256_add_ps(a6, c), a8 = _mm256_add_ps(a7, c);
    __m256 a9 = _mm256_add_ps(a8, c), a10 = _mm256_add_ps(a9, c), a11 = _mm256_add_ps(a10, c);
    for (long i = 0; i < iterations; i++) { ROUND(_mm256_fmadd_ps) }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}

int docket_fma_lanes(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 16;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 8;
    return 0;
}

float docket_fma_loop(long iterations) {
    switch (docket_fma_lanes()) {
    case 16: return loop512(iterations);
    case 8: return loop256(iterations);
    default: return 0.0f;
    }
}
