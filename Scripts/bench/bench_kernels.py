#!/usr/bin/env python3
"""PyTorch peer for `docket bench kernels`: the same operations at the same shapes, 2 threads.

linear: F.linear forward + backward (grad of input, weight, bias) at B·T = 2048 rows.
attention: HF-style eager attention over (B, T, C) inputs — view/transpose to heads, q/√HS,
q·kᵀ, masked_fill with float32's lowest value on padded keys, softmax, ·v, transpose back —
forward + backward for q, k, v. Reports the best time of repeated runs (shared machine).

Run: .venv/bin/python Scripts/bench/bench_kernels.py [--json] [--seconds S]
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F

SHAPES = [(768, 768), (768, 3072), (3072, 768), (384, 1536), (1536, 384)]


def best_time(fn, seconds, min_runs=5):
    fn()
    best, runs, start = math.inf, 0, time.perf_counter()
    while runs < min_runs or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        runs += 1
        if runs >= 200:
            break
    return best


def bench_linear(rows, fin, fout, seconds):
    g = torch.Generator().manual_seed(1)
    x = ((torch.rand(rows, fin, generator=g) - 0.5) * 0.1).requires_grad_(True)
    w = ((torch.rand(fout, fin, generator=g) - 0.5) * 0.1).requires_grad_(True)
    b = ((torch.rand(fout, generator=g) - 0.5) * 0.1).requires_grad_(True)
    dy = (torch.rand(rows, fout, generator=g) - 0.5) * 0.1

    def step():
        x.grad = w.grad = b.grad = None
        F.linear(x, w, b).backward(dy)

    return 6.0 * rows * fin * fout, best_time(step, seconds)


def bench_attention(B, T, NH, HS, seconds):
    C = NH * HS
    g = torch.Generator().manual_seed(1)
    q, k, v = [(torch.rand(B, T, C, generator=g) - 0.5).requires_grad_(True) for _ in range(3)]
    dout = torch.rand(B, T, C, generator=g) - 0.5
    mask = torch.ones(B, T, dtype=torch.int32)
    mask[1::2, T - T // 8:] = 0  # same padding as the Swift benchmark
    lowest = torch.finfo(torch.float32).min

    def step():
        q.grad = k.grad = v.grad = None
        split = lambda t: t.view(B, T, NH, HS).transpose(1, 2)
        scores = (split(q) / math.sqrt(HS)) @ split(k).transpose(-1, -2)
        scores = scores.masked_fill((mask == 0).view(B, 1, 1, T), lowest)
        out = (torch.softmax(scores, dim=-1) @ split(v)).transpose(1, 2).reshape(B, T, C)
        out.backward(dout)

    return 12.0 * B * NH * T * T * HS, best_time(step, seconds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seconds", type=float, default=0.5)
    ap.add_argument("--rows", type=int, default=2048)
    args = ap.parse_args()
    torch.set_num_threads(2)
    results = []
    for fin, fout in SHAPES:
        flops, t = bench_linear(args.rows, fin, fout, args.seconds)
        results.append({"name": f"linear {fin}->{fout} fwd+bwd", "flops": flops, "milliseconds": t * 1e3,
                         "gflops": flops / t / 1e9})
    flops, t = bench_attention(16, 128, 12, 64, args.seconds)
    results.append({"name": "attention B=16 T=128 NH=12 HS=64 fwd+bwd", "flops": flops,
                    "milliseconds": t * 1e3, "gflops": flops / t / 1e9})
    report = {"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": args.rows,
              "results": results}
    if args.json:
        print(json.dumps(report))
    else:
        for r in results:
            print(f"{r['name']:46}{r['milliseconds']:10.2f}{r['gflops']:10.1f}")


if __name__ == "__main__":
    main()
