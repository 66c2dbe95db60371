"""Whole-process benchmarks for Scripts/bench/bench-e2e.sh (docs/kernels.md "End to end").

Modes (each a separate process, so every measurement includes interpreter start, imports,
model load and output):
  prepare WORK MODEL_SRC N   : classifier dir (MiniLM + the same created 5-label head for all
                               engines), N docs (≥ 128 tokens each), 128 labelled training
                               docs, ONNX FP32 export and ORT's own int8 (quantize_dynamic)
  ort WORK ONNX OUT          : ONNX Runtime classify: HF fast tokenizer, batches of 32 in input
                               order padded to the longest (≤ 128), softmax, JSONL out; 2 threads
  torch-finetune WORK STEPS  : PyTorch fine-tune, Docket's default recipe (AdamW lr 5e-5,
                               wd 0.01, linear schedule, clip 1.0, batch 16, max length 128,
                               model dropout), STEPS steps, then save_pretrained; 2 threads
  run WORK ROUNDS CMDFILE    : runs the commands of CMDFILE (name<TAB>shell command) in
                               alternating rounds; prints per name the best wall time, the
                               best CPU time (user + sys) and the largest peak RSS
"""
import json, os, random, subprocess, sys, time

LABELS = ["Contract", "Patent", "Litigation", "Compliance", "Corporate"]
WORDS = ("the agreement party shall indemnify licensee patent claim court plaintiff defendant motion "
         "compliance policy board resolution approve merger statute regulation breach damages notice "
         "term termination confidential information jurisdiction arbitration filing").split()


def prepare(work, src, n):
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification
    torch.manual_seed(0)
    model = BertForSequenceClassification.from_pretrained(
        src, num_labels=5, id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
        attn_implementation="eager")
    model.eval()
    model.save_pretrained(f"{work}/model")
    AutoTokenizer.from_pretrained(src).save_pretrained(f"{work}/model")
    rng = random.Random(42)
    with open(f"{work}/docs.jsonl", "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": i, "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(140, 220)))}) + "\n")
    with open(f"{work}/train.jsonl", "w") as f:
        for i in range(128):
            f.write(json.dumps({"text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(140, 220))),
                                "label": LABELS[i % 5]}) + "\n")
    ids = torch.ones(2, 16, dtype=torch.long) * 1000
    mask = torch.ones(2, 16, dtype=torch.long)
    torch.onnx.export(model, (ids, mask), f"{work}/model.onnx", input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], dynamic_axes={"input_ids": {0: "b", 1: "t"},
                                                              "attention_mask": {0: "b", 1: "t"}, "logits": {0: "b"}},
                      opset_version=17, dynamo=False)
    from onnxruntime.quantization import QuantType, quantize_dynamic
    quantize_dynamic(f"{work}/model.onnx", f"{work}/model.int8.onnx", weight_type=QuantType.QInt8)


def ort(work, onnx, out):
    import numpy as np
    import onnxruntime as rt
    from tokenizers import Tokenizer
    so = rt.SessionOptions()
    so.intra_op_num_threads = 2
    sess = rt.InferenceSession(onnx, so, providers=["CPUExecutionProvider"])
    tok = Tokenizer.from_file(f"{work}/model/tokenizer.json")
    tok.enable_truncation(128)
    tok.enable_padding(pad_id=0)
    docs = [json.loads(l) for l in open(f"{work}/docs.jsonl")]
    with open(out, "w") as f:
        for b in range(0, len(docs), 32):
            batch = docs[b:b + 32]
            enc = tok.encode_batch([d["text"] for d in batch])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            logits = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            p = np.exp(logits - logits.max(-1, keepdims=True)); p /= p.sum(-1, keepdims=True)
            for d, row in zip(batch, p):
                k = int(row.argmax())
                f.write(json.dumps({"id": d["id"], "label": LABELS[k], "score": float(row[k])}) + "\n")


def torch_finetune(work, steps):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup
    torch.set_num_threads(2)
    torch.manual_seed(42)
    tok = AutoTokenizer.from_pretrained(f"{work}/model")
    model = AutoModelForSequenceClassification.from_pretrained(f"{work}/model", attn_implementation="eager")
    model.train()
    rows = [json.loads(l) for l in open(f"{work}/train.jsonl")]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n)]
    other = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": other, "weight_decay": 0.0}], lr=5e-5)
    sched = get_linear_schedule_with_warmup(opt, 0, steps)
    order = list(range(len(rows))); random.Random(42).shuffle(order)
    for s in range(steps):
        batch = [rows[order[(s * 16 + i) % len(rows)]] for i in range(16)]
        enc = tok([r["text"] for r in batch], truncation=True, max_length=128, padding=True, return_tensors="pt")
        labels = torch.tensor([LABELS.index(r["label"]) for r in batch])
        loss = model(**enc, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); sched.step(); opt.zero_grad()
    model.save_pretrained(f"{work}/torch-out")
    tok.save_pretrained(f"{work}/torch-out")


def run(work, rounds, cmdfile):
    cmds = [l.rstrip("\n").split("\t", 1) for l in open(cmdfile) if l.strip()]
    best = {name: (float("inf"), 0, float("inf")) for name, _ in cmds}
    for r in range(rounds):
        for name, cmd in cmds:
            t0 = time.perf_counter()
            p = subprocess.Popen(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(p.pid, 0)
            t = time.perf_counter() - t0
            err = p.stderr.read().decode(errors="replace")
            if status != 0:
                sys.exit(f"{name} failed ({status}): {cmd}\n{err[-2000:]}")
            # bash -c execs the last command, so the child's maxrss is the measured process
            cpu = usage.ru_utime + usage.ru_stime
            bt, rss, bc = best[name]
            best[name] = (min(bt, t), max(rss, usage.ru_maxrss), min(bc, cpu))
            print(f"round {r + 1} {name}: {t:.2f} s wall, {cpu:.2f} s CPU, {usage.ru_maxrss / 1024:.0f} MB",
                  file=sys.stderr, flush=True)
    json.dump({n: {"seconds": t, "peak_mb": rss / 1024, "cpu_seconds": c} for n, (t, rss, c) in best.items()},
              sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "prepare": prepare(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif mode == "ort": ort(sys.argv[2], sys.argv[3], sys.argv[4])
    elif mode == "torch-finetune": torch_finetune(sys.argv[2], int(sys.argv[3]))
    elif mode == "run": run(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else: sys.exit(__doc__)
