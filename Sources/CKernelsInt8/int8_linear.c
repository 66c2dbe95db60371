// The INT8 GEMM of ckernels_int8.h: out(rows, N) = dequant(quant(input(rows, K)) · W_qᵀ) + bias.
//
// Blocking (per thread; L1d 48 KB, L2 1 MB per core on the target Zen 5):
//   rows in blocks of MC = 120 (10 micro-panels of MR = 12 rows); each row block is
//   quantized whole (all K) before any product, since a row's scale needs its whole row;
//   K in blocks of KC = 768 inputs (192 groups of 4), so one weight micro-panel (32 columns ×
//   768 bytes = 24 KB) stays in L1 while the block's row micro-panels stream past it, and the
//   quantized activation block (120 × 768 bytes = 90 KB) stays in L2.
// Activation scratch layout (thread-local, u8 codes): K block b, row r of the row block at
//   scratch + b·(MC·KC) + r·KC (fixed row stride KC, so the micro-kernel addresses its 12
//   rows with constant offsets from one pointer); inputs past K inside the last K block hold
//   the row's zero point (their weights are zero anyway); rows mc … up to the next multiple
//   of 12 hold 0 (computed, never stored). Then MC float row scales and MC int32 zero points.
// Partial sums: with several K blocks, the int32 accumulators of a tile are parked in the
//   output rows themselves (same 4-byte slots) between K blocks; the last K block converts
//   them to FP32.
// Micro-kernel: 12 rows × 32 columns = 24 zmm int32 accumulators; per group of 4 inputs two
// 64-byte weight loads and 12 broadcast dwords (4 u8 activations each) feed 24 vpdpbusd.
// Epilogue (last K block): scale, bias and, on request, the exact-form GELU
// 0.5·y·(1 + erf(y/√2)) while the tile is in registers (the FFN input projection: saves the
// separate bias + GELU pass over the (rows, 4·hidden) activations). erf is the rational fit
// of Sources/Kernels/FusedBiasGELU.swift (erf(z) ≈ z·P(z²)/Q(z²) on |z| ≤ 3.92, ±1 beyond;
// max |error| 3.2e-7), the same coefficients, here in AVX-512.
#include "ckernels_int8.h"
#include "int8_quantize.h"
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MR 12
#define NR 32
#define MC 120
#define KC 768
// Software prefetch distance of the quantizer's first pass, in floats (8 KB ahead: the next
// rows of the block). The inputs arrive from L3 or memory (written by the previous layer op);
// without it the first pass stalled on every line and the quantizer took 12 % of a MiniLM
// forward instead of 4 % (225 → 255 seq/s at 32×128).
#define PREFETCH 2048
#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// ---- thread-local scratch: quantized activations (MC × K blocks × KC bytes) + MC scales ----

typedef struct { uint8_t *bytes; int64_t capacity; } Scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static void free_scratch(void *p) {
    Scratch *s = p;
    free(s->bytes);
    free(s);
}
static void make_scratch_key(void) { pthread_key_create(&scratch_key, free_scratch); }

/// This thread's scratch of at least `bytes` bytes (64-byte aligned; kept and grown across
/// calls, freed when the thread exits). NULL when allocation fails.
static uint8_t *thread_scratch(int64_t bytes) {
    pthread_once(&scratch_once, make_scratch_key);
    Scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s) return 0;
        if (pthread_setspecific(scratch_key, s) != 0) { free(s); return 0; }
    }
    if (s->capacity < bytes) {
        int64_t size = (bytes + 63) / 64 * 64;
        uint8_t *fresh = aligned_alloc(64, (size_t)size);
        if (!fresh) return 0;
        free(s->bytes);
        s->bytes = fresh; s->capacity = size;
    }
    return s->bytes;
}

// ---- activation quantization ----

/// Quantizes input row x (k_total values) into the scratch at dst (K block b at dst + b·MC·KC)
/// and returns its scale and zero point (int8_activation_params). Every 16-value chunk is
/// stored whole: past k_total it holds the zero point.
TARGET static float quantize_row(uint8_t *dst, int32_t *zero, const float *x, int64_t k_total) {
    const __m512 limit = _mm512_set1_ps(INT8_FINITE_MAX);
    __m512 lo = _mm512_setzero_ps(), hi = _mm512_setzero_ps();
    __mmask16 bad = 0;
    for (int64_t k = 0; k < k_total; k += 16) {
        __mmask16 live = k + 16 <= k_total ? 0xffff : (__mmask16)((1u << (k_total - k)) - 1);
        _mm_prefetch((const char *)(x + k + PREFETCH), _MM_HINT_T0);
        __m512 v = _mm512_maskz_loadu_ps(live, x + k);
        bad |= _mm512_cmp_ps_mask(_mm512_abs_ps(v), limit, _CMP_NLE_UQ);  // Inf or NaN
        lo = _mm512_min_ps(lo, v); hi = _mm512_max_ps(hi, v);
    }
    float inverse;
    float scale = int8_activation_params(_mm512_reduce_min_ps(lo), _mm512_reduce_max_ps(hi), bad == 0, &inverse, zero);
    const __m512 inv = _mm512_set1_ps(inverse);
    const __m512i z = _mm512_set1_epi32(*zero), u_min = _mm512_setzero_si512(), u_max = _mm512_set1_epi32(255);
    for (int64_t k = 0; k < k_total; k += 16) {
        __mmask16 live = k + 16 <= k_total ? 0xffff : (__mmask16)((1u << (k_total - k)) - 1);
        __m512i u = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(live, x + k), inv));
        u = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(u, z), u_min), u_max);
        if (bad) u = z;  // non-finite row: codes = zero point, scale NaN
        _mm_storeu_si128((__m128i *)(dst + (k / KC) * (MC * KC) + k % KC), _mm512_cvtepi32_epi8(u));
    }
    return scale;
}

/// Quantizes rows [r0, r0 + mc) of input into the scratch, their scales into `scales` and
/// zero points into `zeros`; fills the rows up to the next multiple of MR with 0 (zero point
/// 0, scale 0) in every K block.
TARGET static void quantize_block(uint8_t *block, float *scales, int32_t *zeros, const float *input, int64_t k_total,
                                  int64_t r0, int64_t mc, int64_t kblocks) {
    for (int64_t r = 0; r < mc; r++)
        scales[r] = quantize_row(block + r * KC, zeros + r, input + (r0 + r) * k_total, k_total);
    for (int64_t r = mc; r % MR != 0; r++) {
        scales[r] = 0; zeros[r] = 0;
        for (int64_t b = 0; b < kblocks; b++) memset(block + b * (MC * KC) + r * KC, 0, KC);
    }
}

// ---- GELU (exact form, erf by the rational fit of Kernels/FusedBiasGELU.swift) ----

#define ERF_P0 1.128379225730896f
#define ERF_P1 0.18518085777759552f
#define ERF_P2 0.054037030786275864f
#define ERF_P3 0.003812768030911684f
#define ERF_P4 0.0003674731415230781f
#define ERF_P5 4.359457307145931e-06f
#define ERF_P6 -1.1502484298375748e-08f
#define ERF_Q1 0.49744564294815063f
#define ERF_Q2 0.11370401084423065f
#define ERF_Q3 0.015346050262451172f
#define ERF_Q4 0.0012837821850553155f
#define ERF_Q5 6.003619637340307e-05f

/// 0.5·y·(1 + erf(y/√2)) on 16 lanes.
TARGET static inline __m512 gelu16(__m512 y) {
    const __m512 limit = _mm512_set1_ps(3.92f);
    __m512 a = _mm512_mul_ps(y, _mm512_set1_ps(0.70710678118654752f));
    a = _mm512_min_ps(_mm512_max_ps(a, _mm512_sub_ps(_mm512_setzero_ps(), limit)), limit);
    __m512 s = _mm512_mul_ps(a, a);
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(ERF_P6), s, _mm512_set1_ps(ERF_P5));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(ERF_P4));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(ERF_P3));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(ERF_P2));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(ERF_P1));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(ERF_P0));
    __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(ERF_Q5), s, _mm512_set1_ps(ERF_Q4));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(ERF_Q3));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(ERF_Q2));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(ERF_Q1));
    q = _mm512_fmadd_ps(q, s, _mm512_set1_ps(1.0f));
    __m512 erf = _mm512_div_ps(_mm512_mul_ps(a, p), q);
    __m512 half_y = _mm512_mul_ps(y, _mm512_set1_ps(0.5f));
    return _mm512_fmadd_ps(half_y, erf, half_y);
}

// ---- micro-kernel ----

/// What the micro-kernel does with its accumulators after the K loop.
enum finish { PARK_INT32 = 0, SCALE_BIAS = 1, SCALE_BIAS_GELU = 2 };

/// Tile c (mr ≤ 12 rows, ncols ≤ 32 columns, leading dimension ldc) over `groups` groups of
/// 4 inputs: a = u8 activations (row stride KC), b = the weight panel at this K block.
/// first: accumulators start at −zero_r·colsum_n, else at the int32 partial sums parked in c.
/// finish: PARK_INT32 c = acc (int32, more K blocks follow); SCALE_BIAS
/// c = fma((float)acc, row_scale · col_scale, bias); SCALE_BIAS_GELU c = GELU(that).
/// `next` is the tile the following call will use, prefetched into L1.
TARGET static void micro_kernel(float *c, int64_t ldc, const uint8_t *a, const int8_t *b, int64_t groups,
                                int64_t mr, int64_t ncols, int first, enum finish finish, const int32_t *colsums,
                                const float *col_scales, const float *row_scales, const int32_t *row_zeros,
                                const float *bias, const float *next) {
    __mmask16 m0 = ncols >= 16 ? 0xffff : (__mmask16)((1u << ncols) - 1);
    __mmask16 m1 = ncols >= 32 ? 0xffff : ncols > 16 ? (__mmask16)((1u << (ncols - 16)) - 1) : 0;
    __m512i acc[MR][2];
    if (first) {
        __m512i s0 = _mm512_loadu_si512(colsums), s1 = _mm512_loadu_si512(colsums + 16);
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            __m512i z = _mm512_set1_epi32(-row_zeros[r]);
            acc[r][0] = _mm512_mullo_epi32(z, s0); acc[r][1] = _mm512_mullo_epi32(z, s1);
        }
    } else {
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            int live = r < mr;
            acc[r][0] = _mm512_maskz_loadu_epi32(live ? m0 : 0, c + r * ldc);
            acc[r][1] = _mm512_maskz_loadu_epi32(live ? m1 : 0, c + r * ldc + 16);
        }
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        _mm_prefetch((const char *)(next + r * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(next + r * ldc + 16), _MM_HINT_T0);
    }
    for (int64_t g = 0; g < groups; g++) {
        __m512i w0 = _mm512_loadu_si512(b + g * 128), w1 = _mm512_loadu_si512(b + g * 128 + 64);
        const uint8_t *x = a + 4 * g;
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            int32_t four;
            memcpy(&four, x + r * KC, sizeof four);
            __m512i xr = _mm512_set1_epi32(four);
            acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], xr, w0);
            acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], xr, w1);
        }
    }
    if (finish == PARK_INT32) {
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            if (r < mr) {
                _mm512_mask_storeu_epi32(c + r * ldc, m0, acc[r][0]);
                _mm512_mask_storeu_epi32(c + r * ldc + 16, m1, acc[r][1]);
            }
        }
        return;
    }
    __m512 s0 = _mm512_loadu_ps(col_scales), s1 = _mm512_loadu_ps(col_scales + 16);
    __m512 b0 = bias ? _mm512_maskz_loadu_ps(m0, bias) : _mm512_setzero_ps();
    __m512 b1 = bias ? _mm512_maskz_loadu_ps(m1, bias + 16) : _mm512_setzero_ps();
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (r < mr) {
            __m512 sr = _mm512_set1_ps(row_scales[r]);
            __m512 y0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r][0]), _mm512_mul_ps(sr, s0), b0);
            __m512 y1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r][1]), _mm512_mul_ps(sr, s1), b1);
            if (finish == SCALE_BIAS_GELU) { y0 = gelu16(y0); y1 = gelu16(y1); }
            _mm512_mask_storeu_ps(c + r * ldc, m0, y0);
            _mm512_mask_storeu_ps(c + r * ldc + 16, m1, y1);
        }
    }
}

// ---- driver ----

/// One K block (groups [g0, g0 + gc)) of one row block: every weight panel × every row
/// micro-panel; `finish` as the micro-kernel's (PARK_INT32 unless this is the last K block).
TARGET static void block_product(float *out, const uint8_t *block, const float *row_scales, const int32_t *row_zeros,
                                 const int8_t *packed, const float *scales, const int32_t *colsums,
                                 const float *bias, int64_t n_total,
                                 int64_t groups, int64_t r0, int64_t mc, int64_t g0, int64_t gc, enum finish finish) {
    int64_t panels = (n_total + NR - 1) / NR;
    for (int64_t p = 0; p < panels; p++) {
        const int8_t *b = packed + (p * groups + g0) * 128;
        int64_t n0 = p * NR, ncols = n_total - n0 < NR ? n_total - n0 : NR;
        const float *panel_bias = bias ? bias + n0 : 0;
        for (int64_t i = 0; i < mc; i += MR) {
            int64_t mr = mc - i < MR ? mc - i : MR;
            // The next tile: 12 rows down, or back to the block's top rows in the next panel.
            int64_t next_row = i + MR < mc ? r0 + i + MR : r0, next_col = i + MR < mc ? n0 : n0 + NR;
            if (next_col >= n_total) next_col = n0;
            micro_kernel(out + (r0 + i) * n_total + n0, n_total, block + i * KC, b, gc, mr, ncols,
                         g0 == 0, finish, colsums + n0, scales + n0, row_scales + i, row_zeros + i, panel_bias,
                         out + next_row * n_total + next_col);
        }
    }
}

/// out rows [row_begin, row_end) = bias (or 0), through GELU when gelu is nonzero.
TARGET static void fill_bias_rows(float *out, const float *bias, int gelu, int64_t out_features,
                                  int64_t row_begin, int64_t row_end) {
    for (int64_t r = row_begin; r < row_end; r++)
        for (int64_t n = 0; n < out_features; n += 16) {
            __mmask16 live = n + 16 <= out_features ? 0xffff : (__mmask16)((1u << (out_features - n)) - 1);
            __m512 y = bias ? _mm512_maskz_loadu_ps(live, bias + n) : _mm512_setzero_ps();
            _mm512_mask_storeu_ps(out + r * out_features + n, live, gelu ? gelu16(y) : y);
        }
}

int docket_int8_linear(float *out, const float *input, const int8_t *packed, const float *scales,
                       const int32_t *colsums, const float *bias, int gelu, int64_t in_features,
                       int64_t out_features, int64_t row_begin, int64_t row_end) {
    if (!docket_int8_supported()) return -2;
    if (row_end <= row_begin || out_features <= 0) return 0;
    if (in_features <= 0) {  // empty product: out = bias (or 0), through GELU on request
        fill_bias_rows(out, bias, gelu, out_features, row_begin, row_end);
        return 0;
    }
    int64_t groups = (in_features + 3) / 4, kblocks = (in_features + KC - 1) / KC;
    uint8_t *block = thread_scratch(kblocks * MC * KC + MC * (int64_t)(sizeof(float) + sizeof(int32_t)));
    if (!block) return -1;
    float *row_scales = (float *)(block + kblocks * MC * KC);
    int32_t *row_zeros = (int32_t *)(row_scales + MC);
    for (int64_t r0 = row_begin; r0 < row_end; r0 += MC) {
        int64_t mc = row_end - r0 < MC ? row_end - r0 : MC;
        quantize_block(block, row_scales, row_zeros, input, in_features, r0, mc, kblocks);
        for (int64_t kb = 0; kb < kblocks; kb++) {
            int64_t g0 = kb * (KC / 4), gc = groups - g0 < KC / 4 ? groups - g0 : KC / 4;
            block_product(out, block + kb * (MC * KC), row_scales, row_zeros, packed, scales, colsums, bias, out_features,
                          groups, r0, mc, g0, gc, kb < kblocks - 1 ? PARK_INT32 : gelu ? SCALE_BIAS_GELU : SCALE_BIAS);
        }
    }
    return 0;
}
