// The three products of a linear layer's forward and backward at B·T = 2048 rows, each run
// two ways on 2 cores: split into two single-threaded dnnl_sgemm parts on two pthreads (as
// Docket's sgemmSplittingRows does; rows of c, or columns where noted), and one dnnl_sgemm
// on oneDNN's own 2 OpenMP threads. Prints GFLOP/s, best of ROUNDS.
//   fwd  y(R,O)  = x(R,I)·W(O,I)ᵀ   (NT)
//   dX   dx(R,I) = dy(R,O)·W(O,I)   (NN)
//   dW   dw(O,I) = dy(R,O)ᵀ·x(R,I)  (TN)
#include <dnnl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void omp_set_num_threads(int);  // from the libgomp libdnnl loads

typedef struct { char ta, tb; long m, n, k; const float *a; long lda; const float *b; long ldb; float *c; long ldc; } gemm_t;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void *run_one(void *p) {
    gemm_t *g = p;
    omp_set_num_threads(1);
    dnnl_sgemm(g->ta, g->tb, g->m, g->n, g->k, 1.f, g->a, g->lda, g->b, g->ldb, 1.f, g->c, g->ldc);
    return 0;
}

static double split2(gemm_t a, gemm_t b) {
    double t = now();
    pthread_t th;
    pthread_create(&th, 0, run_one, &b);
    run_one(&a);
    pthread_join(th, 0);
    return now() - t;
}

static double omp2(gemm_t g) {
    omp_set_num_threads(2);
    double t = now();
    dnnl_sgemm(g.ta, g.tb, g.m, g.n, g.k, 1.f, g.a, g.lda, g.b, g.ldb, 1.f, g.c, g.ldc);
    t = now() - t;
    omp_set_num_threads(1);
    return t;
}

static float *filled(long n, int mod) {
    float *p = malloc(sizeof(float) * n);
    for (long i = 0; i < n; i++) p[i] = (float)(i % mod) * 0.01f;
    return p;
}

static void min_into(double *best, double t) { if (t < *best) *best = t; }

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 30;
    const long R = 2048, shapes[][2] = {{768, 768}, {768, 3072}, {3072, 768}, {384, 1536}, {1536, 384}};
    printf("%-11s %9s %9s | %9s %9s %9s | %9s %9s %9s\n", "in->out", "fwd-split", "fwd-omp2",
           "dX-rows", "dX-cols", "dX-omp2", "dW-rows", "dW-cols", "dW-omp2");
    // Every two-pthread variant first, then every OpenMP one: once libgomp's worker thread
    // exists it slowed the next pthread measurements in the same process to about half
    // (docs/kernels.md), so alternating them would bias the comparison.
    double b[5][8];
    for (int s = 0; s < 5; s++) for (int v = 0; v < 8; v++) b[s][v] = 1e9;
    for (int phase = 0; phase < 2; phase++) {
        for (int s = 0; s < 5; s++) {
            long I = shapes[s][0], O = shapes[s][1];
            float *x = filled(R * I, 7), *y = filled(R * O, 3), *dy = filled(R * O, 5), *w = filled(O * I, 3);
            float *dx = filled(R * I, 7), *dw = filled(O * I, 3);
            for (int r = 0; r < rounds; r++) {
                if (phase == 0) {
                    min_into(&b[s][0], split2((gemm_t){'N', 'T', R / 2, O, I, x, I, w, I, y, O},
                                              (gemm_t){'N', 'T', R / 2, O, I, x + R / 2 * I, I, w, I, y + R / 2 * O, O}));
                    min_into(&b[s][2], split2((gemm_t){'N', 'N', R / 2, I, O, dy, O, w, I, dx, I},
                                              (gemm_t){'N', 'N', R / 2, I, O, dy + R / 2 * O, O, w, I, dx + R / 2 * I, I}));
                    min_into(&b[s][3], split2((gemm_t){'N', 'N', R, I / 2, O, dy, O, w, I, dx, I},
                                              (gemm_t){'N', 'N', R, I / 2, O, dy, O, w + I / 2, I, dx + I / 2, I}));
                    min_into(&b[s][5], split2((gemm_t){'T', 'N', O / 2, I, R, dy, O, x, I, dw, I},
                                              (gemm_t){'T', 'N', O / 2, I, R, dy + O / 2, O, x, I, dw + O / 2 * I, I}));
                    min_into(&b[s][6], split2((gemm_t){'T', 'N', O, I / 2, R, dy, O, x, I, dw, I},
                                              (gemm_t){'T', 'N', O, I / 2, R, dy, O, x + I / 2, I, dw + I / 2, I}));
                } else {
                    min_into(&b[s][1], omp2((gemm_t){'N', 'T', R, O, I, x, I, w, I, y, O}));
                    min_into(&b[s][4], omp2((gemm_t){'N', 'N', R, I, O, dy, O, w, I, dx, I}));
                    min_into(&b[s][7], omp2((gemm_t){'T', 'N', O, I, R, dy, O, x, I, dw, I}));
                }
            }
            free(x); free(y); free(dy); free(w); free(dx); free(dw);
        }
    }
    for (int s = 0; s < 5; s++) {
        long I = shapes[s][0], O = shapes[s][1];
        double g = 2.0 * R * I * O / 1e9;
        printf("%4ld->%-5ld %9.0f %9.0f | %9.0f %9.0f %9.0f | %9.0f %9.0f %9.0f\n", I, O,
               g / b[s][0], g / b[s][1], g / b[s][2], g / b[s][3], g / b[s][4], g / b[s][5], g / b[s][6], g / b[s][7]);
    }
    return 0;
}
