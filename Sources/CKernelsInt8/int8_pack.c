// CPU check, the scalar quantization and the weight packing of ckernels_int8.h.
#include "ckernels_int8.h"
#include "int8_quantize.h"
#include <math.h>

int docket_int8_supported(void) {
    __builtin_cpu_init();
    // compiler-rt reports AVX-512 features only when the OS saves the ZMM and mask state.
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}

int64_t docket_int8_packed_bytes(int64_t out_features, int64_t in_features) {
    if (out_features <= 0 || in_features <= 0) return 0;
    return (out_features + 31) / 32 * ((in_features + 3) / 4) * 128;
}

int64_t docket_int8_padded_outputs(int64_t out_features) {
    return out_features <= 0 ? 0 : (out_features + 31) / 32 * 32;
}

/// The row's scale and the multiplier 127 / max (0 for an all-zero, tiny or non-finite row).
static float row_scale(const float *x, int64_t n, float *inverse) {
    float m = 0;
    int finite = 1;
    for (int64_t k = 0; k < n; k++) {
        float a = fabsf(x[k]);
        if (!(a <= INT8_FINITE_MAX)) finite = 0;  // Inf or NaN
        else if (a > m) m = a;
    }
    return int8_scale_for_max(m, finite, inverse);
}

float docket_int8_quantize(int8_t *q, const float *x, int64_t n) {
    float inverse;
    float scale = row_scale(x, n, &inverse);
    for (int64_t k = 0; k < n; k++) q[k] = int8_quantize_value(x[k], inverse);
    return scale;
}

float docket_int8_quantize_activations(uint8_t *u, int32_t *zero, const float *x, int64_t n) {
    float lo = 0, hi = 0;
    int finite = 1;
    for (int64_t k = 0; k < n; k++) {
        if (!(fabsf(x[k]) <= INT8_FINITE_MAX)) finite = 0;
        else if (x[k] < lo) lo = x[k];
        else if (x[k] > hi) hi = x[k];
    }
    float inverse;
    float scale = int8_activation_params(lo, hi, finite, &inverse, zero);
    for (int64_t k = 0; k < n; k++) u[k] = int8_activation_value(x[k], inverse, *zero);
    return scale;
}

void docket_int8_pack(int8_t *packed, float *scales, int32_t *colsums, const float *weight,
                      int64_t out_features, int64_t in_features) {
    int64_t groups = (in_features + 3) / 4, padded = docket_int8_padded_outputs(out_features);
    for (int64_t n = 0; n < padded; n++) {
        int64_t p = n / 32, j = n % 32;
        int8_t *column = packed + p * groups * 128 + 4 * j;  // + g·128 + (k % 4) for input k
        if (n >= out_features) {
            for (int64_t g = 0; g < groups; g++)
                for (int t = 0; t < 4; t++) column[g * 128 + t] = 0;
            scales[n] = 0; colsums[n] = 0;
            continue;
        }
        const float *row = weight + n * in_features;
        float inverse;
        scales[n] = row_scale(row, in_features, &inverse);
        int32_t sum = 0;
        for (int64_t k = 0; k < groups * 4; k++) {
            int8_t v = k < in_features ? int8_quantize_value(row[k], inverse) : 0;
            column[(k / 4) * 128 + k % 4] = v;
            sum += v;
        }
        colsums[n] = sum;
    }
}
