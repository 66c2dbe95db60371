#!/usr/bin/env python3
"""Peer side of the tokenizer benchmark: HF `tokenizers` (Rust, via encode_batch) and Python
`sentencepiece` on the same corpus Docket's `bench tokenize` reads, printing one JSON line per
measurement with MB/s (UTF-8 input bytes) and an FNV-1a-64 digest of all ids (equal digests =
identical ids).

Usage: .venv/bin/python Scripts/bench/bench_tokenizers.py --tokenizer TOKENIZER.json --corpus FILE.jsonl
         [--threads 1] [--runs 3] [--sentencepiece MODEL]
Thread count for HF is fixed through RAYON_NUM_THREADS, which must be set before import, so
each measurement runs in a fresh subprocess.
"""
import argparse, json, os, subprocess, sys, time

import numpy as np


def fnv1a64(all_ids):
    h = 0xcbf29ce484222325
    data = np.asarray(all_ids, dtype="<i4").tobytes()
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:x}"


def read_texts(path):
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"] if line.lstrip().startswith("{") else line.rstrip("\n"))
    return texts


def child(args):
    texts = read_texts(args.corpus)
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    if args.kind == "hf":
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(args.tokenizer)
        tok.no_truncation()
        tok.no_padding()
        run = lambda: tok.encode_batch(texts)
        ids_of = lambda out: [i for e in out for i in e.ids]
        name = "HF tokenizers (Rust, encode_batch)"
    else:
        import sentencepiece as spm
        sp = spm.SentencePieceProcessor(model_file=args.sentencepiece)
        run = lambda: sp.encode(texts, num_threads=args.threads)
        ids_of = lambda out: [i for ids in out for i in ids]
        name = "Python sentencepiece (encode list)"
    best, out = float("inf"), None
    for _ in range(args.runs):
        t0 = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - t0)
    ids = ids_of(out)
    print(json.dumps(dict(impl=name, threads=args.threads, documents=len(texts), bytes=nbytes, tokens=len(ids),
                          seconds=round(best, 4), mb_per_s=round(nbytes / 1e6 / best, 2), ids_fnv=fnv1a64(ids))))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tokenizer")
    p.add_argument("--corpus", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--sentencepiece")
    p.add_argument("--kind", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.kind:
        return child(args)
    jobs = []
    if args.tokenizer:
        jobs.append("hf")
    if args.sentencepiece:
        jobs.append("sp")
    for kind in jobs:
        env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads), RAYON_RS_NUM_CPUS=str(args.threads),
                   TOKENIZERS_PARALLELISM="true" if args.threads > 1 else "false", OMP_NUM_THREADS=str(args.threads))
        subprocess.run([sys.executable, __file__, "--kind", kind, "--corpus", args.corpus, "--threads", str(args.threads),
                        "--runs", str(args.runs)] + (["--tokenizer", args.tokenizer] if args.tokenizer else [])
                       + (["--sentencepiece", args.sentencepiece] if args.sentencepiece else []), env=env, check=True)


if __name__ == "__main__":
    main()
