#!/usr/bin/env python3
"""Reference fixtures for Docket's TextClassifier (Tests/Fixtures/classifier/).

Builds a tiny seeded BertForSequenceClassification with a small WordPiece vocabulary (whole
legal words plus single letters and ##letters, so every word tokenizes and long texts give
many tokens), saves it as a Hugging Face checkpoint directory (config.json, model.safetensors,
vocab.txt, tokenizer_config.json), and records what transformers computes end to end
(BertTokenizerFast → model in eval mode, softmax) for a set of texts:
  expected.json: for each text, truncate mode (max_length 24) logits/probabilities, and
                 chunk mode (max_length 24, stride 6, HF return_overflowing_tokens) window
                 count plus mean- and max-pooled probabilities; the float32-vs-float64 gap
                 of the probabilities (max over all texts) is stored beside them.
Run: .venv/bin/python Scripts/make_classifier_fixtures.py
"""
import json
import os

import torch
import transformers
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "classifier")
MODEL = os.path.join(OUT, "tiny-bert-classifier")
LABELS = {0: "Contract", 1: "Litigation", 2: "Patent"}
MAX_LEN, STRIDE = 24, 6

WORDS = ["the", "agreement", "party", "parties", "court", "plaintiff", "defendant", "patent",
         "claim", "claims", "license", "shall", "of", "and", "to", "in", "a", "by", "this",
         "motion", "invention", "filed", "hereby", "section", "infringement", "breach"]
TEXTS = [
    "This Agreement is entered into by the parties.",
    "The plaintiff filed a motion in the court.",
    "A patent claim for the invention",
    "x",
    "Breach of the license agreement, Section 2(a); damages claimed: $1,000,000!",
    "Infringement " * 3 + "claims",
    # Long documents: several windows at max_length 24 with stride 6.
    " ".join(["The defendant shall license the patent to the plaintiff"] * 6),
    " ".join(["Hereby the parties agree zzqx to the terms of this agreement in court"] * 4),
]


def vocab():
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    digits = [str(d) for d in range(10)]
    punct = list(".,;:!?()$%-'\"")
    tokens = special + WORDS + letters + ["##" + c for c in letters] + digits + ["##" + d for d in digits] + punct
    return list(dict.fromkeys(tokens))  # unique, first occurrence wins ("a" is a word and a letter)


def rescale_(model, seed):
    """Non-trivial weights: N(0, 0.25) matrices, LayerNorm 1 ± 0.1, biases ±0.1."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            r = torch.randn(p.shape, generator=g)
            if "LayerNorm" in name:
                p.copy_(1 + 0.1 * r if name.endswith("weight") else 0.1 * r)
            elif name.endswith("bias"):
                p.copy_(0.1 * r)
            else:
                p.copy_(0.25 * r)


def build():
    os.makedirs(MODEL, exist_ok=True)
    with open(os.path.join(MODEL, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab()) + "\n")
    with open(os.path.join(MODEL, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": 64,
                   "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
                   "mask_token": "[MASK]"}, f, indent=1)
    # (transformers 5 ignores BertTokenizerFast(vocab_file=...): load the directory instead.)
    tok = AutoTokenizer.from_pretrained(MODEL)
    assert len(tok) == len(vocab()) and tok.tokenize("the x") == ["the", "x"], "vocabulary not loaded"
    cfg = BertConfig(vocab_size=len(vocab()), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=64, max_position_embeddings=64, type_vocab_size=2, num_labels=3,
                     id2label=LABELS, label2id={v: k for k, v in LABELS.items()}, pad_token_id=0)
    torch.manual_seed(7)
    model = BertForSequenceClassification(cfg)
    model.config._attn_implementation = "eager"
    rescale_(model, 77)
    model.eval()
    model.save_pretrained(MODEL, safe_serialization=True)
    return tok, model


def probs_for(model, enc, dtype):
    m = model.to(dtype)
    with torch.no_grad():
        logits = m(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                   token_type_ids=enc["token_type_ids"]).logits
    return logits.double(), torch.softmax(logits.double(), dim=-1)


def main():
    tok, model = build()
    gap = 0.0
    logit_gap = 0.0
    records = []
    for text in TEXTS:
        enc = tok([text], truncation=True, max_length=MAX_LEN, return_tensors="pt")
        l32, p32 = probs_for(model, enc, torch.float32)
        l64, p64 = probs_for(model, enc, torch.float64)
        gap = max(gap, float((p32 - p64).abs().max()))
        logit_gap = max(logit_gap, float((l32 - l64).abs().max()))
        win = tok(text, truncation=True, max_length=MAX_LEN, stride=STRIDE, return_overflowing_tokens=True,
                  padding=True, return_tensors="pt")
        win.pop("overflow_to_sample_mapping", None)
        _, w32 = probs_for(model, win, torch.float32)
        _, w64 = probs_for(model, win, torch.float64)
        gap = max(gap, float((w32 - w64).abs().max()))
        mx = w32.max(dim=0).values
        records.append({
            "text": text,
            "ids": enc["input_ids"][0].tolist(),
            "logits": l32[0].tolist(), "probabilities": p32[0].tolist(),
            "windows": int(w32.shape[0]),
            "window_ids": [ids[m.bool()].tolist() for ids, m in zip(win["input_ids"], win["attention_mask"])],
            "mean_probabilities": w32.mean(dim=0).tolist(),
            "max_probabilities": (mx / mx.sum()).tolist(),
        })
        model.to(torch.float32)
    doc = {"generator": "Scripts/make_classifier_fixtures.py", "torch": torch.__version__,
           "transformers": transformers.__version__, "labels": [LABELS[i] for i in range(3)],
           "max_length": MAX_LEN, "stride": STRIDE, "f32_f64_gap": gap, "logits_f32_f64_gap": logit_gap, "records": records}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print("texts", len(TEXTS), "windows", [r["windows"] for r in records],
          "f32-f64 gap: probabilities %.2e, logits %.2e" % (gap, logit_gap))


if __name__ == "__main__":
    main()
