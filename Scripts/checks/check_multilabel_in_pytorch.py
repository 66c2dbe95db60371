#!/usr/bin/env python3
"""A multi-label checkpoint written by `docket finetune` in PyTorch.

Writes a small seeded multi-label data set (JSONL "labels" lists: topics present or not, their
words in the text), fine-tunes all-MiniLM-L6-v2 with Docket (release binary; gradient
accumulation 2, cosine schedule, eval steps, --save-total-limit; 12 optimizer steps), then loads the output
directory with transformers' AutoModelForSequenceClassification + AutoTokenizer and re-predicts
the dev set: the config's problem_type must be multi_label_classification, the logits must
equal Docket's dev_predictions.jsonl (max |difference| printed, limit 1e-4), and the label sets
above Docket's saved docket_decision_thresholds (sigmoid) must equal Docket's predictions. The
PyTorch loss of the batch (BCEWithLogitsLoss, what transformers uses for this problem_type) is
printed beside Docket's dev loss at thresholds-independent level.

Run: .venv/bin/python Scripts/checks/check_multilabel_in_pytorch.py [WORKDIR]
(DOCKET_BIN=path/to/docket skips the release build and uses that binary.)
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TOPICS = [("antitrust", ["merger", "cartel", "competition"]), ("employment", ["employee", "wages", "dismissal"]),
          ("privacy", ["data", "consent", "breach"]), ("tax", ["income", "deduction", "revenue"])]
FILLER = ["the", "court", "held", "that", "parties", "agreement", "pursuant", "section", "claim", "notice"]


def documents(n, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        labels = [name for name, _ in TOPICS if rng.random() < 0.4]
        words = rng.sample(FILLER, 6)
        for name, vocab in TOPICS:
            if name in labels:
                words += rng.sample(vocab, 2)
        rng.shuffle(words)
        out.append({"text": " ".join(words), "labels": labels})
    return out


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="docket-multilabel-")
    os.makedirs(work, exist_ok=True)
    minilm = subprocess.run([os.path.join(ROOT, "Scripts", "minilm-path.sh")], capture_output=True, text=True,
                            check=True).stdout.strip()
    for name, n, seed in [("train", 64, 1), ("dev", 32, 2)]:
        with open(os.path.join(work, f"{name}.jsonl"), "w") as f:
            for d in documents(n, seed):
                f.write(json.dumps(d) + "\n")
    binary = os.environ.get("DOCKET_BIN")
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "docket"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip() + "/docket"
    out = os.path.join(work, "model")
    subprocess.run([binary, "finetune", "--model", minilm, "--train", os.path.join(work, "train.jsonl"),
                    "--dev", os.path.join(work, "dev.jsonl"), "--output", out, "--overwrite-output",
                    "--epochs", "3", "--batch-size", "8", "--gradient-accumulation-steps", "2", "--lr-scheduler", "cosine",
                    "--warmup-ratio", "0.1", "--learning-rate", "2e-4", "--max-length", "32", "--eval-steps", "4",
                    "--save-steps", "4", "--save-total-limit", "2"], check=True)
    torch.set_num_threads(2)
    config = json.load(open(os.path.join(out, "config.json")))
    thresholds = config["docket_decision_thresholds"]
    tok = AutoTokenizer.from_pretrained(out)
    model = AutoModelForSequenceClassification.from_pretrained(out, attn_implementation="eager").eval()
    assert model.config.problem_type == "multi_label_classification", model.config.problem_type
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    dev = [json.loads(l) for l in open(os.path.join(work, "dev.jsonl"))]
    ours = [json.loads(l) for l in open(os.path.join(out, "dev_predictions.jsonl"))]
    enc = tok([d["text"] for d in dev], truncation=True, max_length=32, padding=True, return_tensors="pt")
    targets = torch.tensor([[1.0 if l in d["labels"] else 0.0 for l in labels] for d in dev])
    with torch.no_grad():
        result = model(**enc, labels=targets)
    logits = result.logits
    docket = torch.tensor([o["logits"] for o in ours])
    worst = float((logits - docket).abs().max())
    probs = torch.sigmoid(logits)
    same_sets = sum(
        sorted(labels[j] for j in range(len(labels)) if probs[i, j] > thresholds[labels[j]]) == sorted(ours[i]["predicted"])
        for i in range(len(dev)))
    evals = [json.loads(l) for l in open(os.path.join(out, "training_log.jsonl")) if '"type":"eval"' in l]
    print(f"checkpoints: {sorted(d for d in os.listdir(out) if d.startswith('checkpoint-'))}")
    print(f"dev evaluations (step, loss, subset accuracy, micro-F1, macro-F1 at 0.5): "
          f"{[(e['step'], round(e['loss'], 4), round(e['accuracy'], 4), round(e['micro_f1'], 4), round(e['macro_f1'], 4)) for e in evals]}")
    print(f"thresholds tuned on dev: {thresholds}")
    print(f"PyTorch BCEWithLogitsLoss on dev: {float(result.loss):.6f}")
    print(f"PyTorch {type(model).__name__} problem_type={model.config.problem_type}: "
          f"max |logit difference| vs Docket = {worst:.2e} over {logits.numel()} logits; "
          f"label sets above the saved thresholds identical for {same_sets}/{len(dev)} documents")
    ok = worst <= 1e-4 and same_sets == len(dev)
    print("MULTI-LABEL CHECK PASSED" if ok else "MULTI-LABEL CHECK FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
