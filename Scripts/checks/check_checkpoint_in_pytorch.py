#!/usr/bin/env python3
"""Checks that checkpoints written by Docket load in transformers and give Docket's logits.

Runs the Swift test CheckpointExportTests with DOCKET_EXPORT_DIR set (fresh DistilBERT/BERT,
a multi-label BERT (problem_type multi_label_classification), tiny BERT with a new head, MiniLM
with a new head), then for each directory:
AutoModelForSequenceClassification.from_pretrained(dir) (eager attention, eval), forward on the
same padded batch, max |PyTorch − Docket| over the logits. Exit status 1 if any exceeds 1e-4.

Run: .venv/bin/python Scripts/checks/check_checkpoint_in_pytorch.py [--skip-export DIR]
"""
import json
import os
import subprocess
import sys
import tempfile

import torch
from transformers import AutoModelForSequenceClassification

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def export(out):
    env = dict(os.environ, DOCKET_EXPORT_DIR=out)
    subprocess.run(["swift", "test", "--filter", "CheckpointExportTests"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def check(d):
    rec = json.load(open(os.path.join(d, "docket_logits.json")))
    b, t = rec["batch"], rec["seq_len"]
    model = AutoModelForSequenceClassification.from_pretrained(d, attn_implementation="eager").eval()
    kwargs = dict(input_ids=torch.tensor(rec["input_ids"]).view(b, t),
                  attention_mask=torch.tensor(rec["attention_mask"]).view(b, t))
    if model.config.model_type == "bert":
        kwargs["token_type_ids"] = torch.tensor(rec["token_type_ids"]).view(b, t)
    with torch.no_grad():
        logits = model(**kwargs).logits
    docket = torch.tensor(rec["logits"]).view_as(logits)
    return (float((logits - docket).abs().max()), float(logits.abs().max()), type(model).__name__,
            model.config.problem_type or "-")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--skip-export":
        out = sys.argv[2]
    else:
        out = tempfile.mkdtemp(prefix="docket-export-")
        export(out)
    worst = 0.0
    print(f"{'checkpoint':<18} {'class':<32} {'problem_type':<27} {'max |logit|':>11} {'max |diff|':>11}")
    for name in sorted(os.listdir(out)):
        diff, scale, cls, problem = check(os.path.join(out, name))
        worst = max(worst, diff)
        print(f"{name:<18} {cls:<32} {problem:<27} {scale:>11.4f} {diff:>11.2e}")
    print(f"worst max |diff| = {worst:.2e} (limit 1e-4)")
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
