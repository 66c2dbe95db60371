#!/usr/bin/env bash
# The scotus-issue dev ablation table of docs/legal.md ("Hard real legal text"): each step of
# the recipe for small imbalanced sets (Scripts/evaluations/best-recipe.sh), scored on
# ../shared/corpora/scotus-issue/dev.jsonl (accuracy and macro-F1 from `docket evaluate --json`).
# Writes runs/scotus-ablation/table.md. The MiniLM fine-tune is the slow step (~20–40 min on 2
# cores); DOCKET_ABLATION_MINILM=DIR reuses a checkpoint fine-tuned by the same command.
# Other corpus: DOCKET_ABLATION_CORPUS=DIR (train.jsonl, dev.jsonl).
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${DOCKET_ABLATION_CORPUS:-../shared/corpora/scotus-issue}
[ -f "$corpus/train.jsonl" ] || { echo "scotus-ablation: $corpus/train.jsonl not found (needs ../shared/corpora/scotus-issue)" >&2; exit 1; }
train=$corpus/train.jsonl; dev=$corpus/dev.jsonl
out=runs/scotus-ablation
mkdir -p "$out"
docket=${DOCKET_BIN:-}  # a prebuilt docket (default: swift build -c release)
[ -n "$docket" ] || { swift build -c release --product docket >&2; docket=.build/release/docket; }
minilm=${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}
table=$out/table.md
printf '| step | dev accuracy | dev macro-F1 | command |\n|---|---|---|---|\n' > "$table"

row() {  # row NAME MODEL_DIR COMMAND-TEXT [evaluate flags]
  local name=$1 model=$2 cmd=$3; shift 3
  "$docket" evaluate --model "$model" --test "$dev" --json "$@" > "$out/eval.json"
  printf '| %s | %.4f | %.4f | `%s` |\n' "$name" "$(jq .metrics.accuracy "$out/eval.json")" "$(jq .metrics.macro_f1 "$out/eval.json")" "$cmd" | tee -a "$table"
}
linear() {  # linear NAME DIR ARGS...
  local name=$1 dir=$2; shift 2
  "$docket" train-linear --train "$train" --output "$out/$dir" "$@" | tee "$out/$dir.txt"
  local chose; chose=$(grep -o 'C = [0-9.]*' "$out/$dir.txt" | head -1 || true)
  row "$name${chose:+ ($chose)}" "$out/$dir" "docket train-linear $*"
}

linear "TF-IDF 1–2-grams + LR, C=1, no class weights" linear-plain --c 1 --class-weights none
linear "same, balanced class weights (the evaluate baseline)" linear-balanced --c 1
linear "same, C by 5-fold CV on train" linear-cv --c 0.3,1,3,10,30
linear "unigrams, balanced, C by 5-fold CV on train" linear-uni --ngram-max 1 --c 0.3,1,3,10,30

ft=(--epochs 3 --learning-rate 1e-4 --warmup-ratio 0.1 --batch-size 16 --max-length 128 --pooling mean
    --class-weights balanced --metric macro_f1 --seed 42)
if [ -n "${DOCKET_ABLATION_MINILM:-}" ]; then
  model=$DOCKET_ABLATION_MINILM
else
  model=$out/minilm
  "$docket" finetune --model "$minilm" --train "$train" --dev "$dev" --output "$model" "${ft[@]}" --recompute none --save-steps 1000
fi
row "all-MiniLM-L6-v2 fine-tuned: mean pooling, T=128, 3 epochs, lr 1e-4, balanced, best epoch by dev macro-F1" "$model" \
  "docket finetune --model MINILM ${ft[*]}" --max-length 128

rm -rf "$out/ensemble"
"$docket" ensemble --member "$model" --member "$out/linear-uni" --dev "$dev" --output "$out/ensemble" --max-length 128 | tee "$out/ensemble.txt"
row "ensemble MiniLM + unigram linear, weights fitted on dev (optimistic)" "$out/ensemble" "docket ensemble --member MINILM_FT --member LINEAR_UNI --dev DEV"
honest=$(grep "cross-fitted" "$out/ensemble.txt" | sed -E 's/.*accuracy ([0-9.]+), macro-F1 ([0-9.]+).*/| same, 5-fold cross-fitted on dev (honest estimate) | \1 | \2 | (printed by docket ensemble) |/')
echo "$honest" | tee -a "$table"
echo "table: $table"
