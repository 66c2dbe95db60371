"""The Python server a user would otherwise write: FastAPI + uvicorn (one worker) over ONNX
Runtime, TEI-shaped POST /predict ({"inputs": str | [str, ...], "truncate", "raw_scores"} →
[{"score", "label"}, ...] best first). Per request: HF fast tokenizer (truncation to
--max-length), one session.run on the request's inputs padded to the longest, softmax.
Sync endpoint, so FastAPI runs requests on its thread pool; ORT intra-op threads = --threads.
Used by Scripts/bench/bench-serve.sh as the peer of `docket serve`.
Usage: serve_fastapi_ort.py --model DIR --onnx FILE --port P [--threads 2] [--max-length 128]
"""
import argparse
import json
import os
from typing import List, Union

import numpy as np
import onnxruntime as ort
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel
from tokenizers import Tokenizer

ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True)
ap.add_argument("--onnx", required=True)
ap.add_argument("--port", type=int, default=8081)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--max-length", type=int, default=128)
a = ap.parse_args()

cfg = json.load(open(os.path.join(a.model, "config.json")))
labels = [cfg["id2label"][str(i)] for i in range(len(cfg["id2label"]))]
tok = Tokenizer.from_file(os.path.join(a.model, "tokenizer.json"))
tok.enable_truncation(max_length=a.max_length)
tok.no_padding()
so = ort.SessionOptions()
so.intra_op_num_threads = a.threads
so.inter_op_num_threads = 1
sess = ort.InferenceSession(a.onnx, so, providers=["CPUExecutionProvider"])
app = FastAPI()


class PredictRequest(BaseModel):
    inputs: Union[str, List[str]]
    truncate: bool = False
    raw_scores: bool = False


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/predict")
def predict(req: PredictRequest):
    texts = [req.inputs] if isinstance(req.inputs, str) else req.inputs
    encs = tok.encode_batch(texts)
    t = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), t), dtype=np.int64)
    mask = np.zeros((len(encs), t), dtype=np.int64)
    for i, e in enumerate(encs):
        ids[i, :len(e.ids)] = e.ids
        mask[i, :len(e.ids)] = 1
    logits = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    scores = logits if req.raw_scores else np.exp(logits - logits.max(-1, keepdims=True))
    if not req.raw_scores:
        scores = scores / scores.sum(-1, keepdims=True)
    out = [sorted(({"score": float(s), "label": labels[j]} for j, s in enumerate(row)), key=lambda x: -x["score"])
           for row in scores]
    return out[0] if isinstance(req.inputs, str) else out


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=a.port, log_level="warning", access_log=False)
