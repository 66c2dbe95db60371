#!/usr/bin/env bash
# Inference benchmark: Docket (release build) vs PyTorch eager vs ONNX Runtime, all with 2
# threads, in the same run: distilbert-base-sized (random weights) and all-MiniLM-L6-v2 at
# batch 32 × 128 tokens, plus batch-1 latency and peak RSS. Engines alternate per model so a
# burst of load from other processes hits them alike. Prints a table with ratios.
# Docket runs three times: with the inherited environment ("docket"; this machine exports
# OPENBLAS_CORETYPE=Haswell, which forces OpenBLAS's AVX2 kernels), with
# OPENBLAS_CORETYPE=Cooperlake (what OpenBLAS detects for this AVX-512 CPU; "docket-cpl"), and
# the latter with the batch split over 2 workers with single-threaded BLAS ("docket-cpl-w2").
# ORT and PyTorch do not use OpenBLAS.
#   Scripts/bench-inference.sh [ITERATIONS (default 5)] [ROUNDS (default 1)]
set -euo pipefail
cd "$(dirname "$0")/.."
ITER="${1:-5}"; ROUNDS="${2:-1}"
PY=.venv/bin/python
MINILM="${DOCKET_MINILM_DIR:-$(Scripts/minilm-path.sh)}"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
swift build -c release --product docket >&2
DOCKET="$(swift build -c release --product docket --show-bin-path)/docket"
for m in base minilm; do
  $PY Scripts/bench_inference.py --export "$OUT/$m.onnx" --model $m >/dev/null 2>&1
done
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2
for r in $(seq "$ROUNDS"); do
  for m in base minilm; do
    if [ $m = base ]; then args=(--name "distilbert-base (random)"); else args=(--model "$MINILM" --name all-MiniLM-L6-v2); fi
    # as the environment has it (this machine exports OPENBLAS_CORETYPE=Haswell: AVX2 kernels)
    "$DOCKET" bench classify "${args[@]}" --iterations "$ITER" --json | sed 's/^{/{"engine":"docket",/' >>"$OUT/results.jsonl"
    # OpenBLAS's own choice for this CPU (AVX-512 Cooperlake kernels), one caller and 2 workers
    OPENBLAS_CORETYPE=Cooperlake "$DOCKET" bench classify "${args[@]}" --iterations "$ITER" --json \
      | sed 's/^{/{"engine":"docket-cpl",/' >>"$OUT/results.jsonl"
    OPENBLAS_CORETYPE=Cooperlake "$DOCKET" bench classify "${args[@]}" --iterations "$ITER" --workers 2 --json \
      | sed 's/^{/{"engine":"docket-cpl-w2",/' >>"$OUT/results.jsonl"
    $PY Scripts/bench_inference.py --engine ort --onnx "$OUT/$m.onnx" --model $m --iterations "$ITER" 2>/dev/null >>"$OUT/results.jsonl"
    $PY Scripts/bench_inference.py --engine torch --model $m --iterations "$ITER" 2>/dev/null >>"$OUT/results.jsonl"
  done
done
$PY - "$OUT/results.jsonl" <<'PYEOF'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
best = collections.OrderedDict()
for r in rows:  # best round per (model, engine)
    k = (r["model"], r["engine"])
    if k not in best or r["throughputSeqPerSec"] > best[k]["throughputSeqPerSec"]:
        best[k] = r
print(f"OPENBLAS_CORETYPE inherited: {__import__('os').environ.get('OPENBLAS_CORETYPE', '(unset)')}")
print(f"{'model':<26}{'engine':<14}{'seq/s':>8}{'CPU ms/seq':>11}{'b1 ms':>8}{'peak MB':>9}{'vs ORT':>8}{'vs torch':>9}")
for (model, engine), r in best.items():
    ort, pt = best.get((model, "ort")), best.get((model, "torch"))
    x = r["throughputSeqPerSec"]
    print(f"{model:<26}{engine:<14}{x:>8.2f}{r.get('cpuMsPerSeq', 0):>11.1f}{r['latencyMsBatch1']:>8.1f}{r['peakRSSMB']:>9.0f}"
          f"{x / ort['throughputSeqPerSec'] if ort else float('nan'):>8.2f}{x / pt['throughputSeqPerSec'] if pt else float('nan'):>9.2f}")
PYEOF
