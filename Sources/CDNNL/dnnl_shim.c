// See include/cdnnl.h.
#include "cdnnl.h"

#include <dlfcn.h>
#include <string.h>
#include <oneapi/dnnl/dnnl.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

// omp_set_num_threads from the libgomp that libdnnl already loaded (looked up once; the
// unversioned libgomp.so needed to link it directly is not installed by libdnnl-dev).
typedef void (*omp_set_fn)(int);
static omp_set_fn omp_setter(void) {
    static omp_set_fn fn = 0;
    static int looked = 0;
    if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE)) {
        omp_set_fn f = (omp_set_fn)dlsym(RTLD_DEFAULT, "omp_set_num_threads");
        __atomic_store_n(&fn, f, __ATOMIC_RELAXED);
        __atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
    }
    return __atomic_load_n(&fn, __ATOMIC_RELAXED);
}

// The OpenMP team size is a per-thread setting (an ICV of the calling thread): remember what
// this thread last asked for so the call costs nothing on the hot path.
static __thread int caller_threads = 0;

static void set_caller_threads(int n) {
    if (caller_threads == n) return;
    omp_set_fn f = omp_setter();
    if (f) f(n);
    caller_threads = n;
}

int docket_dnnl_sgemm_threads(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                              const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
                              float *c, int64_t ldc, int threads) {
    set_caller_threads(threads < 1 ? 1 : threads);
    return (int)dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb,
                           beta, c, ldc);
}

int docket_dnnl_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                      const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
                      float *c, int64_t ldc) {
    return docket_dnnl_sgemm_threads(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 1);
}

const char *docket_dnnl_isa_name(void) {
    switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl_cpu_isa_avx512_mic: return "avx512_mic";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_sse41: return "sse41";
    default: return "any";
    }
}

int docket_dnnl_version(void) {
    const dnnl_version_t *v = dnnl_version();
    return v ? v->major * 10000 + v->minor * 100 + v->patch : 0;
}

void docket_cpu_features_read(docket_cpu_features *f) {
    memset(f, 0, sizeof *f);
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    unsigned maxLeaf = a;
    f->vendor_intel = b == 0x756e6547;  // "Genu"
    f->vendor_amd = b == 0x68747541;    // "Auth"
    __get_cpuid(1, &a, &b, &c, &d);
    unsigned fam = (a >> 8) & 0xf, mod = (a >> 4) & 0xf;
    if (fam == 0xf) fam += (a >> 20) & 0xff;
    if (fam == 0x6 || fam >= 0xf) mod |= ((a >> 16) & 0xf) << 4;
    f->family = (int)fam; f->model = (int)mod;
    f->sse41 = (c >> 19) & 1;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    f->fma = (c >> 12) & 1;
    unsigned long long xcr0 = 0;
    if (osxsave) { unsigned lo, hi; __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0)); xcr0 = ((unsigned long long)hi << 32) | lo; }
    int ymm = (xcr0 & 0x6) == 0x6, zmm = ymm && (xcr0 & 0xe0) == 0xe0, tiles = (xcr0 & 0x60000) == 0x60000;
    f->avx = avx && ymm;
    if (!f->avx) f->fma = 0;
    if (maxLeaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        f->avx2 = f->avx && ((b >> 5) & 1);
        f->avx512f = zmm && ((b >> 16) & 1);
        f->avx512bw = zmm && ((b >> 30) & 1);
        f->avx512vl = zmm && ((b >> 31) & 1);
        f->avx512_vnni = zmm && ((c >> 11) & 1);
        f->amx_bf16 = tiles && ((d >> 22) & 1);
        f->amx_tile = tiles && ((d >> 24) & 1);
        f->amx_int8 = tiles && ((d >> 25) & 1);
        __cpuid_count(7, 1, a, b, c, d);
        f->avx_vnni = f->avx2 && ((a >> 4) & 1);
        f->avx512_bf16 = zmm && ((a >> 5) & 1);
    }
    if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000004) {
        unsigned *w = (unsigned *)f->brand;
        for (unsigned leaf = 0; leaf < 3; leaf++) __get_cpuid(0x80000002 + leaf, &w[4 * leaf], &w[4 * leaf + 1], &w[4 * leaf + 2], &w[4 * leaf + 3]);
        f->brand[48] = 0;
    }
#endif
}
