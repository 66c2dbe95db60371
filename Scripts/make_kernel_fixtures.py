#!/usr/bin/env python3
"""Writes the per-kernel PyTorch reference fixtures in Tests/Fixtures/kernels/.

For every case: seeded float32 inputs and a random upstream gradient; the outputs and
autograd's gradients computed in float64 from those same inputs (stored rounded to float32,
the reference); and the float32-vs-float64 gap of each output/gradient (the same ops run in
float32) in __metadata__ as "gap.<tensor>". The Swift parity tests use tolerances of about
ten times that gap. Library versions are in __metadata__ too.

Run: .venv/bin/python Scripts/make_kernel_fixtures.py
"""
import math
import platform
import sys
from pathlib import Path

import numpy
import safetensors
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "kernels"
LOWEST = torch.finfo(torch.float32).min  # HF masked_fill value


def base_metadata(kernel):
    return {
        "kernel": kernel,
        "generator": "Scripts/make_kernel_fixtures.py",
        "torch": torch.__version__,
        "safetensors": safetensors.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


def run_case(prefix, inputs, fn, upstream, tensors, meta):
    """inputs: name -> float32 tensor (requires grad if differentiable, ints kept as is);
    fn(dict of inputs) -> dict of outputs; upstream: output name -> float32 gradient
    (None = the output is a scalar loss with gradient 1); an optional "__grads__" list limits
    which inputs' gradients are stored (default: every floating-point input)."""
    results = {}
    for dtype in (torch.float64, torch.float32):
        xs = {}
        for k, v in inputs.items():
            if v.is_floating_point():
                xs[k] = v.to(dtype).clone().requires_grad_(True)
            else:
                xs[k] = v
        outs = fn(xs)
        total = 0
        for name, out in outs.items():
            g = upstream.get(name)
            if g is None and out.dim() == 0 and name in upstream:
                total = total + out
            elif g is not None:
                total = total + (out * g.to(dtype)).sum()
        total.backward()
        res = {f"out.{k}": v.detach() for k, v in outs.items()}
        for k, v in xs.items():
            if v.is_floating_point() and k in upstream.get("__grads__", xs.keys()):
                res[f"grad.{k}"] = v.grad.detach()
        results[dtype] = res
    for k, v in inputs.items():
        tensors[f"{prefix}.in.{k}"] = v.contiguous()
    for k, g in upstream.items():
        if isinstance(g, torch.Tensor):
            tensors[f"{prefix}.up.{k}"] = g.contiguous()
    for k, ref in results[torch.float64].items():
        f32 = results[torch.float32][k]
        tensors[f"{prefix}.{k}"] = ref.to(torch.float32).reshape(ref.shape).contiguous()
        gap = (f32.double() - ref).abs().max().item() if ref.numel() else 0.0
        meta[f"gap.{prefix}.{k}"] = f"{gap:.3e}"


def randn(g, *shape, scale=1.0):
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).to(torch.float32)


def save(kernel, tensors, meta):
    path = OUT / f"{kernel}.safetensors"
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(path), metadata=meta)
    print(f"{path.name}: {path.stat().st_size} bytes, max gap "
          f"{max((float(v) for k, v in meta.items() if k.startswith('gap.')), default=0):.2e}")


def linear_fixture(g):
    tensors, meta = {}, base_metadata("linear")
    for prefix, bias in (("bias", True), ("nobias", False)):
        rows, fin, fout = 6, 10, 7
        ins = {"x": randn(g, rows, fin), "w": randn(g, fout, fin, scale=0.3)}
        if bias:
            ins["b"] = randn(g, fout)
        up = {"y": randn(g, rows, fout)}
        run_case(prefix, ins, lambda d: {"y": F.linear(d["x"], d["w"], d.get("b"))}, up, tensors, meta)
    save("linear", tensors, meta)


def layernorm_fixture(g):
    tensors, meta = {}, base_metadata("layernorm")
    for prefix, eps in (("eps1e-12", 1e-12), ("eps1e-5", 1e-5)):
        rows, dim = 5, 24
        ins = {"x": randn(g, rows, dim, scale=2.0) + 0.5, "gamma": 1 + randn(g, dim, scale=0.2),
               "beta": randn(g, dim, scale=0.2)}
        up = {"y": randn(g, rows, dim)}
        meta[f"{prefix}.eps"] = repr(eps)
        run_case(prefix, ins, lambda d, eps=eps: {
            "y": F.layer_norm(d["x"], (dim,), d["gamma"], d["beta"], eps)}, up, tensors, meta)
    save("layernorm", tensors, meta)


def activations_fixture(g):
    tensors, meta = {}, base_metadata("activations")
    n = 257
    x = torch.cat([torch.linspace(-6, 6, 97), randn(g, n - 97, scale=2.0)]).to(torch.float32)
    fns = {"gelu": lambda t: F.gelu(t, approximate="none"), "relu": F.relu, "tanh": torch.tanh}
    for name, f in fns.items():
        xi = x.clone()
        if name == "relu":  # keep away from the kink, where the gradient is a convention
            xi = torch.where(xi.abs() < 1e-3, xi + 0.01, xi)
        run_case(name, {"x": xi}, lambda d, f=f: {"y": f(d["x"])}, {"y": randn(g, n)}, tensors, meta)
    save("activations", tensors, meta)


def embedding_fixture(g):
    tensors, meta = {}, base_metadata("embedding")
    vocab, dim = 11, 6
    ids = torch.tensor([3, 0, 7, 3, 10, 3, 7, 1, 0], dtype=torch.int32)
    ins = {"table": randn(g, vocab, dim), "ids": ids}
    up = {"y": randn(g, len(ids), dim)}
    run_case("emb", ins, lambda d: {"y": F.embedding(d["ids"].long(), d["table"])}, up, tensors, meta)
    save("embedding", tensors, meta)


def attention_ref(d, heads):
    """HF DistilBERT eager attention without the projections: q scaled by 1/sqrt(HS) first,
    padded keys masked_fill'ed with float32's lowest finite value, softmax, @ v."""
    q, k, v, mask = d["q"], d["k"], d["v"], d["mask"]
    B, T, C = q.shape
    hs = C // heads
    split = lambda t: t.view(B, T, heads, hs).transpose(1, 2)
    scores = (split(q) / math.sqrt(hs)) @ split(k).transpose(-1, -2)
    scores = scores.masked_fill((mask == 0).view(B, 1, 1, T), LOWEST)
    probs = torch.softmax(scores, dim=-1)
    out = (probs @ split(v)).transpose(1, 2).reshape(B, T, C)
    return {"out": out, "probs": probs}


def attention_fixture(g):
    tensors, meta = {}, base_metadata("attention")
    cases = {  # name: (B, T, C, heads, mask rows (real-token counts))
        "t7": (3, 7, 8, 2, [7, 4, 0]),    # includes an all-padding sequence
        "t13": (2, 13, 64, 2, [13, 9]),   # large enough for the two-core path
    }
    for prefix, (B, T, C, heads, lens) in cases.items():
        mask = torch.tensor([[1 if t < n else 0 for t in range(T)] for n in lens], dtype=torch.int32)
        ins = {"q": randn(g, B, T, C), "k": randn(g, B, T, C), "v": randn(g, B, T, C), "mask": mask}
        up = {"out": randn(g, B, T, C)}
        meta[f"{prefix}.shape"] = f"B={B} T={T} C={C} heads={heads}"
        run_case(prefix, ins, lambda d, h=heads: attention_ref(d, h), up, tensors, meta)
    save("attention", tensors, meta)


def cross_entropy_fixture(g):
    tensors, meta = {}, base_metadata("cross_entropy")
    batch, classes = 8, 5
    labels = torch.tensor([0, 4, 2, 2, 1, 3, 0, 2], dtype=torch.int32)
    for prefix, weighted in (("plain", False), ("weighted", True)):
        ins = {"logits": randn(g, batch, classes, scale=2.0), "labels": labels.clone()}
        if weighted:
            ins["weights"] = torch.tensor([0.5, 2.0, 1.0, 3.0, 0.25], dtype=torch.float32)

        def fn(d):
            logits = d["logits"]
            w = d.get("weights")
            loss = F.cross_entropy(logits, d["labels"].long(), weight=w.detach() if w is not None else None)
            return {"loss": loss, "probs": torch.softmax(logits, dim=-1)}
        up = {"loss": None, "__grads__": ["logits"]}
        run_case(prefix, ins, fn, up, tensors, meta)
    save("cross_entropy", tensors, meta)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    g = torch.Generator().manual_seed(20261125)
    linear_fixture(g)
    layernorm_fixture(g)
    activations_fixture(g)
    embedding_fixture(g)
    attention_fixture(g)
    cross_entropy_fixture(g)
    total = sum(p.stat().st_size for p in OUT.glob("*.safetensors"))
    print(f"total {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
