#!/usr/bin/env python3
"""The PyTorch peer of `docket finetune` with the same recipe, for side-by-side accuracy.

AutoModelForSequenceClassification from a checkpoint (new head, labels = the training data's
sorted label names, as Docket does), truncation to --max-length, dynamic padding, AdamW
(HF grouping: no decay on biases / LayerNorm), linear warmup (ceil(ratio · steps)) then linear
decay, clip_grad_norm_ 1.0, batch --batch-size, shuffled each epoch (torch.randperm with the
seed), dropout as in the config; dev accuracy and macro-F1 after every epoch.
Prints one JSON object (per-epoch dev metrics, time); --output saves the final model.

Usage: .venv/bin/python Scripts/evaluations/finetune_pytorch.py --model DIR --train FILE --dev FILE
       [--epochs 2] [--batch-size 16] [--learning-rate 5e-5] [--warmup-ratio 0.1]
       [--weight-decay 0.01] [--max-length 128] [--seed 42] [--threads 2] [--output DIR]
"""
import argparse
import json
import math
import time

import torch
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def encode(tok, rows, max_length):
    return [tok(r["text"], truncation=True, max_length=max_length)["input_ids"] for r in rows]


def batch_tensors(ids_list, pad):
    t = max(len(x) for x in ids_list)
    ids = torch.full((len(ids_list), t), pad, dtype=torch.long)
    mask = torch.zeros((len(ids_list), t), dtype=torch.long)
    for i, x in enumerate(ids_list):
        ids[i, :len(x)] = torch.tensor(x)
        mask[i, :len(x)] = 1
    return ids, mask


def evaluate(model, ids, labels, pad, bs):
    model.eval()
    preds = []
    with torch.no_grad():
        for s in range(0, len(ids), bs):
            i, m = batch_tensors(ids[s:s + bs], pad)
            preds += model(input_ids=i, attention_mask=m).logits.argmax(-1).tolist()
    model.train()
    return accuracy_score(labels, preds), f1_score(labels, preds, average="macro", zero_division=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--learning-rate", type=float, default=5e-5)
    ap.add_argument("--warmup-ratio", type=float, default=0.1)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--output")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train, dev = load(a.train), load(a.dev)
    labels = sorted({r["label"] for r in train})
    lid = {l: i for i, l in enumerate(labels)}
    tok = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(
        a.model, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=lid, attn_implementation="eager")
    model.train()
    tr_ids, dv_ids = encode(tok, train, a.max_length), encode(tok, dev, a.max_length)
    tr_y, dv_y = [lid[r["label"]] for r in train], [lid[r["label"]] for r in dev]
    named = list(model.named_parameters())
    nd = lambda n: n.endswith("bias") or "LayerNorm" in n or "layer_norm" in n
    opt = torch.optim.AdamW([{"params": [p for n, p in named if not nd(n)], "weight_decay": a.weight_decay},
                             {"params": [p for n, p in named if nd(n)], "weight_decay": 0.0}], lr=a.learning_rate)
    steps_per_epoch = math.ceil(len(train) / a.batch_size)
    total = steps_per_epoch * a.epochs
    warmup = math.ceil(total * a.warmup_ratio)
    lam = lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
    g = torch.Generator().manual_seed(a.seed)
    epochs, t0 = [], time.perf_counter()
    for epoch in range(a.epochs):
        order = torch.randperm(len(train), generator=g).tolist()
        for s in range(0, len(order), a.batch_size):
            idx = order[s:s + a.batch_size]
            i, m = batch_tensors([tr_ids[k] for k in idx], tok.pad_token_id)
            loss = model(input_ids=i, attention_mask=m, labels=torch.tensor([tr_y[k] for k in idx])).loss
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
        acc, f1 = evaluate(model, dv_ids, dv_y, tok.pad_token_id, 32)
        epochs.append({"epoch": epoch + 1, "dev_accuracy": acc, "dev_macro_f1": f1, "seconds": time.perf_counter() - t0})
    if a.output:
        model.save_pretrained(a.output)
        tok.save_pretrained(a.output)
    print(json.dumps({"labels": labels, "steps": total, "warmup": warmup, "epochs": epochs,
                      "train_seconds": time.perf_counter() - t0, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
