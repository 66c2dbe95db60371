#!/usr/bin/env bash
# A linear layer's three products (forward NT, backward NN and TN) at the encoder shapes,
# split into single-threaded dnnl_sgemm parts on two threads (Docket's way) vs one call on
# oneDNN's 2 OpenMP threads, in isolation (docs/kernels.md "Row split or oneDNN's threads").
# Usage: Scripts/bench/bench-linear-split.sh [ROUNDS=30]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
clang -O2 -std=gnu11 Scripts/bench/bench_linear_split.c -o "$OUT/split" -ldnnl -l:libgomp.so.1 -lpthread
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/split" "${1:-30}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
