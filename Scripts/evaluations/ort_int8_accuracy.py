#!/usr/bin/env python3
"""ONNX Runtime's own int8 cost on a fine-tuned checkpoint, for comparison with Docket's
--precision int8 (Scripts/evaluations/precision-accuracy.sh): exports the checkpoint to ONNX, quantizes a
copy with onnxruntime.quantization.quantize_dynamic (the recipe of Scripts/bench/bench-inference.sh's
ort-int8 row: int8 weights, dynamic uint8 activations), classifies labelled JSONL files with
both (HF tokenizer, truncation at --max-length, one document per run so no padding) and prints
accuracy both ways, identical predictions and max / mean |Δ probability|.

  .venv/bin/python Scripts/evaluations/ort_int8_accuracy.py MODEL_DIR FILE.jsonl [FILE.jsonl ...] [--max-length 128]
"""
import argparse
import json
import os
import tempfile

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()

    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tokenizer = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(a.model).eval()
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    work = tempfile.mkdtemp()
    fp32_path, int8_path = os.path.join(work, "model.onnx"), os.path.join(work, "model-int8.onnx")
    example = tokenizer(["an example"], return_tensors="pt")
    torch.onnx.export(model, (example["input_ids"], example["attention_mask"]), fp32_path,
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                    "logits": {0: "b"}}, opset_version=17, dynamo=False)
    quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8)
    options = ort.SessionOptions()
    options.intra_op_num_threads = a.threads
    sessions = {p: ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
                for p, path in (("fp32", fp32_path), ("int8", int8_path))}

    for path in a.files:
        docs = [json.loads(line) for line in open(path) if line.strip()]
        probs = {p: [] for p in sessions}
        for d in docs:
            enc = tokenizer(d["text"], truncation=True, max_length=a.max_length, return_tensors="np")
            feed = {"input_ids": enc["input_ids"].astype(np.int64), "attention_mask": enc["attention_mask"].astype(np.int64)}
            for p, s in sessions.items():
                logits = s.run(["logits"], feed)[0][0].astype(np.float64)
                e = np.exp(logits - logits.max())
                probs[p].append(e / e.sum())
        a32, a8 = np.array(probs["fp32"]), np.array(probs["int8"])
        gold = [d["label"] for d in docs]
        p32, p8 = [labels[i] for i in a32.argmax(1)], [labels[i] for i in a8.argmax(1)]
        acc = lambda pred: sum(x == y for x, y in zip(pred, gold)) / len(gold)
        same = sum(x == y for x, y in zip(p32, p8))
        unsure = a32.max(1) < 0.5
        flips = [i for i in range(len(docs)) if p32[i] != p8[i]]
        print(f"{path}: {len(docs)} documents; ORT accuracy fp32 {acc(p32):.2%}, int8 {acc(p8):.2%}; identical predictions "
              f"{same}/{len(docs)}; max |Δ probability| {np.abs(a32 - a8).max():.2e}, mean {np.abs(a32 - a8).mean():.1e}; "
              f"changed {len(flips)}, of which {sum(bool(unsure[i]) for i in flips)} among the {int(unsure.sum())} "
              f"documents with fp32 confidence < 0.5")


if __name__ == "__main__":
    main()
