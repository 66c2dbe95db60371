#!/usr/bin/env bash
# The scotus-issue dev ablation table of docs/legal.md ("Hard real legal text"): each step of
# the recipe for small imbalanced sets, scored on ../shared/corpora/scotus-issue/dev.jsonl
# (accuracy and macro-F1, from `docket evaluate --json`). Writes runs/scotus-ablation/table.md.
# The MiniLM fine-tune is the slow step (tens of minutes on 2 cores); set
# DOCKET_ABLATION_MINILM=DIR to reuse a checkpoint fine-tuned by the same command.
# Other corpus: DOCKET_ABLATION_CORPUS=DIR (train.jsonl, dev.jsonl).
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${DOCKET_ABLATION_CORPUS:-../shared/corpora/scotus-issue}
[ -f "$corpus/train.jsonl" ] || { echo "scotus-ablation: $corpus/train.jsonl not found (needs ../shared/corpora/scotus-issue)" >&2; exit 1; }
train=$corpus/train.jsonl; dev=$corpus/dev.jsonl
out=runs/scotus-ablation
mkdir -p "$out"
swift build -c release --product docket >&2
docket=.build/release/docket
minilm=${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}
table=$out/table.md
printf '| step | dev accuracy | dev macro-F1 | command |\n|---|---|---|---|\n' > "$table"

row() {  # row NAME MODEL_DIR COMMAND-TEXT [evaluate flags]
  local name=$1 model=$2 cmd=$3; shift 3
  "$docket" evaluate --model "$model" --test "$dev" --json "$@" > "$out/eval.json"
  printf '| %s | %.4f | %.4f | `%s` |\n' "$name" "$(jq .metrics.accuracy "$out/eval.json")" "$(jq .metrics.macro_f1 "$out/eval.json")" "$cmd" | tee -a "$table"
}

"$docket" train-linear --train "$train" --output "$out/linear-plain" --c 1 --class-weights none
row "TF-IDF 1–2-gram + LR, C=1, no class weights" "$out/linear-plain" "docket train-linear --c 1 --class-weights none"
"$docket" train-linear --train "$train" --output "$out/linear-balanced" --c 1
row "same, class_weight balanced (the evaluate baseline)" "$out/linear-balanced" "docket train-linear --c 1"
"$docket" train-linear --train "$train" --output "$out/linear-cv" --c 0.3,1,3,10,30 | tee "$out/linear-cv.txt"
row "same, C by 5-fold CV on train ($(grep -o 'C = [0-9.]*' "$out/linear-cv.txt" | head -1))" "$out/linear-cv" "docket train-linear --c 0.3,1,3,10,30"

ft="docket finetune --model MINILM --epochs 4 --learning-rate 5e-5 --batch-size 16 --max-length 256 --class-weights balanced --metric macro_f1 --seed 42"
if [ -n "${DOCKET_ABLATION_MINILM:-}" ]; then
  model=$DOCKET_ABLATION_MINILM
else
  model=$out/minilm
  "$docket" finetune --model "$minilm" --train "$train" --dev "$dev" --output "$model" --epochs 4 --learning-rate 5e-5 \
    --batch-size 16 --max-length 256 --class-weights balanced --metric macro_f1 --seed 42 --recompute none
fi
row "all-MiniLM-L6-v2 fine-tuned (T=256, 4 epochs, lr 5e-5, balanced, best epoch by dev macro-F1)" "$model" "$ft" --max-length 256

rm -rf "$out/ensemble"
"$docket" ensemble --member "$model" --member "$out/linear-cv" --dev "$dev" --output "$out/ensemble" --max-length 256 | tee "$out/ensemble.txt"
row "ensemble MiniLM + linear (CV C), weights fitted on dev (optimistic)" "$out/ensemble" "docket ensemble --member MINILM_FT --member LINEAR --dev DEV"
honest=$(grep "cross-fitted" "$out/ensemble.txt" | sed -E 's/.*accuracy ([0-9.]+), macro-F1 ([0-9.]+).*/| same, 5-fold cross-fitted on dev (honest estimate) | \1 | \2 | (printed by docket ensemble) |/')
echo "$honest" | tee -a "$table"
echo "table: $table"
