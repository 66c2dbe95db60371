#!/usr/bin/env bash
# Whole-process speed and peak memory, Docket against its peers in the same run (release
# build, OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for every process; docs/kernels.md):
#   classify  N docs × 128 tokens, batch 32: docket classify fp32 / int8 / auto vs ONNX Runtime
#             FP32 and ORT's own int8 (quantize_dynamic), HF fast tokenizer, JSONL out;
#   finetune  8 steps × 16 × 128 from all-MiniLM-L6-v2: docket finetune vs PyTorch
#             load + train + save_pretrained (same recipe, 2 threads);
#   prescott  docket classify fp32 and finetune again with OPENBLAS_CORETYPE=Prescott (what an
#             OpenBLAS that does not know the CPU model would run; Docket must not care).
# Every command runs once per round, rounds alternate the engines (A B A B …) and the best
# wall time (and CPU time, user + sys) of ROUNDS is kept, so machine load hits every engine alike.
# Usage: Scripts/bench/bench-e2e.sh [ROUNDS=3] [N=320]   (DOCKET_BIN=path: use that release binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"; N="${2:-320}"
MODEL_SRC="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
[ -n "$MODEL_SRC" ] || { echo "all-MiniLM-L6-v2 not installed (Scripts/setup/setup-python.sh --minimal)"; exit 1; }
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
if [ -n "${DOCKET_BIN:-}" ]; then BIN="$DOCKET_BIN"  # a release binary built earlier
else swift build -c release --product docket >/dev/null; BIN="$(swift build -c release --show-bin-path)/docket"; fi
PY="$PWD/.venv/bin/python"
"$PY" Scripts/bench/bench_e2e.py prepare "$WORK" "$MODEL_SRC" "$N" 2>/dev/null
E="exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
C="--model $WORK/model --input $WORK/docs.jsonl --max-length 128 --batch-size 32"
F="--model $WORK/model --train $WORK/train.jsonl --max-steps 8 --epochs 1 --batch-size 16 --max-length 128"
{
  printf 'docket classify fp32\t%s %s classify %s --output %s\n' "$E" "$BIN" "$C" "$WORK/d.jsonl"
  printf 'ort fp32\t%s %s Scripts/bench/bench_e2e.py ort %s %s %s\n' "$E" "$PY" "$WORK" "$WORK/model.onnx" "$WORK/o.jsonl"
  printf 'docket classify int8\t%s %s classify %s --precision int8 --output %s\n' "$E" "$BIN" "$C" "$WORK/d8.jsonl"
  printf 'ort int8\t%s %s Scripts/bench/bench_e2e.py ort %s %s %s\n' "$E" "$PY" "$WORK" "$WORK/model.int8.onnx" "$WORK/o8.jsonl"
  printf 'docket classify auto\t%s %s classify %s --precision auto --output %s\n' "$E" "$BIN" "$C" "$WORK/da.jsonl"
  printf 'docket classify fp32 Prescott\tOPENBLAS_CORETYPE=Prescott exec %s classify %s --output %s\n' "$BIN" "$C" "$WORK/dp.jsonl"
  printf 'docket finetune\trm -rf %s; %s %s finetune %s --output %s\n' "$WORK/ft" "$E" "$BIN" "$F" "$WORK/ft"
  printf 'pytorch finetune\t%s %s Scripts/bench/bench_e2e.py torch-finetune %s 8\n' "$E" "$PY" "$WORK"
  printf 'docket finetune Prescott\trm -rf %s; OPENBLAS_CORETYPE=Prescott exec %s finetune %s --output %s\n' "$WORK/ftp" "$BIN" "$F" "$WORK/ftp"
} > "$WORK/cmds"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores; $("$BIN" inspect --system | grep -E '^(fp32|bf16|int8|auto):' | tr '\n' ';')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" Scripts/bench/bench_e2e.py run "$WORK" "$ROUNDS" "$WORK/cmds" > "$WORK/result.json"
"$PY" - "$WORK/result.json" "$N" <<'PY'
import json, sys
r, n = json.load(open(sys.argv[1])), int(sys.argv[2])
def row(name, ref=None):
    x = r[name]; s = f"{name:32s} {x['seconds']:7.2f} s {x['cpu_seconds']:7.2f} s {x['peak_mb']:7.0f} MB"
    if ref: s += f"   wall {r[ref]['seconds'] / x['seconds']:.2f}×, CPU {r[ref]['cpu_seconds'] / x['cpu_seconds']:.2f}× {ref}"
    print(s)
print(f"{'command (best of rounds)':32s} {'wall':>9s} {'CPU':>9s} {'peak RSS':>10s}")
row("ort fp32"); row("ort int8")
row("docket classify fp32", "ort fp32"); row("docket classify int8", "ort int8"); row("docket classify auto", "ort fp32")
row("docket classify fp32 Prescott", "ort fp32")
row("pytorch finetune"); row("docket finetune", "pytorch finetune"); row("docket finetune Prescott", "pytorch finetune")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
