#!/usr/bin/env bash
# The scotus-issue dev ablation table of docs/legal.md ("Hard real legal text"): each step of
# the recipe for small imbalanced sets (Scripts/evaluations/best-recipe.sh), scored on
# ../shared/corpora/scotus-issue/dev.jsonl (accuracy and macro-F1 from `docket evaluate --json`).
# Writes runs/scotus-ablation/table.md. The MiniLM fine-tunes are the slow steps (~7, ~12, ~15 and
# ~20 min on 2 quiet cores); a rerun reuses any runs/scotus-ablation/minilm* checkpoint already written (delete
# it to retrain).
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

ft=(--learning-rate 1e-4 --warmup-ratio 0.1 --batch-size 16 --pooling mean
    --class-weights balanced --metric macro_f1)
minilm() {  # minilm NAME DIR EPOCHS [T [SEED [FLAGS...]]]: fine-tune all-MiniLM-L6-v2 (reused when runs/scotus-ablation/DIR has a model)
  local name=$1 dir=$2 epochs=$3 t=${4:-128} seed=${5:-42}; shift $(( $# < 5 ? $# : 5 ))
  if [ ! -f "$out/$dir/config.json" ]; then
    "$docket" finetune --model "$minilm" --train "$train" --dev "$dev" --output "$out/$dir" --epochs "$epochs" "${ft[@]}" \
      --seed "$seed" --max-length "$t" --recompute none --save-steps 1000 --overwrite-output "$@"
  fi  # evaluate takes a chunk-trained member's long-document mode from its docket.json
  row "$name" "$out/$dir" "docket finetune --model MINILM --epochs $epochs ${ft[*]} --seed $seed --max-length $t${*:+ $*}" --max-length "$t"
}
ensemble() {  # ensemble NAME DIR MEMBER...: weights fitted on dev (row), plus the cross-fitted estimate (row); T from $T
  local name=$1 dir=$2; shift 2
  local args=() m; for m in "$@"; do args+=(--member "$out/$m"); done
  rm -rf "${out:?}/$dir"
  "$docket" ensemble "${args[@]}" --dev "$dev" --output "$out/$dir" --max-length "${T:-128}" | tee "$out/$dir.txt"
  row "$name, weights fitted on dev (optimistic)" "$out/$dir" "docket ensemble ${args[*]} --dev DEV --max-length ${T:-128}"
  grep "cross-fitted" "$out/$dir.txt" | sed -E 's/.*accuracy ([0-9.]+), macro-F1 ([0-9.]+).*/| same, 5-fold cross-fitted on dev (honest estimate) | \1 | \2 | (printed by docket ensemble) |/' | tee -a "$table"
}

minilm "all-MiniLM-L6-v2 fine-tuned: mean pooling, T=128, 3 epochs, lr 1e-4, balanced, best epoch by dev macro-F1" minilm 3
ensemble "ensemble 3-epoch MiniLM + unigram linear" ensemble minilm linear-uni
minilm "same, 5 epochs" minilm-e5 5
ensemble "ensemble 5-epoch MiniLM + unigram linear" ensemble-e5 minilm-e5 linear-uni
ensemble "ensemble 5-epoch MiniLM + unigram linear + 1–2-gram linear (C by CV)" ensemble-e5-3 minilm-e5 linear-uni linear-cv
minilm "same as the 3-epoch row, T=256" minilm-t256 3 256
T=256 ensemble "ensemble T=256 MiniLM + unigram linear" ensemble-t256 minilm-t256 linear-uni
minilm "same as the 3-epoch row, --long-documents chunk (every window, stride 32, window mean pooling)" minilm-chunk 3 128 42 --long-documents chunk
ensemble "ensemble chunk-trained MiniLM + unigram linear" ensemble-chunk minilm-chunk linear-uni
echo "table: $table"
