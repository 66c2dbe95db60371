#!/usr/bin/env bash
# The accuracy cost of a reduced inference precision (bf16 or int8) for one fine-tuned
# checkpoint: `docket evaluate` runs the labelled file with fp32 and with PRECISION (same
# binary, same arguments), writes both --predictions files, and prints accuracy both ways,
# the share of identical predicted labels, the largest and the mean |Δ probability| over every
# document and label, and every document whose predicted label changed (with its fp32
# confidence: changes among documents fp32 is unsure of, top probability < 0.5, are counted
# apart).
#   Scripts/evaluations/precision-accuracy.sh PRECISION MODEL_DIR LABELLED.jsonl [extra evaluate args, e.g. --max-length 128]
# Needs a release build (swift build -c release --product docket) and a CPU that runs
# PRECISION (bf16: AVX512_BF16; int8: AVX512_VNNI).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 3 ] || { echo "usage: $0 bf16|int8 MODEL_DIR LABELLED.jsonl [evaluate args]" >&2; exit 2; }
precision=$1; model=$2; test=$3; shift 3
docket=.build/release/docket
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for p in fp32 "$precision"; do
  "$docket" evaluate --model "$model" --test "$test" --precision "$p" --predictions "$work/$p.jsonl" --json "$@" > "$work/$p.json"
done
python3 - "$work" "$model" "$test" "$precision" <<'PY'
import json, sys
work, model, test, precision = sys.argv[1:5]
def rows(p): return [json.loads(l) for l in open(f"{work}/{p}.jsonl")]
a, b = rows("fp32"), rows(precision)
acc = lambda rs: sum(r["label"] == r["predicted"] for r in rs) / len(rs)
same = sum(x["predicted"] == y["predicted"] for x, y in zip(a, b))
d = [abs(x["probabilities"][k] - y["probabilities"][k]) for x, y in zip(a, b) for k in x["probabilities"]]
dp, mean_dp = max(d), sum(d) / len(d)
flips = [(x["line"], x["predicted"], y["predicted"], x["confidence"]) for x, y in zip(a, b) if x["predicted"] != y["predicted"]]
print(f"model {model}, test {test}: {len(a)} documents")
unsure = sum(x["confidence"] < 0.5 for x in a)
print(f"accuracy fp32 {acc(a):.2%}, {precision} {acc(b):.2%}; identical predictions {same}/{len(a)} ({same/len(a):.2%}); "
      f"max |Δ probability| {dp:.2e}, mean {mean_dp:.1e}")
print(f"changed predictions: {len(flips)}, of which {sum(c < 0.5 for _, _, _, c in flips)} among the {unsure} documents "
      f"with fp32 confidence < 0.5")
for line, p32, pr, conf in flips: print(f"  line {line}: fp32 {p32} ({conf:.3f}) → {precision} {pr}")
PY
