// oneDNN (Debian libdnnl-dev, OpenMP build) behind a plain C interface, plus the CPU's
// instruction-set features read with cpuid. Swift sees only <stdint.h> types; the .c file
// includes <oneapi/dnnl/dnnl.h>.
//
// Threads: every GEMM here runs on the calling thread only (the caller's OpenMP team size is
// set to 1 before each call), so oneDNN never starts an OpenMP pool that would compete with
// Docket's own row-parallel loops for the cores (DESIGN.md §7).
#ifndef CDNNL_H
#define CDNNL_H

#include <stdint.h>

/// Row-major c(m, n) = alpha·op(a)(m, k)·op(b)(k, n) + beta·c through dnnl_sgemm, op =
/// transpose when trans_a / trans_b is nonzero, single-threaded in the caller. Returns
/// oneDNN's status (0 = success).
int docket_dnnl_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                      const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
                      float *c, int64_t ldc);

/// Same as docket_dnnl_sgemm but with oneDNN's own OpenMP threads (`threads` of them): the
/// raw-library reference of `docket bench kernels`.
int docket_dnnl_sgemm_threads(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                              const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
                              float *c, int64_t ldc, int threads);

/// The instruction set oneDNN's JIT dispatches to on this CPU (after ONEDNN_MAX_CPU_ISA),
/// as a short name: "avx512_core_amx", "avx512_core_bf16", "avx512_core_vnni",
/// "avx512_core", "avx2_vnni", "avx2", "avx", "sse41" or "any".
const char *docket_dnnl_isa_name(void);

/// oneDNN's version (major·10000 + minor·100 + patch).
int docket_dnnl_version(void);

/// CPU features from cpuid (1 = present, and usable by the OS for the vector state).
typedef struct {
    int vendor_intel, vendor_amd, family, model;
    int sse41, avx, avx2, fma, avx512f, avx512bw, avx512vl, avx512_vnni, avx512_bf16,
        avx_vnni, amx_tile, amx_bf16, amx_int8;
    char brand[49];
} docket_cpu_features;

/// Fills `f` from cpuid (zeros on a non-x86 build).
void docket_cpu_features_read(docket_cpu_features *f);

#endif
