#!/usr/bin/env bash
# BLAS thread policy for concurrent callers (DESIGN.md §7), measured end to end through
# `docket classify` (release build) on all-MiniLM-L6-v2 with a created 5-label head:
#   A) --workers 1: one forward at a time, OpenBLAS and the kernels use both cores;
#   B) --workers 2: two concurrent forwards, each free to use 2 BLAS threads (oversubscribed);
#   C) --workers 2 with OPENBLAS_NUM_THREADS=1: two concurrent forwards, one BLAS thread each.
# Input: N synthetic legal-style documents (~128 tokens each), max length 128, batch 32.
# Usage: Scripts/bench/bench-classify-policy.sh [N=512]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-512}"
MODEL_SRC="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
[ -n "$MODEL_SRC" ] || { echo "all-MiniLM-L6-v2 not installed (Scripts/setup/setup-python.sh --minimal)"; exit 1; }
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
# A classifier directory: MiniLM's files plus 5 labels in config.json (the head is created).
mkdir -p "$WORK/model"
cp "$MODEL_SRC"/{model.safetensors,vocab.txt,tokenizer.json,tokenizer_config.json} "$WORK/model/"
python3 - "$MODEL_SRC/config.json" "$WORK/model/config.json" "$N" "$WORK/docs.jsonl" <<'PY'
import json, random, sys
cfg = json.load(open(sys.argv[1]))
labels = ["Contract", "Patent", "Litigation", "Compliance", "Corporate"]
cfg["id2label"] = {str(i): l for i, l in enumerate(labels)}
cfg["label2id"] = {l: i for i, l in enumerate(labels)}
json.dump(cfg, open(sys.argv[2], "w"))
words = ("the agreement party shall indemnify licensee patent claim court plaintiff defendant motion "
         "compliance policy board resolution approve merger statute regulation breach damages notice "
         "term termination confidential information jurisdiction arbitration filing").split()
rng = random.Random(42)
with open(sys.argv[4], "w") as f:
    for i in range(int(sys.argv[3])):
        f.write(json.dumps({"id": i, "text": " ".join(rng.choice(words) for _ in range(120))}) + "\n")
PY
swift build -c release --product docket >/dev/null
BIN=.build/release/docket
run() {  # label, env..., -- args
    local label="$1"; shift
    local start end
    start=$(date +%s.%N)
    env "$@" "$BIN" classify --model "$WORK/model" --input "$WORK/docs.jsonl" --output "$WORK/out.jsonl" \
        --max-length 128 --batch-size 32 $EXTRA 2>/dev/null
    end=$(date +%s.%N)
    python3 -c "import sys; n=$N; t=$end-$start; print(f'{sys.argv[1]:<44} {t:7.2f} s  {n/t:7.1f} docs/s')" "$label"
}
echo "docs=$N max_length=128 batch=32 ($(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg))"
EXTRA="--workers 1" run "A) workers 1, BLAS threads default" OPENBLAS_NUM_THREADS=2
EXTRA="--workers 2" run "B) workers 2, BLAS threads 2 each" OPENBLAS_NUM_THREADS=2
EXTRA="--workers 2" run "C) workers 2, BLAS threads 1 each" OPENBLAS_NUM_THREADS=1
EXTRA="--workers 1" run "A) workers 1, BLAS threads default (repeat)" OPENBLAS_NUM_THREADS=2
