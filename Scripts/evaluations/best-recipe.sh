#!/usr/bin/env bash
# Docket's recipe for small, imbalanced text sets (docs/legal.md, "Hard real legal text"):
#   1. TF-IDF word 1–2-grams + class-balanced logistic regression, C chosen by 5-fold
#      cross-validation on TRAIN (macro-F1)                                    — seconds
#   2. all-MiniLM-L6-v2 fine-tuned on TRAIN (T=256, lr 5e-5, balanced class weights, best
#      epoch by dev macro-F1)                                                  — the slow part
#   3. one ensemble directory: both members pooled log-linearly, weights fitted on DEV
#      (class-balanced NLL); prints the members' and the ensemble's dev scores plus a
#      cross-fitted estimate.
# Usage: Scripts/evaluations/best-recipe.sh TRAIN.jsonl DEV.jsonl OUTDIR
# Then:  docket evaluate --model OUTDIR --test TEST.jsonl --json   (classify / TextClassifier load it too)
# Knobs (environment): DOCKET_RECIPE_EPOCHS (4), DOCKET_RECIPE_MAX_LENGTH (256),
# DOCKET_RECIPE_C ("0.3,1,3,10,30"), DOCKET_MINILM_DIR (default: Scripts/setup/minilm-path.sh).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 TRAIN.jsonl DEV.jsonl OUTDIR" >&2; exit 64; }
train=$(realpath "$1"); dev=$(realpath "$2"); out=$(realpath -m "$3")
cd "$(dirname "$0")/../.."
for f in "$train" "$dev"; do [ -f "$f" ] || { echo "best-recipe: $f not found" >&2; exit 1; }; done
swift build -c release --product docket >&2
docket=.build/release/docket
minilm=${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-recipe.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
"$docket" train-linear --train "$train" --dev "$dev" --output "$work/linear" --c "${DOCKET_RECIPE_C:-0.3,1,3,10,30}" --class-weights balanced
"$docket" finetune --model "$minilm" --train "$train" --dev "$dev" --output "$work/minilm" \
  --epochs "${DOCKET_RECIPE_EPOCHS:-4}" --learning-rate 5e-5 --batch-size 16 --max-length "${DOCKET_RECIPE_MAX_LENGTH:-256}" \
  --class-weights balanced --metric macro_f1 --seed 42 --recompute none
rm -rf "$out"
"$docket" ensemble --member "$work/minilm" --member "$work/linear" --dev "$dev" --output "$out" \
  --max-length "${DOCKET_RECIPE_MAX_LENGTH:-256}"
echo "best-recipe: $out written in $(( ($(date +%s) - start) / 60 )) min"
