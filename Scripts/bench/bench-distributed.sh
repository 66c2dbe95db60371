#!/usr/bin/env bash
# Data-parallel fine-tuning on one machine: 1 rank × 2 BLAS threads against 2 ranks × 1 thread
# (mpirun, loopback), MiniLM (all-MiniLM-L6-v2) on a slice of Corpora/train.jsonl; plus the
# bare MPI_Allreduce of MiniLM- and distilbert-base-sized gradient buffers, and the compute time
# of one training step of each model (docket bench train) for the scaling estimate in
# docs/distributed.md. Runs alternate (A B A B ...), best of ROUNDS, so background load hits
# both sides. Prints one JSON line per measurement.
#   [DOCKET_BIN=path] Scripts/bench/bench-distributed.sh [ROUNDS=2] [STEPS=12]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}; steps=${2:-12}
command -v mpirun >/dev/null || { echo "bench-distributed: mpirun not found (Scripts/setup/setup.sh installs openmpi-bin)" >&2; exit 1; }
# DOCKET_BIN: a release docket already built elsewhere (otherwise built here).
bin=${DOCKET_BIN:-.build/release/docket}
[ -n "${DOCKET_BIN:-}" ] || swift build -c release --product docket >/dev/null
minilm=$(Scripts/setup/minilm-path.sh)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun --oversubscribe --bind-to none --mca btl self,vader,tcp)
# Benchmarks only: the real OpenBLAS kernel selection (see HELPERS / bench-training.sh).
clean=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
head -n $((16 * steps)) Corpora/train.jsonl > "$work/train.jsonl"
args=(finetune --model "$minilm" --train "$work/train.jsonl" --max-steps "$steps" --epochs 1 --batch-size 16
      --max-length 128 --save-steps 0)

# One run → {"config", "seq_per_s", "allreduce_share", "peak_rss_mb" per rank}
summarise() {  # $1 config name, $2 output dir, $3.. files holding "maxrss KB" lines
  local name=$1 out=$2; shift 2
  python3 - "$name" "$out/training_log.jsonl" "$steps" "$@" <<'PY'
import json, sys
name, log, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [json.loads(l) for l in open(log) if '"type":"step"' in l]
last = lines[-1]
rate = last["seq_per_s"]            # over the last min(20, steps) steps
step_time = 16 / rate
share = last.get("allreduce_s", 0.0) / (steps * step_time) if "allreduce_s" in last else 0.0
rss = []
for f in sys.argv[4:]:
    for l in open(f):
        if l.startswith("maxrss_kb "): rss.append(round(int(l.split()[1]) / 1024))
print(json.dumps({"config": name, "seq_per_s": round(rate, 2), "s_per_step": round(step_time, 3),
                  "allreduce_share": round(share, 3), "allreduce_s_total": round(last.get("allreduce_s", 0.0), 3),
                  "peak_rss_mb_per_rank": rss}))
PY
}

for r in $(seq "$rounds"); do
  rm -rf "$work/one" "$work/two"
  "${clean[@]}" OPENBLAS_NUM_THREADS=2 /usr/bin/time -f "maxrss_kb %M" -o "$work/one.rss" "$bin" "${args[@]}" --output "$work/one" >/dev/null
  summarise "1 rank x 2 threads (round $r)" "$work/one" "$work/one.rss"
  "${clean[@]}" OPENBLAS_NUM_THREADS=1 "${mpi[@]}" -np 2 -x OPENBLAS_NUM_THREADS \
    sh -c '/usr/bin/time -f "maxrss_kb %M" -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' "$work/two.rss" "$bin" "${args[@]}" --output "$work/two" >/dev/null
  summarise "2 ranks x 1 thread (round $r)" "$work/two" "$work/two.rss.0" "$work/two.rss.1"
done

# The bare all-reduce: MiniLM (22.7M floats) and distilbert-base (66.96M floats) gradients.
mpicc -O2 Scripts/bench/allreduce_bench.c -o "$work/allreduce_bench"
for btl in self,vader self,tcp; do
  for n in 22713216 66962693; do
    printf '{"transport":"%s",' "$btl"
    mpirun --oversubscribe --bind-to none --mca btl "$btl" --mca btl_tcp_if_include lo -np 2 "$work/allreduce_bench" "$n" 5 | sed 's/^{//'
  done
done

# Compute per training step (forward + backward + AdamW), one process, both cores and one core.
for t in 2 1; do
  for m in minilm distilbert-base; do
    printf '{"threads":%s,' "$t"
    "${clean[@]}" OPENBLAS_NUM_THREADS=$t "$bin" bench train --model "$m" --batch-size 16 --seq-len 128 --steps 3 --json | sed 's/^{//'
  done
done
