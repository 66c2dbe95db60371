#!/usr/bin/env bash
# Docket's recipe for small, imbalanced text sets (docs/legal.md, "Hard real legal text"):
#   1. TF-IDF word unigrams (sublinear tf) + class-balanced logistic regression, C chosen by
#      5-fold cross-validation on TRAIN (macro-F1)                               — ~1 min
#   2. all-MiniLM-L6-v2 fine-tuned on TRAIN: mean pooling (how the checkpoint was trained),
#      T=256, 3 epochs, lr 1e-4 with 10% warmup, balanced class weights, best epoch by dev
#      macro-F1                                        — the slow part (~15 min on 2 cores)
#   3. one ensemble directory: both members pooled log-linearly, weights fitted on DEV
#      (class-balanced NLL); prints the members' and the ensemble's dev scores plus a
#      cross-fitted estimate.
# Usage: Scripts/evaluations/best-recipe.sh TRAIN.jsonl DEV.jsonl OUTDIR
# Then:  docket evaluate --model OUTDIR --test TEST.jsonl --json   (classify / TextClassifier load it too)
# Knobs (environment): DOCKET_RECIPE_EPOCHS (3), DOCKET_RECIPE_MAX_LENGTH (256),
# DOCKET_RECIPE_LR (1e-4), DOCKET_RECIPE_SEEDS (42; a list such as "42 7" adds one MiniLM member each),
# DOCKET_RECIPE_LONG_DOCUMENTS (truncate; chunk trains on every window, see finetune --help) with
# DOCKET_RECIPE_STRIDE / DOCKET_RECIPE_WINDOW_POOLING (finetune's defaults),
# DOCKET_RECIPE_NGRAM (1; a list such as "1 2" adds one linear member each), DOCKET_RECIPE_C ("0.3,1,3,10,30"; unigrams),
# DOCKET_RECIPE_C2 ("0.3,1,3"; 1–2-grams: larger C overfits 148k features and converges slowly),
# DOCKET_RECIPE_WORK (keep the member directories there; default a temporary directory),
# DOCKET_MINILM_DIR (default: Scripts/setup/minilm-path.sh), DOCKET_BIN (a prebuilt docket; default:
# swift build -c release).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 TRAIN.jsonl DEV.jsonl OUTDIR" >&2; exit 64; }
train=$(realpath "$1"); dev=$(realpath "$2"); out=$(realpath -m "$3")
cd "$(dirname "$0")/../.."
for f in "$train" "$dev"; do [ -f "$f" ] || { echo "best-recipe: $f not found" >&2; exit 1; }; done
docket=${DOCKET_BIN:-}
[ -n "$docket" ] || { swift build -c release --product docket >&2; docket=.build/release/docket; }
minilm=${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}
max_length=${DOCKET_RECIPE_MAX_LENGTH:-256}
if [ -n "${DOCKET_RECIPE_WORK:-}" ]; then  # keep the member directories there
  work=$(realpath -m "$DOCKET_RECIPE_WORK"); mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/docket-recipe.XXXXXX"); trap 'rm -rf "$work"' EXIT
fi
start=$(date +%s)
elapsed() { echo "best-recipe: $1 done at $(( $(date +%s) - start )) s" >&2; }
linear_members=()
for n in ${DOCKET_RECIPE_NGRAM:-1}; do  # one linear member per word n-gram range 1..n
  "$docket" train-linear --train "$train" --output "$work/linear-$n" --ngram-max "$n" \
    --c "$([ "$n" = 1 ] && echo "${DOCKET_RECIPE_C:-0.3,1,3,10,30}" || echo "${DOCKET_RECIPE_C2:-0.3,1,3}")" --class-weights balanced
  linear_members+=(--member "$work/linear-$n")
  elapsed "linear model (1..$n-grams)"
done
long=(--long-documents "${DOCKET_RECIPE_LONG_DOCUMENTS:-truncate}")  # chunk: recorded in the member's docket.json
[ -z "${DOCKET_RECIPE_STRIDE:-}" ] || long+=(--stride "$DOCKET_RECIPE_STRIDE")
[ -z "${DOCKET_RECIPE_WINDOW_POOLING:-}" ] || long+=(--window-pooling "$DOCKET_RECIPE_WINDOW_POOLING")
encoder_members=()
for seed in ${DOCKET_RECIPE_SEEDS:-42}; do  # one MiniLM member per seed
  "$docket" finetune --model "$minilm" --train "$train" --dev "$dev" --output "$work/minilm-$seed" \
    --epochs "${DOCKET_RECIPE_EPOCHS:-3}" --learning-rate "${DOCKET_RECIPE_LR:-1e-4}" --warmup-ratio 0.1 --batch-size 16 \
    --max-length "$max_length" --pooling mean --class-weights balanced --metric macro_f1 --seed "$seed" --recompute none \
    --save-steps 1000 --overwrite-output "${long[@]}"
  encoder_members+=(--member "$work/minilm-$seed")
  elapsed "fine-tune (seed $seed)"
done
rm -rf "$out"
"$docket" ensemble "${encoder_members[@]}" "${linear_members[@]}" --dev "$dev" --output "$out" --max-length "$max_length"
echo "best-recipe: $out written in $(( ($(date +%s) - start) / 60 )) min"
