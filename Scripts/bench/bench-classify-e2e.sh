#!/usr/bin/env bash
# End-to-end batch classification, JSONL in → JSONL out, Docket against PyTorch in the same
# run: `docket classify` (release) vs transformers (AutoTokenizer fast + BertForSequenceClassification,
# eval, torch 2 threads, batches of 32 in input order padded to the longest, JSON lines out).
# Model: all-MiniLM-L6-v2 with the same created 5-label head in both (the head is saved by
# the Python side first, so both load identical weights). Max length 128.
# Usage: Scripts/bench/bench-classify-e2e.sh [N=256]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-256}"
MODEL_SRC="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
[ -n "$MODEL_SRC" ] || { echo "all-MiniLM-L6-v2 not installed (Scripts/setup/setup-python.sh --minimal)"; exit 1; }
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
swift build -c release --product docket >/dev/null
.venv/bin/python - "$MODEL_SRC" "$WORK" "$N" <<'PY'
import json, os, random, sys, time
import torch
from transformers import AutoTokenizer, BertForSequenceClassification
src, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
labels = ["Contract", "Patent", "Litigation", "Compliance", "Corporate"]
torch.manual_seed(0)
model = BertForSequenceClassification.from_pretrained(src, num_labels=5, id2label=dict(enumerate(labels)),
                                                      label2id={l: i for i, l in enumerate(labels)})
model.eval()
os.makedirs(f"{work}/model")
model.save_pretrained(f"{work}/model")
tok = AutoTokenizer.from_pretrained(src)
tok.save_pretrained(f"{work}/model")
words = ("the agreement party shall indemnify licensee patent claim court plaintiff defendant motion "
         "compliance policy board resolution approve merger statute regulation breach damages notice "
         "term termination confidential information jurisdiction arbitration filing").split()
rng = random.Random(42)
with open(f"{work}/docs.jsonl", "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": i, "text": " ".join(rng.choice(words) for _ in range(rng.randint(20, 120)))}) + "\n")
torch.set_num_threads(2)
start = time.perf_counter()
docs = [json.loads(l) for l in open(f"{work}/docs.jsonl")]
with open(f"{work}/torch.jsonl", "w") as out, torch.inference_mode():
    for b in range(0, len(docs), 32):
        batch = docs[b:b + 32]
        enc = tok([d["text"] for d in batch], truncation=True, max_length=128, padding=True, return_tensors="pt")
        logits = model(**enc).logits
        probs = torch.softmax(logits, -1)
        for d, p, l in zip(batch, probs, logits):
            k = int(p.argmax())
            out.write(json.dumps({"id": d["id"], "label": labels[k], "score": float(p[k]),
                                  "probabilities": dict(zip(labels, map(float, p))), "logits": l.tolist()}) + "\n")
t = time.perf_counter() - start
print(f"PyTorch {torch.__version__} (2 threads)    {t:7.2f} s  {n / t:7.1f} docs/s")
with open(f"{work}/torch.time", "w") as f:
    f.write(str(t))
PY
start=$(date +%s.%N)
.build/release/docket classify --model "$WORK/model" --input "$WORK/docs.jsonl" --output "$WORK/docket.jsonl" \
    --max-length 128 --batch-size 32 2>/dev/null
end=$(date +%s.%N)
python3 - "$WORK" "$N" "$start" "$end" <<'PY'
import json, sys
work, n, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
t = end - start
tt = float(open(f"{work}/torch.time").read())
print(f"docket classify (release)     {t:7.2f} s  {n / t:7.1f} docs/s   ratio {tt / t:.2f}x PyTorch")
a = [json.loads(l) for l in open(f"{work}/docket.jsonl")]
b = [json.loads(l) for l in open(f"{work}/torch.jsonl")]
same = sum(x["label"] == y["label"] for x, y in zip(a, b))
diff = max(abs(p - q) for x, y in zip(a, b) for p, q in zip(x["logits"], y["logits"]))
print(f"labels equal {same}/{n}, max |logit diff| {diff:.2e}")
PY
echo "(load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
