#!/usr/bin/env python3
"""Reference fixtures for head pooling and chunked-document training (Tests/Fixtures/training/).

pooling_<family>_<mode>.safetensors — the tiny DistilBERT / BERT classifiers of
Tests/Fixtures/encoder with config "docket_pooling" = mean / max (Scripts/pooling_reference.py),
one padded batch (lengths 7, 1, 4, 6), dropout off, mean cross-entropy, clip_grad_norm_(1.0),
AdamW (HF decay groups) with linear decay (no warmup), 3 steps. Tensors as in
make_training_fixtures.py's steps_*: input_ids, attention_mask, token_type_ids, labels,
losses, after.<name> (float32 run); __metadata__ gap.<name> = the float32-vs-float64 gap.

chunk_<family>_<mode>.safetensors — chunked-document training: 3 documents of 2, 1 and 3
windows (6 padded rows, lengths 7, 5, 3, 7, 6, 2) through the tiny classifiers (cls head), window
probabilities pooled per document (mean, or per-label max renormalised;
pooling_reference.window_pooled_loss), loss = cross-entropy of the pooled probability (max:
with class weights 0.5, 2, 1), same 3 AdamW steps. Extra tensors: documents (row -> document),
labels (per document), class_weights (max only).

Run: .venv/bin/python Scripts/make_pooling_fixtures.py
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
from make_training_fixtures import is_no_decay, schedule_lambda  # noqa: E402
from pooling_reference import load_classifier, window_pooled_loss  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "training")
ENCODER_DIR = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "encoder")
STEPS = dict(steps=3, lr=3e-3, weight_decay=0.01, warmup=0, clip=1.0)


def batch(family, seed):
    lengths = [7, 1, 4, 6]
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, 100, (4, 7), generator=g)
    mask = torch.zeros(4, 7, dtype=torch.long)
    types = torch.zeros(4, 7, dtype=torch.long)
    for b, n in enumerate(lengths):
        mask[b, :n] = 1
        ids[b, n:] = 0
        if family == "bert" and n > 2:
            types[b, n // 2:n] = 1
    return ids, mask, types, torch.tensor([2, 0, 1, 0])


def run_steps(model, inputs, loss_fn):
    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if not is_no_decay(n)], "weight_decay": STEPS["weight_decay"]},
              {"params": [p for n, p in named if is_no_decay(n)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=STEPS["lr"], foreach=False)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule_lambda("linear", STEPS["warmup"], STEPS["steps"]))
    losses = []
    for _ in range(STEPS["steps"]):
        opt.zero_grad()
        loss = loss_fn(model, inputs)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), STEPS["clip"])
        opt.step()
        sched.step()
        losses.append(float(loss))
    return {n: p.detach().clone() for n, p in named}, losses


def save_steps(name, tensors, w32, w64, losses, extra_meta):
    meta = {k: json.dumps(v) for k, v in STEPS.items()}
    meta.update(extra_meta)
    meta["torch"] = torch.__version__
    tensors["losses"] = torch.tensor(losses, dtype=torch.float32)
    worst = 0.0
    for n in w32:
        tensors[f"after.{n}"] = w32[n].float().contiguous()
        gap = float((w32[n].double() - w64[n]).abs().max())
        meta[f"gap.{n}"] = repr(gap)
        worst = max(worst, gap)
    save_file(tensors, os.path.join(OUT, name), metadata=meta)
    print(name, "losses", losses, "max f32-f64 weight gap", worst)


def pooling_steps(family, pooling):
    ids, mask, types, labels = batch(family, 31 if family == "bert" else 32)

    def loss_fn(model, _):
        kw = dict(input_ids=ids, attention_mask=mask, labels=labels)
        if family == "bert":
            kw["token_type_ids"] = types
        return model(**kw).loss

    results = {}
    for dtype in (torch.float32, torch.float64):
        model = load_classifier(os.path.join(ENCODER_DIR, f"tiny-{family}"), attn_implementation="eager").to(dtype)
        model.config.docket_pooling = pooling
        model.eval()  # dropout off; gradients still flow
        results[dtype] = run_steps(model, None, loss_fn)
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(), "token_type_ids": types.float(),
               "labels": labels.float()}
    save_steps(f"pooling_{family}_{pooling}.safetensors", tensors, results[torch.float32][0],
               results[torch.float64][0], results[torch.float32][1], {"pooling": pooling})


def chunk_steps(family, pooling):
    from transformers import AutoModelForSequenceClassification
    lengths = [7, 5, 3, 7, 6, 2]
    documents = torch.tensor([0, 0, 1, 2, 2, 2])
    labels = torch.tensor([2, 0, 1])
    g = torch.Generator().manual_seed(51 if family == "bert" else 52)
    ids = torch.randint(1, 100, (6, 7), generator=g)
    mask = torch.zeros(6, 7, dtype=torch.long)
    types = torch.zeros(6, 7, dtype=torch.long)
    for b, n in enumerate(lengths):
        mask[b, :n] = 1
        ids[b, n:] = 0
        if family == "bert" and n > 2:
            types[b, n // 2:n] = 1
    weights = torch.tensor([0.5, 2.0, 1.0]) if pooling == "max" else None

    def loss_fn(model, _):
        kw = dict(input_ids=ids, attention_mask=mask)
        if family == "bert":
            kw["token_type_ids"] = types
        w = None if weights is None else weights.to(next(model.parameters()).dtype)
        return window_pooled_loss(model(**kw).logits, documents, labels, pooling, w)

    results = {}
    for dtype in (torch.float32, torch.float64):
        model = AutoModelForSequenceClassification.from_pretrained(
            os.path.join(ENCODER_DIR, f"tiny-{family}"), attn_implementation="eager").to(dtype)
        model.eval()
        results[dtype] = run_steps(model, None, loss_fn)
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(), "token_type_ids": types.float(),
               "documents": documents.float(), "labels": labels.float()}
    if weights is not None:
        tensors["class_weights"] = weights
    save_steps(f"chunk_{family}_{pooling}.safetensors", tensors, results[torch.float32][0],
               results[torch.float64][0], results[torch.float32][1], {"window_pooling": pooling})


def main():
    os.makedirs(OUT, exist_ok=True)
    for family in ("distilbert", "bert"):
        for pooling in ("mean", "max"):
            pooling_steps(family, pooling)
            chunk_steps(family, pooling)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
