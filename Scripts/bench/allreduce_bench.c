/* MPI_Allreduce (sum, in place) of a float buffer the size of a model's gradients: the
 * communication of one data-parallel step. Built and run by Scripts/bench/bench-distributed.sh:
 *   mpicc -O2 allreduce_bench.c -o allreduce_bench; mpirun -np 2 allreduce_bench COUNT REPS
 * Prints the best and median seconds over REPS calls (after one warm-up) on rank 0. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long count = argc > 1 ? atol(argv[1]) : 22713216;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (count <= 0 || count > (1L << 30) || reps <= 0 || reps > 1000) {
        if (rank == 0) fprintf(stderr, "usage: allreduce_bench COUNT(1..2^30) REPS(1..1000)\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    float *buf = malloc(sizeof(float) * (size_t)count);
    double *t = malloc(sizeof(double) * (size_t)reps);
    if (!buf || !t) MPI_Abort(MPI_COMM_WORLD, 3);
    for (long i = 0; i < count; i++) buf[i] = 1e-3f * (float)(i % 1000);
    MPI_Allreduce(MPI_IN_PLACE, buf, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    for (int r = 0; r < reps; r++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        MPI_Allreduce(MPI_IN_PLACE, buf, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        t[r] = MPI_Wtime() - t0;
    }
    qsort(t, (size_t)reps, sizeof(double), cmp);
    if (rank == 0)
        printf("{\"ranks\":%d,\"floats\":%ld,\"bytes\":%ld,\"best_s\":%.6f,\"median_s\":%.6f,\"algbw_GBps\":%.3f}\n",
               size, count, count * 4, t[0], t[reps / 2], (double)count * 4 / t[0] / 1e9);
    free(buf); free(t);
    MPI_Finalize();
    return 0;
}
