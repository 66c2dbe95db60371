#!/usr/bin/env bash
# The main job's recipe on ../shared's real legal corpus (legal5-real): a fresh small
# DistilBERT-style model with Docket's vocabulary, fine-tuned on its train split and
# evaluated on its dev split (its held-out test split is not distributed), plus the
# bag-of-words baseline on the same split. Needs ../shared/corpora/legal5-real.
# Output: runs/real/{init,model,report,evaluation.json}.
set -euo pipefail
cd "$(dirname "$0")/../.."
real=${DOCKET_REAL_CORPUS:-../shared/corpora/legal5-real}
[ -f "$real/train.jsonl" ] || { echo "legal-real-corpus: $real/train.jsonl not found" >&2; exit 1; }
out=${DOCKET_REAL_OUT:-runs/real}
swift build -c release --product docket
docket=.build/release/docket
rm -rf "$out"; mkdir -p "$out"
"$docket" init --config Corpora/docket-small.json --tokenizer Vocab/legal-wordpiece-4k.txt --output "$out/init" \
  --labels Contract,Patent,Litigation,Compliance,Corporate --seed 42
"$docket" finetune --model "$out/init" --train "$real/train.jsonl" --dev "$real/dev.jsonl" --output "$out/model" \
  --epochs 3 --batch-size 16 --learning-rate 1e-3 --warmup-ratio 0.1 --max-length 128 --seed 42 --metric accuracy
"$docket" evaluate --model "$out/model" --test "$real/dev.jsonl" --baseline "$real/train.jsonl" --max-length 128 --threshold auto \
  --report "$out/report"
"$docket" evaluate --model "$out/model" --test "$real/dev.jsonl" --baseline "$real/train.jsonl" --max-length 128 --threshold auto \
  --json > "$out/evaluation.json"
