#!/usr/bin/env bash
# Engine choice per precision, measured (DESIGN.md §7): builds Scripts/bench/bench_onednn_engines.c
# against oneDNN and Docket's own bf16 / int8 C kernels and prints GFLOP/s per encoder shape.
# Usage: Scripts/bench/bench-onednn-engines.sh [ROUNDS=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
clang -O2 -std=gnu11 -ISources/CKernelsBF16/include -ISources/CKernelsInt8/include -ISources/CKernelsInt8 \
   Scripts/bench/bench_onednn_engines.c Sources/CKernelsBF16/*.c Sources/CKernelsInt8/*.c -o "$OUT/engines" -ldnnl -lpthread -lm
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/engines" "${1:-20}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
