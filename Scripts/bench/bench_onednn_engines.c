// Which engine per precision (Scripts/bench/bench-onednn-engines.sh; DESIGN.md §7): at the MiniLM /
// distilbert-base linear shapes, rows = 4096 (32 × 128), both cores, best of ROUNDS alternated:
//   fp32  dnnl_sgemm as Docket calls it (rows split over 2 pthreads, 1 OpenMP thread each)
//         vs dnnl_sgemm with oneDNN's 2 OpenMP threads
//         vs the oneDNN matmul primitive (cached, weights reordered once to its blocked layout,
//         bias fused; and with a fused GELU post-op for the FFN-in shape);
//   bf16  Docket's AVX512_BF16 kernel (activations rounded inside) vs oneDNN matmul bf16 × bf16
//         → f32 with the activations already in bf16 (conversion not timed: favours oneDNN);
//   int8  Docket's VNNI kernel (dynamic per-row quantization inside) vs oneDNN matmul u8 × s8 →
//         f32 with per-channel scales on already-quantized activations (again favours oneDNN).
// Prints GFLOP/s (2·rows·in·out per call). Needs the CPU features of each row (skipped otherwise).
#include <oneapi/dnnl/dnnl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ckernels_bf16.h"
#include "ckernels_int8.h"

#define CHECK(x) do { dnnl_status_t s_ = (x); if (s_ != dnnl_success) { fprintf(stderr, "%s: %d\n", #x, s_); exit(1); } } while (0)
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static void (*omp_set)(int);
static dnnl_engine_t eng;
static dnnl_stream_t strm;

typedef struct { int kind; int64_t r0, r1, M, N, K; const float *x; const float *w; float *y; const void *packed;
                 const float *scales; const int32_t *colsums; const float *bias; } part_t;

static void *run_part(void *p_) {
    part_t *p = p_;
    if (p->kind == 0) {  // fp32 dnnl_sgemm, 1 OpenMP thread in this thread
        omp_set(1);
        dnnl_sgemm('N', 'T', p->r1 - p->r0, p->N, p->K, 1, p->x + p->r0 * p->K, p->K, p->w, p->K, 0, p->y + p->r0 * p->N, p->N);
    } else if (p->kind == 1) {
        docket_bf16_linear(p->y, p->x, p->packed, p->bias, p->K, p->N, p->r0, p->r1);
    } else {
        docket_int8_linear(p->y, p->x, p->packed, p->scales, p->colsums, p->bias, 0, p->K, p->N, p->r0, p->r1);
    }
    return 0;
}

static void split2(part_t base) {  // rows split over 2 threads, as Docket's parallelRanges does
    part_t a = base, b = base;
    int64_t half = (base.M / 2 + 11) / 12 * 12;
    a.r0 = 0; a.r1 = half; b.r0 = half; b.r1 = base.M;
    pthread_t t; pthread_create(&t, 0, run_part, &b); run_part(&a); pthread_join(t, 0);
}

typedef struct { dnnl_primitive_t prim; dnnl_memory_t src, wei, bias, dst; } mm_t;

// matmul (M,K) × (K,N) with weights given as (N,K) row-major f32, reordered once.
static mm_t matmul(int64_t M, int64_t N, int64_t K, dnnl_data_type_t src_dt, dnnl_data_type_t wei_dt,
                   const float *w, const float *bias, const float *scales, int gelu, void *src_buf, float *dst_buf) {
    mm_t m;
    dnnl_memory_desc_t src_md, wei_any, wei_user, bias_md, dst_md;
    dnnl_dims_t sd = {M, K}, wd = {K, N}, bd = {1, N}, dd = {M, N};
    CHECK(dnnl_memory_desc_init_by_tag(&src_md, 2, sd, src_dt, dnnl_ab));
    CHECK(dnnl_memory_desc_init_by_tag(&wei_any, 2, wd, wei_dt, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&wei_user, 2, wd, dnnl_f32, dnnl_ba));
    CHECK(dnnl_memory_desc_init_by_tag(&bias_md, 2, bd, dnnl_f32, dnnl_ab));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_md, 2, dd, dnnl_f32, dnnl_ab));
    dnnl_matmul_desc_t md;
    CHECK(dnnl_matmul_desc_init(&md, &src_md, &wei_any, &bias_md, &dst_md));
    dnnl_primitive_attr_t attr; CHECK(dnnl_primitive_attr_create(&attr));
    if (scales) CHECK(dnnl_primitive_attr_set_output_scales(attr, N, 1 << 1, scales));
    if (gelu) {
        dnnl_post_ops_t po; CHECK(dnnl_post_ops_create(&po));
        CHECK(dnnl_post_ops_append_eltwise(po, 1.f, dnnl_eltwise_gelu_erf, 0.f, 0.f));
        CHECK(dnnl_primitive_attr_set_post_ops(attr, po));
    }
    dnnl_primitive_desc_t pd; CHECK(dnnl_primitive_desc_create(&pd, &md, attr, eng, NULL));
    const dnnl_memory_desc_t *wq = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    dnnl_memory_t wuser; CHECK(dnnl_memory_create(&wuser, &wei_user, eng, (void *)w));
    CHECK(dnnl_memory_create(&m.wei, wq, eng, DNNL_MEMORY_ALLOCATE));
    // f32 → weights' type and layout (int8: plain scaling by 1/scale would be the real recipe;
    // here the values only need to be representable, the timing is what counts)
    dnnl_primitive_attr_t rattr; CHECK(dnnl_primitive_attr_create(&rattr));
    if (wei_dt == dnnl_s8) CHECK(dnnl_primitive_attr_set_output_scales(rattr, 1, 0, (float[]){100.f}));
    dnnl_primitive_desc_t rpd; CHECK(dnnl_reorder_primitive_desc_create(&rpd, &wei_user, eng, wq, eng, rattr));
    dnnl_primitive_t rp; CHECK(dnnl_primitive_create(&rp, rpd));
    dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, wuser}, {DNNL_ARG_TO, m.wei}};
    CHECK(dnnl_primitive_execute(rp, strm, 2, rargs)); CHECK(dnnl_stream_wait(strm));
    CHECK(dnnl_memory_create(&m.src, &src_md, eng, src_buf));
    CHECK(dnnl_memory_create(&m.bias, &bias_md, eng, (void *)bias));
    CHECK(dnnl_memory_create(&m.dst, &dst_md, eng, dst_buf));
    CHECK(dnnl_primitive_create(&m.prim, pd));
    return m;
}

static void mm_run(mm_t *m) {
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, m->src}, {DNNL_ARG_WEIGHTS, m->wei}, {DNNL_ARG_BIAS, m->bias}, {DNNL_ARG_DST, m->dst}};
    CHECK(dnnl_primitive_execute(m->prim, strm, 4, args)); CHECK(dnnl_stream_wait(strm));
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    omp_set = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    CHECK(dnnl_engine_create(&eng, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&strm, eng, dnnl_stream_default_flags));
    const int64_t M = 4096;
    const int64_t shapes[][2] = {{384, 384}, {384, 1536}, {1536, 384}, {768, 768}, {768, 3072}, {3072, 768}};
    printf("oneDNN ISA %x; rows %lld; best of %d rounds, alternated; GFLOP/s\n", (unsigned)dnnl_get_effective_cpu_isa(), (long long)M, rounds);
    printf("%-11s %10s %10s %10s %10s | %10s %10s | %10s %10s\n", "in->out", "sgemm-split", "sgemm-omp2", "matmul", "matmul+gelu",
           "bf16-docket", "bf16-onednn", "int8-docket", "int8-onednn");
    for (int s = 0; s < 6; s++) {
        int64_t K = shapes[s][0], N = shapes[s][1];
        float *x = malloc(4 * M * K), *w = malloc(4 * N * K), *b = malloc(4 * N), *y = malloc(4 * M * N);
        uint16_t *xb = malloc(2 * M * K); uint8_t *xu = malloc(M * K);
        for (int64_t i = 0; i < M * K; i++) { x[i] = (float)((i * 7919) % 1000) / 1000.f - 0.5f; xb[i] = docket_bf16_round(x[i]); xu[i] = (uint8_t)(i * 31); }
        for (int64_t i = 0; i < N * K; i++) w[i] = (float)((i * 104729) % 1000) / 20000.f - 0.025f;
        for (int64_t i = 0; i < N; i++) b[i] = 0.01f * (float)(i % 10);
        float *sc = malloc(4 * N); for (int64_t i = 0; i < N; i++) sc[i] = 1e-3f;
        mm_t f32 = matmul(M, N, K, dnnl_f32, dnnl_f32, w, b, NULL, 0, x, y);
        mm_t f32g = matmul(M, N, K, dnnl_f32, dnnl_f32, w, b, NULL, 1, x, y);
        int have_bf16 = docket_bf16_supported(), have_int8 = docket_int8_supported();
        mm_t bf = {0}, i8 = {0};
        uint16_t *bpk = NULL; int8_t *ipk = NULL; float *isc = NULL; int32_t *ics = NULL;
        if (have_bf16) {
            bf = matmul(M, N, K, dnnl_bf16, dnnl_bf16, w, b, NULL, 0, xb, y);
            bpk = malloc(2 * docket_bf16_packed_count(N, K)); docket_bf16_pack(bpk, w, N, K);
        }
        if (have_int8) {
            i8 = matmul(M, N, K, dnnl_u8, dnnl_s8, w, b, sc, 0, xu, y);
            int64_t po = docket_int8_padded_outputs(N);
            ipk = malloc(docket_int8_packed_bytes(N, K)); isc = malloc(4 * po); ics = malloc(4 * po);
            docket_int8_pack(ipk, isc, ics, w, N, K);
        }
        double best[8]; for (int i = 0; i < 8; i++) best[i] = 1e30;
        for (int r = 0; r <= rounds; r++) {  // round 0 warms up (JIT, caches)
            double t;
            part_t base = {0, 0, 0, M, N, K, x, w, y, NULL, NULL, NULL, b};
            t = now(); split2(base); t = now() - t; if (r && t < best[0]) best[0] = t;
            omp_set(2);
            t = now(); dnnl_sgemm('N', 'T', M, N, K, 1, x, K, w, K, 0, y, N); t = now() - t; if (r && t < best[1]) best[1] = t;
            t = now(); mm_run(&f32); t = now() - t; if (r && t < best[2]) best[2] = t;
            t = now(); mm_run(&f32g); t = now() - t; if (r && t < best[3]) best[3] = t;
            if (have_bf16) {
                part_t pb = {1, 0, 0, M, N, K, x, w, y, bpk, NULL, NULL, b};
                t = now(); split2(pb); t = now() - t; if (r && t < best[4]) best[4] = t;
                t = now(); mm_run(&bf); t = now() - t; if (r && t < best[5]) best[5] = t;
            }
            if (have_int8) {
                part_t pi = {2, 0, 0, M, N, K, x, w, y, ipk, isc, ics, b};
                t = now(); split2(pi); t = now() - t; if (r && t < best[6]) best[6] = t;
                t = now(); mm_run(&i8); t = now() - t; if (r && t < best[7]) best[7] = t;
            }
            omp_set(1);
        }
        double fl = 2.0 * M * N * K / 1e9;
        char name[32]; snprintf(name, sizeof name, "%lld->%lld", (long long)K, (long long)N);
        printf("%-11s %10.0f %10.0f %10.0f %10.0f | %10.0f %10.0f | %10.0f %10.0f\n", name, fl / best[0], fl / best[1], fl / best[2],
               fl / best[3], have_bf16 ? fl / best[4] : 0, have_bf16 ? fl / best[5] : 0, have_int8 ? fl / best[6] : 0,
               have_int8 ? fl / best[7] : 0);
        fflush(stdout);
        free(x); free(w); free(b); free(y); free(xb); free(xu); free(sc); free(bpk); free(ipk); free(isc); free(ics);
    }
    return 0;
}
