#!/usr/bin/env bash
# Real fine-tune, Docket vs PyTorch, same recipe: all-MiniLM-L6-v2 on legal5-real train → dev
# (max length 128, batch 16, lr 5e-5, 2 epochs, warmup 10 %, weight decay 0.01, clip 1.0,
# seed 42, 2 threads). Prints both dev accuracies per epoch, then loads Docket's checkpoint in
# PyTorch (AutoModelForSequenceClassification + AutoTokenizer from the output directory) and
# compares its dev predictions and logits with Docket's dev_predictions.jsonl.
# Usage: Scripts/evaluations/compare-finetune.sh [WORKDIR]   (needs ../shared/corpora/legal5-real and MiniLM)
set -euo pipefail
cd "$(dirname "$0")/../.."
W="${1:-$(mktemp -d /tmp/docket-compare-XXXXXX)}"
C="${DOCKET_LEGAL_REAL:-../shared/corpora/legal5-real}"
M="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
PY=.venv/bin/python
export OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
swift build -c release --product docket >/dev/null
BIN="$(swift build -c release --show-bin-path)/docket"
RECIPE=(--epochs 2 --batch-size 16 --learning-rate 5e-5 --warmup-ratio 0.1 --weight-decay 0.01 --max-length 128 --seed 42)
mkdir -p "$W"
start=$(date +%s)
"$BIN" finetune --model "$M" --train "$C/train.jsonl" --dev "$C/dev.jsonl" --output "$W/docket" "${RECIPE[@]}" > "$W/docket.out"
echo "docket: $(( $(date +%s) - start )) s"
start=$(date +%s)
$PY Scripts/evaluations/finetune_pytorch.py --model "$M" --train "$C/train.jsonl" --dev "$C/dev.jsonl" "${RECIPE[@]}" > "$W/torch.json"
echo "pytorch: $(( $(date +%s) - start )) s"
$PY - "$W" "$C/dev.jsonl" <<'PY'
import json, sys
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer
w, dev_path = sys.argv[1], sys.argv[2]
evals = [json.loads(l) for l in open(f"{w}/docket/training_log.jsonl") if '"type":"eval"' in l]
t = json.load(open(f"{w}/torch.json"))
print("epoch  docket_acc  docket_macroF1  torch_acc  torch_macroF1")
for d, p in zip(evals, t["epochs"]):
    print(f"{d['epoch']:5d}  {d['accuracy']:10.4f}  {d['macro_f1']:14.4f}  {p['dev_accuracy']:9.4f}  {p['dev_macro_f1']:13.4f}")
torch.set_num_threads(2)
tok = AutoTokenizer.from_pretrained(f"{w}/docket")
model = AutoModelForSequenceClassification.from_pretrained(f"{w}/docket", attn_implementation="eager").eval()
dev = [json.loads(l) for l in open(dev_path) if l.strip()]
ours = [json.loads(l) for l in open(f"{w}/docket/dev_predictions.jsonl")]
agree, worst = 0, 0.0
with torch.no_grad():
    for row, mine in zip(dev, ours):
        enc = tok(row["text"], truncation=True, max_length=128, return_tensors="pt")
        logits = model(**enc).logits[0]
        agree += model.config.id2label[int(logits.argmax())] == mine["predicted"]
        worst = max(worst, float((logits - torch.tensor(mine["logits"])).abs().max()))
print(f"Docket checkpoint in PyTorch: {agree}/{len(dev)} dev predictions identical, max |logit diff| {worst:.2e}")
PY
