#!/usr/bin/env bash
# `docket serve` under load, against offline `docket classify` and against the Python server a
# user would otherwise write (Scripts/bench/serve_fastapi_ort.py: FastAPI + uvicorn over ONNX Runtime),
# in the same run on the same machine. Load generator: wrk (Debian), POST /predict with one
# legal document per request (Corpora/test.jsonl + dev.jsonl, 500 documents, cycled), at 1, 8
# and 64 connections. Model: all-MiniLM-L6-v2 with one seeded 5-label head, saved once and
# exported to ONNX from the same weights; max length 128; 2 threads on each side (oneDNN /
# ORT intra-op). The machine is shared: servers run alternately (docket, fastapi, docket, ...)
# and the best of ROUNDS is kept for each. Then a soak: 100,000 requests at 64 connections
# against `docket serve` with resident memory sampled every 2 s (max length 16 there so the
# soak takes minutes; the request path — HTTP, JSON, batching, monitoring — is the same).
# Usage: Scripts/bench/bench-serve.sh [ROUNDS=2] [SECONDS_PER_RUN=15] [SOAK_REQUESTS=100000]
# DOCKET_PRECISION=fp32|bf16|int8|auto (default fp32): Docket's --precision for the server and
# the offline classify. With int8 the peer serves ORT's own int8 model (quantize_dynamic of the
# same export), so both sides run int8; otherwise the peer is ORT FP32 (ORT has no bf16 CPU path).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-2}"; DUR="${2:-15}"; SOAK="${3:-100000}"
PRECISION="${DOCKET_PRECISION:-fp32}"
case "$PRECISION" in fp32|bf16|int8|auto) ;; *) echo "DOCKET_PRECISION must be fp32, bf16, int8 or auto"; exit 64;; esac
MODEL_SRC="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
[ -n "$MODEL_SRC" ] || { echo "all-MiniLM-L6-v2 not installed (Scripts/setup/setup-python.sh)"; exit 1; }
PY=.venv/bin/python
$PY -c "import fastapi, uvicorn, onnxruntime" 2>/dev/null || { echo "needs fastapi, uvicorn, onnxruntime: Scripts/setup/setup-python.sh"; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
WORK="$(mktemp -d)"; PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
# On a failed start, show the server logs (kept in WORK, which cleanup removes).
fail_logs() { tail -n 20 "$WORK"/*.log 2>/dev/null || true; }
# SWIFT_BUILD_FLAGS: e.g. "--scratch-path .build-release" to use another build folder.
# DOCKET_SERVE_ARGS: extra `docket serve` flags (e.g. "--workers 1") to compare settings.
swift build -c release --product docket ${SWIFT_BUILD_FLAGS:-} >/dev/null
DOCKET="$(swift build -c release ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/docket"
# Benchmarks only: OpenBLAS's own CPU detection (as the other bench scripts).
RUN=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2)

$PY - "$MODEL_SRC" "$WORK" <<'PY'
import json, os, sys, torch
from transformers import AutoTokenizer, BertForSequenceClassification
src, work = sys.argv[1], sys.argv[2]
labels = ["Contract", "Patent", "Litigation", "Compliance", "Corporate"]
torch.manual_seed(0)
m = BertForSequenceClassification.from_pretrained(src, num_labels=5, id2label=dict(enumerate(labels)),
                                                  label2id={l: i for i, l in enumerate(labels)}, attn_implementation="eager").eval()
m.save_pretrained(f"{work}/model"); AutoTokenizer.from_pretrained(src).save_pretrained(f"{work}/model")
ids = torch.ones(2, 16, dtype=torch.long)
torch.onnx.export(m, (ids, torch.ones_like(ids)), f"{work}/model.onnx", input_names=["input_ids", "attention_mask"],
                  output_names=["logits"], dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                  "logits": {0: "b"}}, opset_version=17, dynamo=False)
from onnxruntime.quantization import QuantType, quantize_dynamic  # the int8 peer (DOCKET_PRECISION=int8)
quantize_dynamic(f"{work}/model.onnx", f"{work}/model.int8.onnx", weight_type=QuantType.QInt8)
docs = [json.loads(l) for f in ("Corpora/test.jsonl", "Corpora/dev.jsonl") for l in open(f)]
with open(f"{work}/docs.jsonl", "w") as f:
    for d in docs: f.write(json.dumps({"id": d["id"], "text": d["text"]}) + "\n")
with open(f"{work}/bodies.txt", "w") as f:
    for d in docs: f.write(json.dumps({"inputs": d["text"], "truncate": True}) + "\n")
PY
cat > "$WORK/predict.lua" <<'LUA'
local bodies, i = {}, 0
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
request = function()
  i = i + 1
  return wrk.format("POST", "/predict", {["Content-Type"] = "application/json"}, bodies[(i % #bodies) + 1])
end
LUA
export BODIES="$WORK/bodies.txt"
PEER_ONNX="$WORK/model.onnx"; [ "$PRECISION" = int8 ] && PEER_ONNX="$WORK/model.int8.onnx"
N=$(wc -l <"$WORK/docs.jsonl")

wait_up() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.1; done; echo "server on $1 did not start"; fail_logs; exit 1; }
start_docket() {  # port max-length
  "${RUN[@]}" "$DOCKET" serve --model "$WORK/model" --port "$1" --max-length "$2" --log-level warning \
      --precision "$PRECISION" ${DOCKET_SERVE_ARGS:-} \
      2>>"$WORK/docket-serve.log" & PIDS+=($!); SPID=$!; wait_up "$1"; }
start_fastapi() {
  "${RUN[@]}" $PY Scripts/bench/serve_fastapi_ort.py --model "$WORK/model" --onnx "$PEER_ONNX" --port "$1" --threads 2 \
      --max-length 128 2>>"$WORK/fastapi.log" & PIDS+=($!); SPID=$!; wait_up "$1"; }
stop() { kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true; }
load() {  # name conns port
  local t=$(( $2 < 2 ? $2 : 2 ))
  wrk -t"$t" -c"$2" -d"${DUR}s" --timeout 30s --latency -s "$WORK/predict.lua" "http://127.0.0.1:$3" >"$WORK/wrk.txt" 2>&1 || true
  $PY - "$1" "$2" "$WORK/wrk.txt" >>"$WORK/results.jsonl" <<'PY'
import json, re, sys
name, conns, text = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read()
def ms(tag):
    m = re.search(r"^\s*%s\s+([\d.]+)(us|ms|s)\s*$" % re.escape(tag), text, re.M)
    return float(m.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)] if m else float("nan")
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errs = re.search(r"Socket errors:.*", text)
print(json.dumps({"server": name, "conns": conns, "rps": float(rps.group(1)) if rps else 0.0, "p50": ms("50%"),
                  "p99": ms("99%"), "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": errs.group(0) if errs else ""}))
PY
}

echo "bench-serve: $N documents, ${ROUNDS} rounds, ${DUR}s per load run; docket --precision $PRECISION, peer $(basename "$PEER_ONNX"); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
# Sanity: both servers agree on the labels of the first 20 documents.
start_docket 18080 128; start_fastapi 18081
$PY - "$WORK/bodies.txt" <<'PY'
import json, sys, urllib.request
def call(port, body):
    r = urllib.request.Request(f"http://127.0.0.1:{port}/predict", data=body.encode(), headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(r))
bodies = open(sys.argv[1]).read().splitlines()[:20]
a = [call(18080, b) for b in bodies]; b = [call(18081, b) for b in bodies]
same = sum(x[0]["label"] == y[0]["label"] for x, y in zip(a, b))
diff = max(abs(p["score"] - {q["label"]: q["score"] for q in y}[p["label"]]) for x, y in zip(a, b) for p in x)
print(f"sanity: docket and fastapi agree on {same}/20 labels, max |probability diff| {diff:.1e}")
PY
SPID=${PIDS[0]}; stop; SPID=${PIDS[1]}; stop; PIDS=()

for r in $(seq "$ROUNDS"); do
  # Offline docket classify on the same documents (same max length, batch 32).
  s=$(date +%s.%N)
  "${RUN[@]}" "$DOCKET" classify --model "$WORK/model" --input "$WORK/docs.jsonl" --output "$WORK/offline.jsonl" \
      --max-length 128 --batch-size 32 --precision "$PRECISION" 2>/dev/null
  e=$(date +%s.%N)
  $PY -c "import json; print(json.dumps({'server': 'offline', 'conns': 0, 'rps': $N / ($e - $s)}))" >>"$WORK/results.jsonl"
  start_docket 18080 128
  for c in 1 8 64; do load docket "$c" 18080; done
  stop
  start_fastapi 18081
  for c in 1 8 64; do load fastapi "$c" 18081; done
  stop
done

# Soak: SOAK requests at 64 connections; RSS and the server's own request count every 2 s.
start_docket 18082 16
( while kill -0 "$SPID" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' /proc/"$SPID"/status 2>/dev/null || echo 0)
    n=$(curl -s http://127.0.0.1:18082/metrics | awk -F' ' '/^docket_http_requests_total\{route="\/predict"/ {s += $2} END {print s + 0}')
    echo "$n $rss"; sleep 2
  done ) >"$WORK/rss.txt" & SAMPLER=$!
# wrk has no request-count limit: drive it in 20 s runs until the server has answered SOAK.
served_now() { curl -s http://127.0.0.1:18082/metrics | awk '/^docket_http_requests_total\{route="\/predict"/ {s += $2} END {print s + 0}'; }
while [ "$(served_now)" -lt "$SOAK" ]; do
  wrk -t2 -c64 -d20s --timeout 30s -s "$WORK/predict.lua" http://127.0.0.1:18082 >>"$WORK/soak.txt" 2>&1 || true
done
sleep 2; kill "$SAMPLER" 2>/dev/null || true
served=$(curl -s http://127.0.0.1:18082/metrics | awk '/^docket_http_requests_total\{route="\/predict",status="200"/ {print $2}')
stop

$PY - "$WORK/results.jsonl" "$WORK/rss.txt" "${served:-0}" <<'PY'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
best = collections.defaultdict(lambda: None)
for r in rows:
    k = (r["server"], r["conns"])
    if best[k] is None or r["rps"] > best[k]["rps"]: best[k] = r
off = best[("offline", 0)]["rps"]
print(f"\noffline docket classify: {off:.1f} docs/s (best of rounds)")
print(f"{'server':8} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  vs offline  docket/fastapi")
for c in (1, 8, 64):
    d, f = best[("docket", c)], best[("fastapi", c)]
    for r in (d, f):
        ratio = f"{r['rps'] / off:9.2f}x" if r["server"] == "docket" else " " * 10
        vs = f"{d['rps'] / f['rps']:9.2f}x" if r["server"] == "docket" and f["rps"] > 0 else ""
        print(f"{r['server']:8} {c:>5} {r['rps']:>8.1f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['non2xx']:>8}  {ratio}  {vs}")
samples = [tuple(map(int, l.split())) for l in open(sys.argv[2]) if len(l.split()) == 2]
samples = [s for s in samples if s[1] > 0]
if samples:
    after = [s for s in samples if s[0] >= 10000] or samples
    print(f"\nsoak: {sys.argv[3]} requests answered 200; RSS {samples[0][1] / 1024:.0f} MiB at start, "
          f"{after[0][1] / 1024:.0f} MiB at {after[0][0]} requests, {samples[-1][1] / 1024:.0f} MiB at {samples[-1][0]}, "
          f"max {max(s[1] for s in samples) / 1024:.0f} MiB")
PY
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); machine shared with other agents' builds)"
