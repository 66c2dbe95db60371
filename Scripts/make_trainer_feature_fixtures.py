#!/usr/bin/env python3
"""Reference fixtures for multi-label training, gradient accumulation and the cosine schedule
(Tests/Fixtures/training/).

1. tiny-bert-multilabel/ — a seeded tiny BertForSequenceClassification(problem_type=
   "multi_label_classification", 4 labels) saved with save_pretrained (config.json + safetensors).
2. multilabel_steps.safetensors — that model in eval mode (dropout off) on one padded batch with
   multi-hot targets (an all-zero and an all-one row included): the loss and logits of the first
   forward, the gradient of every parameter (grad.<name>) after loss.backward() (BCEWithLogitsLoss,
   mean over batch × labels), then 4 AdamW steps (HF decay groups, linear warmup 1 + decay,
   clip_grad_norm_ 1.0): the weights after them (after.<name>) and each step's loss. Every run is
   repeated in float64; __metadata__ holds the per-tensor float32-vs-float64 gaps
   (gap.grad.<name>, gap.after.<name>) that set the Swift test's tolerances.
3. multilabel_metrics.json — scikit-learn on random label-indicator matrices: accuracy_score
   (subset accuracy), hamming_loss, precision_recall_fscore_support micro / macro / per label
   (zero_division=0).
4. accumulation.safetensors — gradient accumulation = the larger batch: the tiny single-label BERT
   of Tests/Fixtures/encoder/tiny-bert on 8 examples of different lengths, 3 AdamW steps
   (linear warmup 1), each either one batch of 8 (after.<name>) or 2 micro-batches of 4 with the
   loss divided by 2 and backward twice (HF Trainer's gradient_accumulation_steps=2;
   accumulated.<name>), and the first step's one-batch gradient (grad.<name>). __metadata__: the
   largest |one batch − accumulated| differences (PyTorch's own, weights and first gradient), and
   the float32-vs-float64 gap per tensor (gap.<name>, gap.grad.<name>).
5. cosine_schedule.json — transformers.get_cosine_schedule_with_warmup's learning rates for a few
   (base lr, warmup, total) cases, read from a LambdaLR over an SGD optimizer step by step.

Run: .venv/bin/python Scripts/make_trainer_feature_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
import torch
import transformers
from safetensors.torch import save_file
from sklearn.metrics import accuracy_score, hamming_loss, precision_recall_fscore_support
from transformers import AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "training")
ML_DIR = os.path.join(OUT, "tiny-bert-multilabel")
LABELS = ["antitrust", "employment", "privacy", "tax"]
ML = dict(steps=4, lr=3e-3, weight_decay=0.01, warmup=1, clip=1.0)


def is_no_decay(name):
    """Hugging Face Trainer grouping: no weight decay on biases and LayerNorm parameters."""
    leaf = name.split(".")
    module = leaf[-2].lower() if len(leaf) > 1 else ""
    return name.endswith("bias") or "layernorm" in module or "layer_norm" in module


def linear_lambda(warmup, total):  # transformers.get_linear_schedule_with_warmup
    def f(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        return max(0.0, float(total - step) / float(max(1, total - warmup)))
    return f


def optimizer(model, hp):
    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if not is_no_decay(n)], "weight_decay": hp["weight_decay"]},
              {"params": [p for n, p in named if is_no_decay(n)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=hp["lr"], foreach=False)
    return opt, torch.optim.lr_scheduler.LambdaLR(opt, linear_lambda(hp["warmup"], hp["steps"]))


def make_multilabel_model():
    torch.manual_seed(31)
    config = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16, type_vocab_size=2,
                        problem_type="multi_label_classification", num_labels=len(LABELS),
                        id2label={i: l for i, l in enumerate(LABELS)}, label2id={l: i for i, l in enumerate(LABELS)})
    model = BertForSequenceClassification(config)
    # Larger head weights than the 0.02 init so the logits (and the sigmoid gradients) are not all ~0.
    with torch.no_grad():
        model.classifier.weight.normal_(0, 0.5)
        model.classifier.bias.uniform_(-0.5, 0.5)
    model.save_pretrained(ML_DIR)


def multilabel_steps():
    lengths = [7, 2, 5, 6]
    g = torch.Generator().manual_seed(41)
    ids = torch.randint(1, 100, (4, 7), generator=g)
    mask = torch.zeros(4, 7, dtype=torch.long)
    types = torch.zeros(4, 7, dtype=torch.long)
    for b, n in enumerate(lengths):
        mask[b, :n] = 1
        ids[b, n:] = 0
        if n > 2:
            types[b, n // 2:n] = 1
    targets = torch.tensor([[1, 0, 1, 0], [0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 0, 0]], dtype=torch.float32)
    runs = {}
    for dtype in (torch.float32, torch.float64):
        model = AutoModelForSequenceClassification.from_pretrained(ML_DIR, attn_implementation="eager").to(dtype).eval()
        assert model.config.problem_type == "multi_label_classification"
        named = list(model.named_parameters())
        opt, sched = optimizer(model, ML)
        losses, grads, logits = [], None, None
        for step in range(ML["steps"]):
            opt.zero_grad()
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=targets.to(dtype))
            out.loss.backward()
            if step == 0:
                grads = {n: p.grad.detach().clone() for n, p in named}
                logits = out.logits.detach().clone()
            torch.nn.utils.clip_grad_norm_(model.parameters(), ML["clip"])
            opt.step()
            sched.step()
            losses.append(float(out.loss))
        runs[dtype] = dict(grads=grads, logits=logits, losses=losses, after={n: p.detach().clone() for n, p in named})
    r32, r64 = runs[torch.float32], runs[torch.float64]
    # Cross-check the loss definition: BCEWithLogitsLoss(mean) over batch × labels.
    ref = torch.nn.functional.binary_cross_entropy_with_logits(r64["logits"], targets.double())
    assert abs(float(ref) - r64["losses"][0]) < 1e-12
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(), "token_type_ids": types.float(),
               "targets": targets, "logits": r32["logits"].float(), "logits64": r64["logits"].float(),
               "losses": torch.tensor(r32["losses"], dtype=torch.float32),
               "losses64": torch.tensor(r64["losses"], dtype=torch.float64).float()}
    meta = {k: json.dumps(v) for k, v in ML.items()}
    meta.update(torch=torch.__version__, transformers=transformers.__version__)
    for n in r32["grads"]:
        tensors[f"grad.{n}"] = r32["grads"][n].float().contiguous()
        tensors[f"after.{n}"] = r32["after"][n].float().contiguous()
        meta[f"gap.grad.{n}"] = repr(float((r32["grads"][n].double() - r64["grads"][n]).abs().max()))
        meta[f"gap.after.{n}"] = repr(float((r32["after"][n].double() - r64["after"][n]).abs().max()))
    save_file(tensors, os.path.join(OUT, "multilabel_steps.safetensors"), metadata=meta)
    print("multi-label losses", r32["losses"])


def multilabel_metrics():
    rng = np.random.default_rng(11)
    cases = []
    for name, n, k, p_gold, p_flip in [("random", 40, 5, 0.35, 0.25), ("sparse", 30, 4, 0.1, 0.1),
                                      ("never_predicted", 12, 3, 0.5, 0.0), ("perfect", 10, 3, 0.4, 0.0)]:
        gold = (rng.random((n, k)) < p_gold).astype(int)
        pred = np.where(rng.random((n, k)) < p_flip, 1 - gold, gold)
        if name == "never_predicted":
            pred[:, 1] = 0
        p, r, f, s = precision_recall_fscore_support(gold, pred, average=None, zero_division=0)
        mi = precision_recall_fscore_support(gold, pred, average="micro", zero_division=0)
        ma = precision_recall_fscore_support(gold, pred, average="macro", zero_division=0)
        cases.append({"name": name, "labels": [f"l{j}" for j in range(k)],
                      "gold": [[j for j in range(k) if row[j]] for row in gold],
                      "predicted": [[j for j in range(k) if row[j]] for row in pred],
                      "subset_accuracy": float(accuracy_score(gold, pred)), "hamming_loss": float(hamming_loss(gold, pred)),
                      "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": [int(x) for x in s],
                      "micro": [float(x) for x in mi[:3]], "macro": [float(x) for x in ma[:3]]})
    with open(os.path.join(OUT, "multilabel_metrics.json"), "w") as fh:
        json.dump({"sklearn": sklearn.__version__, "cases": cases}, fh, indent=1)


ACC = dict(steps=3, lr=3e-3, weight_decay=0.01, warmup=1, clip=1.0, micro_batch=4, accumulation=2)


def accumulation():
    lengths = [7, 3, 5, 9, 2, 8, 4, 6]
    g = torch.Generator().manual_seed(51)
    ids = torch.randint(1, 100, (8, 9), generator=g)
    mask = torch.zeros(8, 9, dtype=torch.long)
    types = torch.zeros(8, 9, dtype=torch.long)
    for b, n in enumerate(lengths):
        mask[b, :n] = 1
        ids[b, n:] = 0
        if n > 2:
            types[b, n // 2:n] = 1
    labels = torch.tensor([2, 0, 1, 0, 1, 2, 2, 0])
    enc = os.path.join(ROOT, "Tests", "Fixtures", "encoder", "tiny-bert")

    def run(dtype, accumulate):
        model = AutoModelForSequenceClassification.from_pretrained(enc, attn_implementation="eager").to(dtype).eval()
        opt, sched = optimizer(model, ACC)
        first = None
        for step in range(ACC["steps"]):
            opt.zero_grad()
            parts = [slice(0, 4), slice(4, 8)] if accumulate else [slice(0, 8)]
            for part in parts:
                # Each micro-batch padded to its own longest example, as a data collator would.
                t = int(mask[part].sum(1).max())
                out = model(input_ids=ids[part, :t], attention_mask=mask[part, :t], token_type_ids=types[part, :t],
                            labels=labels[part])
                (out.loss / len(parts)).backward()  # Trainer: loss / gradient_accumulation_steps
            if step == 0:
                first = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
            torch.nn.utils.clip_grad_norm_(model.parameters(), ACC["clip"])
            opt.step()
            sched.step()
        return {n: p.detach().clone() for n, p in model.named_parameters()}, first

    (one, g_one), (acc, g_acc), (one64, g_one64) = run(torch.float32, False), run(torch.float32, True), run(torch.float64, False)
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(), "token_type_ids": types.float(),
               "labels": labels.float()}
    meta = {k: json.dumps(v) for k, v in ACC.items()}
    meta["torch"] = torch.__version__
    worst = worst_grad = 0.0
    for n in one:
        tensors[f"after.{n}"] = one[n].contiguous()
        tensors[f"accumulated.{n}"] = acc[n].contiguous()
        tensors[f"grad.{n}"] = g_one[n].contiguous()
        meta[f"gap.{n}"] = repr(float((one[n].double() - one64[n]).abs().max()))
        meta[f"gap.grad.{n}"] = repr(float((g_one[n].double() - g_one64[n]).abs().max()))
        worst = max(worst, float((one[n] - acc[n]).abs().max()))
        worst_grad = max(worst_grad, float((g_one[n] - g_acc[n]).abs().max()))
    meta["torch_one_vs_accumulated"] = repr(worst)
    meta["torch_one_vs_accumulated_grad"] = repr(worst_grad)
    save_file(tensors, os.path.join(OUT, "accumulation.safetensors"), metadata=meta)
    print("PyTorch: one batch of 8 vs 2 x 4 accumulated, max |weight diff| after 3 steps =", worst,
          "max |first gradient diff| =", worst_grad)


def cosine_schedule():
    cases = []
    for lr, warmup, total in [(5e-5, 0, 10), (1e-3, 3, 20), (2e-2, 5, 7), (5e-5, 15, 150)]:
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=lr)
        sched = transformers.get_cosine_schedule_with_warmup(opt, num_warmup_steps=warmup, num_training_steps=total)
        lrs = []
        for _ in range(total + 2):  # two past the end: the factor stays at 0
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        cases.append({"lr": lr, "warmup": warmup, "total": total, "lrs": lrs})
    with open(os.path.join(OUT, "cosine_schedule.json"), "w") as fh:
        json.dump({"transformers": transformers.__version__, "cases": cases}, fh, indent=1)


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    make_multilabel_model()
    multilabel_steps()
    multilabel_metrics()
    accumulation()
    cosine_schedule()
