#!/usr/bin/env python3
"""Reference for Docket's calibration code (Tests/Fixtures/legal/calibration.json).

Random 5-class logits (numpy seed 0) with labels drawn from softmax(z / 1.7), so the raw
logits are over-confident. References, all in float64:
  - ECE with 15 equal-width bins, exactly as Guo et al.'s reference implementation
    (torch.linspace boundaries, conf > lower and conf <= upper), before and after scaling;
  - the NLL-optimal temperature: scipy minimize_scalar (bounded, xatol 1e-12) on log T of
    torch.nn.functional.cross_entropy(z / T, y).
Run: .venv/bin/python Scripts/make-calibration-fixture.py
"""
import json, math, pathlib
import numpy as np
import torch
from scipy.optimize import minimize_scalar

rng = np.random.default_rng(0)
n, k = 300, 5
logits = rng.normal(0.0, 2.5, size=(n, k))
p_true = torch.softmax(torch.tensor(logits / 1.7), dim=1).numpy()
labels = np.array([rng.choice(k, p=row) for row in p_true])

def ece(z, y, temperature=1.0, bins=15):
    probs = torch.softmax(torch.tensor(z, dtype=torch.float64) / temperature, dim=1)
    conf, pred = probs.max(dim=1)
    acc = pred.eq(torch.tensor(y)).double()
    bounds = torch.linspace(0, 1, bins + 1, dtype=torch.float64)
    total = torch.zeros(1, dtype=torch.float64)
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        in_bin = conf.gt(lo.item()) * conf.le(hi.item())
        share = in_bin.double().mean()
        if share.item() > 0:
            total += torch.abs(conf[in_bin].mean() - acc[in_bin].mean()) * share
    return total.item()

def nll(log_t):
    return torch.nn.functional.cross_entropy(torch.tensor(logits, dtype=torch.float64) / math.exp(log_t),
                                             torch.tensor(labels)).item()

fit = minimize_scalar(nll, bounds=(math.log(0.01), math.log(100)), method="bounded", options={"xatol": 1e-12})
t = math.exp(fit.x)
out = {
    "logits": logits.tolist(), "labels": labels.tolist(),
    "ece": ece(logits, labels), "temperature": t, "nll_at_1": nll(0.0), "nll_at_t": nll(fit.x),
    "ece_after": ece(logits, labels, t),
}
path = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/legal/calibration.json"
path.write_text(json.dumps(out))
print(f"wrote {path}: ECE {out['ece']:.6f} → {out['ece_after']:.6f}, T = {t:.9f}")
