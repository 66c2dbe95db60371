#!/usr/bin/env bash
# Training benchmark: Docket (release build) and PyTorch in the same run, 2 threads,
# batch 16 × 128, distilbert-base shapes and all-MiniLM-L6-v2 shapes, random weights.
# Prints one table: seq/s, peak RSS and the Docket/PyTorch ratios.
# Usage: Scripts/bench-training.sh [--steps N]   (default 5 timed steps after 2 warm-up steps)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=5
[[ "${1:-}" == "--steps" ]] && STEPS="$2"
export OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
swift build -c release --product docket >/dev/null
BIN="$(swift build -c release --show-bin-path)/docket"
PY=.venv/bin/python
printf "%-16s %12s %12s %8s %14s %14s %8s\n" model docket_seq/s torch_seq/s ratio docket_RSS_MB torch_RSS_MB mem
for m in minilm distilbert-base; do
  d=$("$BIN" bench train --model "$m" --batch-size 16 --seq-len 128 --steps "$STEPS" --json)
  t=$($PY Scripts/bench_training.py --model "$m" --batch-size 16 --seq-len 128 --steps "$STEPS" --threads 2)
  $PY - "$d" "$t" <<'PYEOF'
import json, sys
d, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("%-16s %12.2f %12.2f %7.2fx %14.0f %14.0f %7.2fx" % (d["model"], d["sequencesPerSecond"], t["sequencesPerSecond"],
      d["sequencesPerSecond"] / t["sequencesPerSecond"], d["peakRSSBytes"] / 1e6, t["peakRSSBytes"] / 1e6,
      d["peakRSSBytes"] / t["peakRSSBytes"]))
PYEOF
done
