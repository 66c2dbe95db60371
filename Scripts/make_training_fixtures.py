#!/usr/bin/env python3
"""Reference fixtures for the Training module (Tests/Fixtures/training/).

1. metrics.json — confusion matrices (including empty classes, never-predicted classes and an
   all-zero matrix) with scikit-learn's accuracy, per-class precision/recall/F1/support and
   macro/weighted averages (labels=all, zero_division=0).
2. optimizer_<case>.safetensors — torch.optim.AdamW + LambdaLR (transformers'
   get_linear_schedule_with_warmup / get_constant_schedule_with_warmup) + clip_grad_norm_
   on a few small named tensors with given gradients for several steps. The same run is
   repeated in float64 so the Swift test can derive its tolerance from the float32-vs-float64
   gap. Tensors: init.<name>, grad.<step>.<name>, after.<step>.<name> (float32 run),
   after64.<step>.<name> (float64 run), lr (per step), grad_norm (pre-clip, per step).
   __metadata__ holds the hyperparameters and library versions.
3. class_weights.json — sklearn compute_class_weight("balanced") on label lists.
4. steps_<family>.safetensors — full training steps of the tiny DistilBERT / BERT classifiers
   of Tests/Fixtures/encoder/ (made by Scripts/make_encoder_fixtures.py): a padded batch,
   dropout off, mean cross-entropy, backward, clip_grad_norm_(1.0), AdamW (HF decay groups)
   with linear warmup + decay, 5 steps; the weights after the last step by HF name
   (float32 run) with the float32-vs-float64 gap of each tensor in __metadata__ ("gap.<name>"),
   and the loss of each step.

Run: .venv/bin/python Scripts/make_training_fixtures.py
"""
import json
import math
import os

import numpy as np
import sklearn
import torch
from safetensors.torch import save_file
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.utils.class_weight import compute_class_weight

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "training")


def metrics_cases():
    rng = np.random.default_rng(7)
    cases = [
        ("binary", [[5, 2], [1, 7]]),
        ("three_class", [[10, 2, 3], [4, 8, 0], [1, 1, 12]]),
        ("never_predicted", [[3, 0, 2], [1, 0, 4], [0, 0, 6]]),   # class 1 never predicted
        ("empty_class", [[4, 1, 0], [0, 0, 0], [2, 0, 5]]),       # class 1 has no support
        ("all_zero", [[0, 0], [0, 0]]),
        ("perfect", [[3, 0, 0, 0, 0], [0, 2, 0, 0, 0], [0, 0, 4, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 6]]),
        ("random5", rng.integers(0, 20, size=(5, 5)).tolist()),
    ]
    out = []
    for name, cm in cases:
        cm = np.array(cm)
        k = cm.shape[0]
        y_true, y_pred = [], []
        for g in range(k):
            for p in range(k):
                y_true += [g] * int(cm[g, p])
                y_pred += [p] * int(cm[g, p])
        labels = list(range(k))
        if len(y_true) == 0:  # sklearn refuses empty input; the documented convention is all 0
            acc, p, r, f, s = 0.0, [0.0] * k, [0.0] * k, [0.0] * k, [0] * k
            mp = mr = mf = wp = wr = wf = 0.0
        else:
            acc = accuracy_score(y_true, y_pred)
            p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
            mp, mr, mf, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="macro", zero_division=0)
            wp, wr, wf, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="weighted", zero_division=0)
        out.append({
            "name": name, "labels": [f"c{i}" for i in labels], "counts": cm.tolist(),
            "accuracy": float(acc), "precision": [float(x) for x in p], "recall": [float(x) for x in r],
            "f1": [float(x) for x in f], "support": [int(x) for x in s],
            "macro_precision": float(mp), "macro_recall": float(mr), "macro_f1": float(mf),
            "weighted_precision": float(wp), "weighted_recall": float(wr), "weighted_f1": float(wf),
        })
    return {"sklearn": sklearn.__version__, "cases": out}


# Named tensors in the shapes/naming of a real encoder, so the decay mask is exercised:
# biases and LayerNorm weights (BERT "LayerNorm", DistilBERT "*_layer_norm") are not decayed.
PARAMS = [
    ("embeddings.word_embeddings.weight", (6, 4)),
    ("embeddings.LayerNorm.weight", (4,)),
    ("embeddings.LayerNorm.bias", (4,)),
    ("transformer.layer.0.attention.q_lin.weight", (4, 4)),
    ("transformer.layer.0.attention.q_lin.bias", (4,)),
    ("transformer.layer.0.sa_layer_norm.weight", (4,)),
    ("classifier.weight", (3, 4)),
    ("classifier.bias", (3,)),
]


def is_no_decay(name):
    """Hugging Face Trainer grouping: no weight decay on biases and LayerNorm parameters."""
    leaf = name.split(".")
    module = leaf[-2].lower() if len(leaf) > 1 else ""
    return name.endswith("bias") or "layernorm" in module or "layer_norm" in module


def schedule_lambda(kind, warmup, total):
    def linear(step):  # transformers.get_linear_schedule_with_warmup
        if step < warmup:
            return float(step) / float(max(1, warmup))
        return max(0.0, float(total - step) / float(max(1, total - warmup)))

    def constant(step):  # transformers.get_constant_schedule_with_warmup
        return float(step) / float(max(1.0, warmup)) if step < warmup else 1.0

    return linear if kind == "linear" else constant


def run_optimizer(case, dtype, grads_by_step, init):
    params = {n: torch.nn.Parameter(init[n].clone().to(dtype)) for n, _ in PARAMS}
    groups = [
        {"params": [params[n] for n, _ in PARAMS if not is_no_decay(n)], "weight_decay": case["weight_decay"]},
        {"params": [params[n] for n, _ in PARAMS if is_no_decay(n)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=case["lr"], betas=(case["beta1"], case["beta2"]), eps=case["eps"],
                            foreach=False)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule_lambda(case["schedule"], case["warmup"], case["steps"]))
    afters, lrs, norms = [], [], []
    for step in range(case["steps"]):
        for n, _ in PARAMS:
            params[n].grad = grads_by_step[step][n].clone().to(dtype)
        lrs.append(opt.param_groups[0]["lr"])
        if case["clip"] > 0:
            norm = torch.nn.utils.clip_grad_norm_(list(params.values()), case["clip"])
        else:
            norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params.values()]))
        norms.append(float(norm))
        opt.step()
        sched.step()
        afters.append({n: params[n].detach().clone() for n, _ in PARAMS})
    return afters, lrs, norms


def optimizer_case(case):
    g = torch.Generator().manual_seed(case["seed"])
    init = {n: torch.randn(shape, generator=g, dtype=torch.float64).float() for n, shape in PARAMS}
    grads = []
    for step in range(case["steps"]):
        scale = case["grad_scales"][step % len(case["grad_scales"])]
        grads.append({n: (scale * torch.randn(shape, generator=g, dtype=torch.float64)).float() for n, shape in PARAMS})
    a32, lrs, norms = run_optimizer(case, torch.float32, grads, init)
    a64, _, _ = run_optimizer(case, torch.float64, grads, init)
    tensors = {}
    for n, _ in PARAMS:
        tensors[f"init.{n}"] = init[n].contiguous()
        for s in range(case["steps"]):
            tensors[f"grad.{s}.{n}"] = grads[s][n].contiguous()
            tensors[f"after.{s}.{n}"] = a32[s][n].float().contiguous()
            tensors[f"after64.{s}.{n}"] = a64[s][n].float().contiguous()
    tensors["lr"] = torch.tensor(lrs, dtype=torch.float64).float()
    tensors["grad_norm"] = torch.tensor(norms, dtype=torch.float32)
    meta = {k: json.dumps(v) for k, v in case.items()}
    meta["names"] = json.dumps([n for n, _ in PARAMS])
    meta["no_decay"] = json.dumps([n for n, _ in PARAMS if is_no_decay(n)])
    meta["torch"] = torch.__version__
    save_file(tensors, os.path.join(OUT, f"optimizer_{case['name']}.safetensors"), metadata=meta)


OPTIMIZER_CASES = [
    # Linear warmup then decay to zero, weight decay, clipping active on the large-gradient steps.
    dict(name="linear_warmup_clip", seed=1, steps=8, lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8,
         weight_decay=0.1, warmup=3, schedule="linear", clip=1.0, grad_scales=[0.05, 3.0, 0.2, 10.0]),
    # Constant schedule with warmup, other betas, no clipping.
    dict(name="constant_noclip", seed=2, steps=6, lr=5e-3, beta1=0.8, beta2=0.99, eps=1e-6,
         weight_decay=0.01, warmup=2, schedule="constant", clip=0.0, grad_scales=[1.0, 0.1]),
    # No warmup, linear decay from the first step.
    dict(name="linear_nowarmup", seed=3, steps=5, lr=2e-2, beta1=0.9, beta2=0.999, eps=1e-8,
         weight_decay=0.0, warmup=0, schedule="linear", clip=0.5, grad_scales=[1.0]),
]


def class_weight_cases():
    cases = [[0, 0, 0, 1, 2, 2], [0, 1, 1, 1, 1, 1, 1, 2, 2, 3], [1, 0, 1, 0]]
    out = []
    for y in cases:
        classes = np.arange(max(y) + 1)
        w = compute_class_weight("balanced", classes=classes, y=np.array(y))
        out.append({"labels": y, "classes": int(len(classes)), "weights": [float(x) for x in w]})
    return {"sklearn": sklearn.__version__, "cases": out}


ENCODER_DIR = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "encoder")
STEPS = dict(steps=5, lr=3e-3, weight_decay=0.01, warmup=2, clip=1.0)


def full_steps(family):
    """AdamW steps of a whole tiny classifier on one padded batch (dropout off)."""
    from transformers import AutoModelForSequenceClassification
    lengths = [7, 1, 4, 6]
    g = torch.Generator().manual_seed(21 if family == "bert" else 22)
    ids = torch.randint(1, 100, (4, 7), generator=g)
    mask = torch.zeros(4, 7, dtype=torch.long)
    types = torch.zeros(4, 7, dtype=torch.long)
    for b, n in enumerate(lengths):
        mask[b, :n] = 1
        ids[b, n:] = 0
        if family == "bert" and n > 2:
            types[b, n // 2:n] = 1
    labels = torch.tensor([2, 0, 1, 0])
    results = {}
    for dtype in (torch.float32, torch.float64):
        model = AutoModelForSequenceClassification.from_pretrained(
            os.path.join(ENCODER_DIR, f"tiny-{family}"), attn_implementation="eager").to(dtype)
        model.eval()  # dropout off; gradients still flow
        named = list(model.named_parameters())
        groups = [{"params": [p for n, p in named if not is_no_decay(n)], "weight_decay": STEPS["weight_decay"]},
                  {"params": [p for n, p in named if is_no_decay(n)], "weight_decay": 0.0}]
        opt = torch.optim.AdamW(groups, lr=STEPS["lr"], foreach=False)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule_lambda("linear", STEPS["warmup"], STEPS["steps"]))
        losses = []
        for _ in range(STEPS["steps"]):
            opt.zero_grad()
            kw = dict(input_ids=ids, attention_mask=mask, labels=labels)
            if family == "bert":
                kw["token_type_ids"] = types
            out = model(**kw)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), STEPS["clip"])
            opt.step()
            sched.step()
            losses.append(float(out.loss))
        results[dtype] = ({n: p.detach().clone() for n, p in named}, losses)
    w32, losses = results[torch.float32]
    w64, _ = results[torch.float64]
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(), "token_type_ids": types.float(),
               "labels": labels.float(), "losses": torch.tensor(losses, dtype=torch.float32)}
    meta = {k: json.dumps(v) for k, v in STEPS.items()}
    meta["torch"] = torch.__version__
    worst = 0.0
    for n in w32:
        tensors[f"after.{n}"] = w32[n].float().contiguous()
        gap = float((w32[n].double() - w64[n]).abs().max())
        meta[f"gap.{n}"] = repr(gap)
        worst = max(worst, gap)
    save_file(tensors, os.path.join(OUT, f"steps_{family}.safetensors"), metadata=meta)
    print(family, "losses", losses, "max f32-f64 weight gap", worst)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "metrics.json"), "w") as f:
        json.dump(metrics_cases(), f, indent=1)
    with open(os.path.join(OUT, "class_weights.json"), "w") as f:
        json.dump(class_weight_cases(), f, indent=1)
    for case in OPTIMIZER_CASES:
        optimizer_case(case)
    for family in ("distilbert", "bert"):
        full_steps(family)
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
