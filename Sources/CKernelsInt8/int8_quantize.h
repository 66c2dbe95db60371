// The quantization rules of ckernels_int8.h in one place, shared by the scalar packing / test
// path (int8_pack.c) and the vectorised activation quantizer (int8_linear.c): both compute the
// same FP32 multipliers and round the same FP32 products half to even, so they agree bit for bit.
#ifndef CKERNELS_INT8_QUANTIZE_H
#define CKERNELS_INT8_QUANTIZE_H

#include <float.h>
#include <math.h>
#include <stdint.h>

#define INT8_FINITE_MAX FLT_MAX
/// Rows whose largest magnitude is below this quantize to zeros (127 / max would overflow
/// or lose all precision); their contribution (< 1e−30 per element) is dropped.
#define INT8_TINY_MAX 1e-30f

/// Scale m / 127 and multiplier 127 / m for a row with largest magnitude m; 0 and 0 for a
/// zero or tiny row; NaN and 0 for a row with Inf or NaN (finite = 0).
static inline float int8_scale_for_max(float m, int finite, float *inverse) {
    if (!finite) { *inverse = 0; return NAN; }
    if (m < INT8_TINY_MAX) { *inverse = 0; return 0; }
    *inverse = 127.0f / m;
    return m / 127.0f;
}

/// round_half_even(x · inverse) clamped to [−127, 127] (the default rounding mode is to
/// nearest even, as cvtps2dq uses).
static inline int8_t int8_quantize_value(float x, float inverse) {
    float y = x * inverse;
    if (!(y == y)) return 0;
    long v = lrintf(y);
    return (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
}

/// Activation rule for a row with lo = min(min x, 0), hi = max(max x, 0): scale
/// (hi − lo) / 255, multiplier 255 / (hi − lo), zero point round_half_even(−lo · multiplier)
/// in [0, 255]. A tiny range (< 1e−30) gives 0, 0, 0; a row with Inf or NaN NaN, 0, 0.
static inline float int8_activation_params(float lo, float hi, int finite, float *inverse, int32_t *zero) {
    *inverse = 0; *zero = 0;
    if (!finite) return NAN;
    float range = hi - lo;
    if (!(range >= INT8_TINY_MAX)) return 0;
    *inverse = 255.0f / range;
    long z = lrintf(-lo * *inverse);
    *zero = (int32_t)(z > 255 ? 255 : z < 0 ? 0 : z);
    return range / 255.0f;
}

/// round_half_even(x · inverse) + zero clamped to [0, 255].
static inline uint8_t int8_activation_value(float x, float inverse, int32_t zero) {
    float y = x * inverse;
    long v = (y == y ? lrintf(y) : 0) + zero;
    return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
}

#endif
