#!/usr/bin/env bash
# Inference benchmark: Docket (release build) vs PyTorch eager vs ONNX Runtime, all with 2
# threads, in the same run: distilbert-base-sized (random weights) and all-MiniLM-L6-v2 at
# batch 32 × 128 tokens, plus batch-1 latency and peak RSS. Engines alternate per model so a
# burst of load from other processes hits them alike. Prints a table with ratios.
# Docket runs five times: fp32 with one caller ("docket") and with the batch split over 2
# workers ("docket-w2"), and the same with --precision bf16 ("docket-bf16", "docket-bf16-w2")
# and --precision int8 ("docket-int8", "docket-int8-w2"). Docket's products are oneDNN's
# (DESIGN.md §7), which picks its kernels by instruction set, so OPENBLAS_CORETYPE /
# OPENBLAS_L2_SIZE (exported on this machine) change nothing; these rows still run under
# `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` as the machine's notes ask of benchmarks, and
# one row keeps the inherited environment to show it ("docket-env", fp32). The BLAS column is
# the engine and ISA Docket reports in each run (e.g. "onednn avx512_core_bf16"). ORT
# also runs an int8 dynamic-quantized copy of the model ("ort-int8", its own opt-in reduced
# precision); ratios are against ORT FP32 ("ort") and, in the "vs int8" column, against
# ORT int8 ("ort-int8").
#   Scripts/bench/bench-inference.sh [ITERATIONS (default 5)] [ROUNDS (default 1)]
set -euo pipefail
cd "$(dirname "$0")/../.."
ITER="${1:-5}"; ROUNDS="${2:-1}"
PY=.venv/bin/python
MINILM="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
swift build -c release --product docket >&2
DOCKET="$(swift build -c release --product docket --show-bin-path)/docket"
for m in base minilm; do
  $PY Scripts/bench/bench_inference.py --export "$OUT/$m.onnx" --model $m >/dev/null 2>&1
  $PY Scripts/bench/bench_inference.py --quantize "$OUT/$m.onnx" "$OUT/$m-int8.onnx" >/dev/null 2>&1
done
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2
for r in $(seq "$ROUNDS"); do
  for m in base minilm; do
    if [ $m = base ]; then args=(--name "distilbert-base (random)"); else args=(--model "$MINILM" --name all-MiniLM-L6-v2); fi
    # as the environment has it (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE inherited), fp32
    "$DOCKET" bench classify "${args[@]}" --iterations "$ITER" --json | sed 's/^{/{"engine":"docket-env",/' >>"$OUT/results.jsonl"
    # OpenBLAS's own kernel detection; fp32, bf16 and int8, one caller and 2 workers
    for precision in fp32 bf16 int8; do
      suffix=$([ $precision != fp32 ] && echo -$precision || true)
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$DOCKET" bench classify "${args[@]}" --iterations "$ITER" \
        --precision $precision --json | sed "s/^{/{\"engine\":\"docket$suffix\",/" >>"$OUT/results.jsonl"
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$DOCKET" bench classify "${args[@]}" --iterations "$ITER" \
        --precision $precision --workers 2 --json | sed "s/^{/{\"engine\":\"docket$suffix-w2\",/" >>"$OUT/results.jsonl"
    done
    $PY Scripts/bench/bench_inference.py --engine ort --onnx "$OUT/$m.onnx" --model $m --iterations "$ITER" 2>/dev/null >>"$OUT/results.jsonl"
    # ORT's own opt-in reduced precision (int8 dynamic quantization), for comparison with bf16 / int8
    $PY Scripts/bench/bench_inference.py --engine ort --label ort-int8 --onnx "$OUT/$m-int8.onnx" --model $m --iterations "$ITER" \
      2>/dev/null >>"$OUT/results.jsonl"
    $PY Scripts/bench/bench_inference.py --engine torch --model $m --iterations "$ITER" 2>/dev/null >>"$OUT/results.jsonl"
  done
done
$PY - "$OUT/results.jsonl" <<'PYEOF'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
best = collections.OrderedDict()
for r in rows:  # best round per (model, engine)
    k = (r["model"], r["engine"])
    if k not in best or r["throughput_seq_per_sec"] > best[k]["throughput_seq_per_sec"]:
        best[k] = r
env = __import__('os').environ
print(f"inherited: OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE', '(unset)')} OPENBLAS_L2_SIZE={env.get('OPENBLAS_L2_SIZE', '(unset)')}")
print(f"{'model':<26}{'engine':<16}{'BLAS':<12}{'seq/s':>8}{'CPU ms/seq':>11}{'b1 ms':>8}{'peak MB':>9}{'vs ORT':>8}{'vs int8':>8}{'vs torch':>9}")
for (model, engine), r in best.items():
    ort, pt, q8 = best.get((model, "ort")), best.get((model, "torch")), best.get((model, "ort-int8"))
    x = r["throughput_seq_per_sec"]
    print(f"{model:<26}{engine:<16}{r.get('blas_core', '-'):<12}{x:>8.2f}{r.get('cpu_ms_per_seq', 0):>11.1f}{r['latency_ms_batch1']:>8.1f}"
          f"{r['peak_rss_mb']:>9.0f}{x / ort['throughput_seq_per_sec'] if ort else float('nan'):>8.2f}"
          f"{x / q8['throughput_seq_per_sec'] if q8 else float('nan'):>8.2f}"
          f"{x / pt['throughput_seq_per_sec'] if pt else float('nan'):>9.2f}")
PYEOF
