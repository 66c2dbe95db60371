#!/usr/bin/env python3
"""PyTorch training-step throughput for the shapes `docket bench train` measures.

torch.set_num_threads(2); random-weight DistilBertForSequenceClassification (distilbert-base
shapes) or BertForSequenceClassification (all-MiniLM-L6-v2 shapes), train mode (dropout on),
eager attention, AdamW (lr 5e-5, weight decay 0.01) + clip_grad_norm_(1.0); batch × seq_len random
ids; 2 warm-up steps then `steps` timed steps. Prints one JSON object; peak RSS is the process's
ru_maxrss (run one model per process).

Usage: .venv/bin/python Scripts/bench/bench_training.py --model minilm|distilbert-base [--batch-size 16]
       [--seq-len 128] [--steps 5]
"""
import argparse
import json
import resource
import time

import torch
from transformers import BertConfig, BertForSequenceClassification, DistilBertConfig, DistilBertForSequenceClassification


def build(name):
    if name == "distilbert-base":
        cfg = DistilBertConfig(dim=768, n_layers=6, n_heads=12, hidden_dim=3072, vocab_size=30522, num_labels=2)
        return DistilBertForSequenceClassification(cfg)
    cfg = BertConfig(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536,
                     vocab_size=30522, num_labels=2)
    return BertForSequenceClassification(cfg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="minilm", choices=["minilm", "distilbert-base"])
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = build(a.model)
    model.config._attn_implementation = "eager"
    model.train()
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n or "layer_norm" in n]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n or "layer_norm" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=5e-5)
    ids = torch.randint(1000, 21000, (a.batch_size, a.seq_len))
    mask = torch.ones_like(ids)
    labels = torch.arange(a.batch_size) % 2

    def step():
        opt.zero_grad(set_to_none=False)
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(2):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    dt = (time.perf_counter() - t0) / a.steps
    print(json.dumps({"model": a.model, "batch": a.batch_size, "seq_len": a.seq_len, "steps": a.steps,
                      "seconds_per_step": dt, "sequences_per_second": a.batch_size / dt,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "torch": torch.__version__, "threads": a.threads}))


if __name__ == "__main__":
    main()
