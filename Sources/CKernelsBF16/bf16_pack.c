// CPU check, scalar bf16 rounding and the weight packing of ckernels_bf16.h.
#include "ckernels_bf16.h"
#include <string.h>

int docket_bf16_supported(void) {
    __builtin_cpu_init();
    // compiler-rt reports AVX-512 features only when the OS saves the ZMM and mask state.
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bf16");
}

int64_t docket_bf16_packed_count(int64_t out_features, int64_t in_features) {
    if (out_features <= 0 || in_features <= 0) return 0;
    return (out_features + 31) / 32 * ((in_features + 1) / 2) * 64;
}

uint16_t docket_bf16_round(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    uint32_t sign = bits & 0x80000000u, magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x0040u);  // quiet NaN
    if (magnitude < 0x00800000u) return (uint16_t)(sign >> 16);              // subnormal -> ±0
    // Round to nearest, ties to even: add 0x7fff plus the lowest kept bit, then truncate.
    // Overflow past the largest finite value carries into the exponent and gives ±inf.
    return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

void docket_bf16_pack(uint16_t *packed, const float *weight, int64_t out_features, int64_t in_features) {
    int64_t pairs = (in_features + 1) / 2, panels = (out_features + 31) / 32;
    for (int64_t p = 0; p < panels; p++) {
        uint16_t *panel = packed + p * pairs * 64;
        for (int64_t j = 0; j < 32; j++) {
            int64_t n = p * 32 + j;
            const float *row = n < out_features ? weight + n * in_features : 0;
            for (int64_t kk = 0; kk < pairs; kk++) {
                int64_t k = 2 * kk;
                uint16_t *slot = panel + kk * 64 + 2 * j;
                slot[0] = row ? docket_bf16_round(row[k]) : 0;
                slot[1] = row && k + 1 < in_features ? docket_bf16_round(row[k + 1]) : 0;
            }
        }
    }
}
