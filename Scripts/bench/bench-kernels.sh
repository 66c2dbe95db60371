#!/usr/bin/env bash
# Kernel benchmark against raw oneDNN dnnl_sgemm (its own 2 OpenMP threads) and PyTorch (2
# threads) in the same run.
# Builds the release `docket`, then alternates `docket bench kernels --json` and
# Scripts/bench/bench_kernels.py for ROUNDS rounds (the 2 cores are shared: alternating and keeping
# each operation's best round gives both sides the same conditions), and prints one table.
# Docket runs under `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` as the machine's notes ask
# for benchmarks (Docket no longer links OpenBLAS; the variables change nothing). Set
# DOCKET_BENCH_INHERIT_ENV=1 to keep the environment instead.
# Usage: Scripts/bench/bench-kernels.sh [ROUNDS (default 3)] [SECONDS per op per round (default 0.5)]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
SECONDS_PER_OP="${2:-0.5}"
OUT="bench-out/kernels"
mkdir -p "$OUT"
rm -f "$OUT"/docket-*.json "$OUT"/torch-*.json
swift build -c release --product docket >&2
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
BIN="$(swift build -c release --product docket --show-bin-path)/docket"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS: docket" >&2
  if [ "${DOCKET_BENCH_INHERIT_ENV:-0}" = 1 ]; then detect=(); else detect=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE); fi
  "${detect[@]}" "$BIN" bench kernels --json --seconds "$SECONDS_PER_OP" > "$OUT/docket-$r.json"
  echo "round $r/$ROUNDS: pytorch" >&2
  .venv/bin/python Scripts/bench/bench_kernels.py --json --seconds "$SECONDS_PER_OP" > "$OUT/torch-$r.json"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python - "$OUT" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY'
import glob, json, sys
out = sys.argv[1]
def best(pattern):
    merged, meta = {}, None
    for f in sorted(glob.glob(f"{out}/{pattern}")):
        d = json.load(open(f)); meta = meta or d
        for r in d["results"]:
            if r["name"] not in merged or r["gflops"] > merged[r["name"]]["gflops"]:
                merged[r["name"]] = r
        if "peak" in d:
            meta["peak"]["measured_gflops"] = max(meta["peak"]["measured_gflops"], d["peak"]["measured_gflops"])
    return merged, meta
docket, dmeta = best("docket-*.json")
torch, tmeta = best("torch-*.json")
peak = dmeta["peak"]
print(f"{peak['model_name']}, {peak['cores']} cores, cpu MHz {peak['megahertz']:.0f}, {peak['vector_lanes']}-lane FMA; "
      f"torch {tmeta['torch']} ({tmeta['threads']} threads); best of {len(glob.glob(out + '/docket-*.json'))} rounds")
print(f"FP32 peak: nominal {peak['nominal_gflops']:.0f} GFLOP/s at the reported clock "
      f"({peak['assumed_fma_units']} FMA units/core), measured FMA loop {peak['measured_gflops']:.0f} GFLOP/s")
print(f"load average before {sys.argv[2]}, after {sys.argv[3]} (the 2 cores are shared; >2 means other work ran)")
print()
print("| operation | docket GFLOP/s | raw dnnl_sgemm GFLOP/s | docket/dnnl_sgemm | PyTorch GFLOP/s | docket/PyTorch | % of measured peak |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, r in docket.items():
    if name.startswith(("sgemm", "dnnl_sgemm")):
        continue
    shape = name.split(" ")[1] if name.startswith("linear") else None
    sg = next((v for k, v in docket.items() if k.startswith(("sgemm", "dnnl_sgemm")) and shape and k.split(" ")[1] == shape), None)
    t = torch.get(name)
    cells = [name, f"{r['gflops']:.1f}",
             f"{sg['gflops']:.1f}" if sg else "–", f"{r['gflops'] / sg['gflops']:.2f}" if sg else "–",
             f"{t['gflops']:.1f}" if t else "–", f"{r['gflops'] / t['gflops']:.2f}" if t else "–",
             f"{100 * r['gflops'] / peak['measured_gflops']:.0f}%"]
    print("| " + " | ".join(cells) + " |")
PY
