#!/usr/bin/env bash
# The main job, complete on its own on a fresh machine (a few minutes on 2 cores):
#   1. install the system packages and build docket (release);
#   2. create a fresh small DistilBERT-style model (Corpora/docket-small.json: dim 128, 2 layers,
#      4 heads) with Docket's own WordPiece vocabulary (Vocab/legal-wordpiece-4k.txt);
#   3. fine-tune it on the embedded legal corpus (Corpora/train.jsonl, dev each epoch);
#   4. evaluate on the test split: accuracy, per-class metrics, calibration, the savings
#      report, the bag-of-words baseline on the same split, and the HTML report.
# Output: runs/main/{init,model,report}; override with DOCKET_MAIN_OUT=DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${DOCKET_MAIN_OUT:-runs/main}
epochs=${DOCKET_MAIN_EPOCHS:-3}
labels=Contract,Patent,Litigation,Compliance,Corporate
vocab=Vocab/legal-wordpiece-4k.txt

Scripts/setup/setup.sh
swift build -c release --product docket
docket=.build/release/docket

[ -f "$vocab" ] || { echo "main: $vocab is missing (Docket's vocabulary; see Vocab/README.md)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"

echo "== docket init: fresh model from Corpora/docket-small.json with $vocab"
"$docket" init --config Corpora/docket-small.json --tokenizer "$vocab" --output "$out/init" --labels "$labels" --seed 42

echo "== docket finetune: $epochs epochs on Corpora/train.jsonl (dev: Corpora/dev.jsonl)"
start=$(date +%s)
"$docket" finetune --model "$out/init" --train Corpora/train.jsonl --dev Corpora/dev.jsonl --output "$out/model" \
  --epochs "$epochs" --batch-size 16 --learning-rate 1e-3 --warmup-ratio 0.1 --max-length 128 --seed 42 --metric accuracy
echo "fine-tuning took $(( $(date +%s) - start )) s"

echo "== docket evaluate on Corpora/test.jsonl (with the bag-of-words baseline on the same split)"
"$docket" evaluate --model "$out/model" --test Corpora/test.jsonl --calibrate Corpora/dev.jsonl \
  --baseline Corpora/train.jsonl --max-length 128 --threshold auto --report "$out/report"
"$docket" evaluate --model "$out/model" --test Corpora/test.jsonl --calibrate Corpora/dev.jsonl \
  --baseline Corpora/train.jsonl --max-length 128 --threshold auto --json > "$out/evaluation.json"
echo "JSON evaluation: $out/evaluation.json"
