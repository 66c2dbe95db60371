// The kernels of ckernels_pointwise.h. Three builds of each loop: AVX-512F intrinsics,
// AVX2 + FMA intrinsics, and portable C for other CPUs; the choice is made once from cpuid
// (__builtin_cpu_supports) and cached. Tails (n not a multiple of the width) use masked
// loads/stores on AVX-512 and the portable loop elsewhere.
//
// erf: the rational fit of FusedBiasGELU.swift, erf(z) ≈ a·P(a²)/Q(a²) with a = clamp(z, ±3.92)
//   (max |error| 3.2e-7). exp (softmax, arguments ≤ 0): expNeg of VectorMath.swift — range
//   reduction x = n·ln2 + r with the 1.5·2^23 rounding trick, a degree-7 Taylor polynomial in
//   r, 2^n put into the exponent bits; 0 below −87.
#include "ckernels_pointwise.h"
#include <float.h>
#include <immintrin.h>

#define P0 1.128379225730896f
#define P1 0.18518085777759552f
#define P2 0.054037030786275864f
#define P3 0.003812768030911684f
#define P4 0.0003674731415230781f
#define P5 4.359457307145931e-06f
#define P6 (-1.1502484298375748e-08f)
#define Q1 0.49744564294815063f
#define Q2 0.11370401084423065f
#define Q3 0.015346050262451172f
#define Q4 0.0012837821850553155f
#define Q5 6.003619637340307e-05f
#define INV_SQRT2 0.70710678118654752f
#define LOG2E 1.4426950408889634f
#define ROUNDER 12582912.0f
#define LN2_HI 0.693145751953125f
#define LN2_LO 1.428606765330187e-06f

// ---- portable C (any CPU; the compiler vectorises at the baseline ISA) ----

static inline float erf_fit(float z) {
    float a = z < -3.92f ? -3.92f : (z > 3.92f ? 3.92f : z), s = a * a;
    float p = ((((((P6 * s + P5) * s + P4) * s + P3) * s + P2) * s + P1) * s + P0);
    float q = (((((Q5 * s + Q4) * s + Q3) * s + Q2) * s + Q1) * s + 1.0f);
    return a * p / q;
}

static inline float exp_neg(float x) {
    float xc = x < -87.0f ? -87.0f : x;
    float v = xc * LOG2E + ROUNDER, n = v - ROUNDER;
    float r = (xc - n * LN2_HI) - n * LN2_LO;
    float p = 1 + r * (1 + r * (0.5f + r * (0.16666666666666666f + r * (0.041666666666666664f
        + r * (0.008333333333333333f + r * (0.001388888888888889f + r * 0.0001984126984126984f))))));
    union { float f; int32_t i; } bits = { .f = v }, scale;
    scale.i = (bits.i - 0x4B400000 + 127) << 23;
    return x < -87.0f ? 0.0f : p * scale.f;
}

static void gelu_span_c(float *x, float *y, const float *bias, int64_t n) {
    for (int64_t j = 0; j < n; j++) {
        float v = x[j] + bias[j];
        if (x != y) x[j] = v;
        y[j] = 0.5f * v * (1.0f + erf_fit(v * INV_SQRT2));
    }
}

static void gelu_c(float *out, const float *in, int64_t n) {
    for (int64_t j = 0; j < n; j++) out[j] = 0.5f * in[j] * (1.0f + erf_fit(in[j] * INV_SQRT2));
}

static void softmax_row_c(float *row, int64_t n, const int32_t *km) {
    float m = -FLT_MAX;
    for (int64_t j = 0; j < n; j++) {
        if (km && km[j] == 0) row[j] = -FLT_MAX;
        if (row[j] > m) m = row[j];
    }
    float total = 0;
    for (int64_t j = 0; j < n; j++) { row[j] = exp_neg(row[j] - m); total += row[j]; }
    float inv = 1.0f / total;
    for (int64_t j = 0; j < n; j++) row[j] *= inv;
}

// ---- AVX-512F: 16 floats per step, masked tails ----

#define T512 __attribute__((target("avx512f")))

/// Lanes [0, left) of 16 set (all when left ≥ 16). Full vectors are stored unmasked: on AMD Zen
/// a later load does not forward from a masked store.
T512 static inline __mmask16 tail_mask_512(int64_t left) {
    return left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
}

T512 static inline __m512 erf_fit_512(__m512 z) {
    __m512 a = _mm512_min_ps(_mm512_max_ps(z, _mm512_set1_ps(-3.92f)), _mm512_set1_ps(3.92f));
    __m512 s = _mm512_mul_ps(a, a);
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(P6), s, _mm512_set1_ps(P5));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(P4)); p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(P3));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(P2)); p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(P1));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(P0));
    __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(Q5), s, _mm512_set1_ps(Q4));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(Q3)); q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(Q2));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(Q1)); q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(1.0f));
    return _mm512_div_ps(_mm512_mul_ps(a, p), q);
}

T512 static inline __m512 gelu_512(__m512 v) {
    __m512 e = erf_fit_512(_mm512_mul_ps(v, _mm512_set1_ps(INV_SQRT2)));
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v), _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

T512 static void gelu_span_512(float *x, float *y, const float *bias, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m512 v = _mm512_add_ps(_mm512_loadu_ps(x + j), _mm512_loadu_ps(bias + j));
        if (x != y) _mm512_storeu_ps(x + j, v);
        _mm512_storeu_ps(y + j, gelu_512(v));
    }
    if (j < n) {
        __mmask16 k = (__mmask16)((1u << (n - j)) - 1);
        __m512 v = _mm512_add_ps(_mm512_maskz_loadu_ps(k, x + j), _mm512_maskz_loadu_ps(k, bias + j));
        if (x != y) _mm512_mask_storeu_ps(x + j, k, v);
        _mm512_mask_storeu_ps(y + j, k, gelu_512(v));
    }
}

T512 static void gelu_512_span(float *out, const float *in, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16) _mm512_storeu_ps(out + j, gelu_512(_mm512_loadu_ps(in + j)));
    if (j < n) {
        __mmask16 k = (__mmask16)((1u << (n - j)) - 1);
        _mm512_mask_storeu_ps(out + j, k, gelu_512(_mm512_maskz_loadu_ps(k, in + j)));
    }
}

T512 static inline __m512 exp_neg_512(__m512 x) {
    __m512 xc = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
    __m512 v = _mm512_fmadd_ps(xc, _mm512_set1_ps(LOG2E), _mm512_set1_ps(ROUNDER));
    __m512 n = _mm512_sub_ps(v, _mm512_set1_ps(ROUNDER));
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_LO), _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_HI), xc));
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(0.0001984126984126984f), r, _mm512_set1_ps(0.001388888888888889f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.008333333333333333f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.041666666666666664f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.16666666666666666f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    __m512i e = _mm512_slli_epi32(_mm512_add_epi32(_mm512_sub_epi32(_mm512_castps_si512(v),
                                  _mm512_set1_epi32(0x4B400000)), _mm512_set1_epi32(127)), 23);
    __mmask16 under = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_LT_OQ);
    return _mm512_maskz_mul_ps((__mmask16)~under, p, _mm512_castsi512_ps(e));
}

T512 static void softmax_row_512(float *row, int64_t n, const int32_t *km) {
    // Masked keys are blended in on every read instead of stored back: on AMD Zen a load does
    // not forward from an earlier masked store, and the store-then-reload stalled each vector.
    const __m512 lowest = _mm512_set1_ps(-FLT_MAX);
    __m512 mv = lowest;
    for (int64_t j = 0; j < n; j += 16) {
        __mmask16 k = tail_mask_512(n - j);
        __m512 s = _mm512_maskz_loadu_ps(k, row + j);
        if (km) s = _mm512_mask_blend_ps(_mm512_mask_cmpeq_epi32_mask(k, _mm512_maskz_loadu_epi32(k, km + j),
                                         _mm512_setzero_si512()), s, lowest);
        mv = _mm512_mask_max_ps(mv, k, mv, s);
    }
    __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(mv)), sum = _mm512_setzero_ps();
    for (int64_t j = 0; j < n; j += 16) {
        __mmask16 k = tail_mask_512(n - j);
        __m512 s = _mm512_maskz_loadu_ps(k, row + j);
        if (km) s = _mm512_mask_blend_ps(_mm512_mask_cmpeq_epi32_mask(k, _mm512_maskz_loadu_epi32(k, km + j),
                                         _mm512_setzero_si512()), s, lowest);
        __m512 e = exp_neg_512(_mm512_sub_ps(s, m));
        if (k == 0xFFFF) _mm512_storeu_ps(row + j, e); else _mm512_mask_storeu_ps(row + j, k, e);
        sum = _mm512_mask_add_ps(sum, k, sum, e);
    }
    __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (int64_t j = 0; j < n; j += 16) {
        __mmask16 k = tail_mask_512(n - j);
        __m512 p = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, row + j), inv);
        if (k == 0xFFFF) _mm512_storeu_ps(row + j, p); else _mm512_mask_storeu_ps(row + j, k, p);
    }
}

// ---- AVX2 + FMA: 8 floats per step, portable tail ----

#define T256 __attribute__((target("avx2,fma")))

T256 static inline __m256 erf_fit_256(__m256 z) {
    __m256 a = _mm256_min_ps(_mm256_max_ps(z, _mm256_set1_ps(-3.92f)), _mm256_set1_ps(3.92f));
    __m256 s = _mm256_mul_ps(a, a);
    __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(P6), s, _mm256_set1_ps(P5));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(P4)); p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(P3));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(P2)); p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(P1));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(P0));
    __m256 q = _mm256_fmadd_ps(_mm256_set1_ps(Q5), s, _mm256_set1_ps(Q4));
    q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(Q3)); q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(Q2));
    q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(Q1)); q = _mm256_fmadd_ps(q, s, _mm256_set1_ps(1.0f));
    return _mm256_div_ps(_mm256_mul_ps(a, p), q);
}

T256 static inline __m256 gelu_256(__m256 v) {
    __m256 e = erf_fit_256(_mm256_mul_ps(v, _mm256_set1_ps(INV_SQRT2)));
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), v), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

/// Lanes [0, n) of 8 set (n < 8): the tail goes through the same vector formula as the body,
/// so an element's result never depends on where a span starts.
T256 static inline __m256i tail_mask_256(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

T256 static void gelu_span_256(float *x, float *y, const float *bias, int64_t n) {
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256 v = _mm256_add_ps(_mm256_loadu_ps(x + j), _mm256_loadu_ps(bias + j));
        if (x != y) _mm256_storeu_ps(x + j, v);
        _mm256_storeu_ps(y + j, gelu_256(v));
    }
    if (j < n) {
        __m256i k = tail_mask_256(n - j);
        __m256 v = _mm256_add_ps(_mm256_maskload_ps(x + j, k), _mm256_maskload_ps(bias + j, k));
        if (x != y) _mm256_maskstore_ps(x + j, k, v);
        _mm256_maskstore_ps(y + j, k, gelu_256(v));
    }
}

T256 static void gelu_256_span(float *out, const float *in, int64_t n) {
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(out + j, gelu_256(_mm256_loadu_ps(in + j)));
    if (j < n) {
        __m256i k = tail_mask_256(n - j);
        _mm256_maskstore_ps(out + j, k, gelu_256(_mm256_maskload_ps(in + j, k)));
    }
}

T256 static inline __m256 exp_neg_256(__m256 x) {
    __m256 xc = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    __m256 v = _mm256_fmadd_ps(xc, _mm256_set1_ps(LOG2E), _mm256_set1_ps(ROUNDER));
    __m256 n = _mm256_sub_ps(v, _mm256_set1_ps(ROUNDER));
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LO), _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HI), xc));
    __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(0.0001984126984126984f), r, _mm256_set1_ps(0.001388888888888889f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.008333333333333333f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.041666666666666664f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.16666666666666666f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(_mm256_castps_si256(v),
                                  _mm256_set1_epi32(0x4B400000)), _mm256_set1_epi32(127)), 23);
    __m256 keep = _mm256_cmp_ps(x, _mm256_set1_ps(-87.0f), _CMP_GE_OQ);
    return _mm256_and_ps(keep, _mm256_mul_ps(p, _mm256_castsi256_ps(e)));
}

T256 static void softmax_row_256(float *row, int64_t n, const int32_t *km) {
    float m = -FLT_MAX;
    for (int64_t j = 0; j < n; j++) {
        if (km && km[j] == 0) row[j] = -FLT_MAX;
        if (row[j] > m) m = row[j];
    }
    __m256 mv = _mm256_set1_ps(m), sum = _mm256_setzero_ps();
    int64_t j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256 e = exp_neg_256(_mm256_sub_ps(_mm256_loadu_ps(row + j), mv));
        _mm256_storeu_ps(row + j, e);
        sum = _mm256_add_ps(sum, e);
    }
    float lanes[8], total = 0;
    _mm256_storeu_ps(lanes, sum);
    for (int i = 0; i < 8; i++) total += lanes[i];
    for (; j < n; j++) { row[j] = exp_neg(row[j] - m); total += row[j]; }
    __m256 inv = _mm256_set1_ps(1.0f / total);
    for (j = 0; j + 8 <= n; j += 8) _mm256_storeu_ps(row + j, _mm256_mul_ps(_mm256_loadu_ps(row + j), inv));
    for (; j < n; j++) row[j] *= 1.0f / total;
}

// ---- dispatch ----

static int vector_bits = -1;

static int supported_bits(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 512
         : (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 256 : 0;
}

int docket_pointwise_vector_bits(void) {
    int bits = __atomic_load_n(&vector_bits, __ATOMIC_RELAXED);
    if (bits < 0) {
        bits = supported_bits();
        __atomic_store_n(&vector_bits, bits, __ATOMIC_RELAXED);
    }
    return bits;
}

int docket_pointwise_limit_vector_bits(int bits) {
    int have = supported_bits();
    int use = bits < 0 || bits > have ? have : (bits >= 512 ? 512 : bits >= 256 ? 256 : 0);
    __atomic_store_n(&vector_bits, use, __ATOMIC_RELAXED);
    return use;
}

void docket_bias_gelu_rows(float *pre, float *act, const float *bias, int64_t rows, int64_t cols) {
    int bits = docket_pointwise_vector_bits();
    for (int64_t r = 0; r < rows; r++) {
        float *x = pre + r * cols, *y = act + r * cols;
        if (bits == 512) gelu_span_512(x, y, bias, cols);
        else if (bits == 256) gelu_span_256(x, y, bias, cols);
        else gelu_span_c(x, y, bias, cols);
    }
}

void docket_gelu(float *out, const float *in, int64_t n) {
    int bits = docket_pointwise_vector_bits();
    if (bits == 512) gelu_512_span(out, in, n);
    else if (bits == 256) gelu_256_span(out, in, n);
    else gelu_c(out, in, n);
}

void docket_masked_softmax_rows(float *scores, int64_t rows, int64_t n, int64_t stride, const int32_t *key_mask) {
    if (n <= 0) return;
    int bits = docket_pointwise_vector_bits();
    for (int64_t r = 0; r < rows; r++) {
        float *row = scores + r * stride;
        if (bits == 512) softmax_row_512(row, n, key_mask);
        else if (bits == 256) softmax_row_256(row, n, key_mask);
        else softmax_row_c(row, n, key_mask);
    }
}

