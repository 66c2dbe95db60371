#!/usr/bin/env bash
# Proof that `docket finetune --resume` after `kill -9` gives the same weights as an
# uninterrupted run. A small synthetic task (generated here) and a fresh small DistilBERT
# (dim 128, 2 layers: ~0.4 M parameters, enough for the multi-core AdamW path):
#   run A: uninterrupted, 2 epochs;
#   run B: same command, killed with SIGKILL mid-epoch (once the log passes --kill-at steps),
#          then the same command with --resume until the end;
# then the best checkpoints (model.safetensors) and the final training-state weights are
# compared byte for byte (OpenBLAS threads fixed at 2 for both runs: determinism holds for a
# fixed thread count). Exit status 0 when identical.
# Usage: Scripts/checks/check-resume.sh [--kill-at STEP] [--bin PATH]   (default release build, step 70)
set -euo pipefail
cd "$(dirname "$0")/../.."
KILL_AT=70
BIN=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kill-at) KILL_AT="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$BIN" ]]; then
  swift build -c release --product docket >/dev/null
  BIN="$(swift build -c release --show-bin-path)/docket"
fi
export OPENBLAS_NUM_THREADS=2
W="$(mktemp -d /tmp/docket-resume-XXXXXX)"
trap 'rm -rf "$W"' EXIT

python3 - "$W" <<'PY'
import json, random, sys
w = sys.argv[1]
random.seed(5)
topics = {"alpha": "lease rent tenant landlord premises term", "beta": "claim invention device method apparatus embodiment",
          "gamma": "court plaintiff defendant motion appeal judgment", "delta": "policy audit control record retention report"}
common = "the of and to in shall be any such each".split()
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted({t for v in topics.values() for t in v.split()} | set(common))
open(f"{w}/vocab.txt", "w").write("\n".join(vocab) + "\n")
json.dump({"model_type": "distilbert", "dim": 128, "n_layers": 2, "n_heads": 4, "hidden_dim": 512,
           "vocab_size": len(vocab), "max_position_embeddings": 64}, open(f"{w}/config.json", "w"))
def write(path, n):
    with open(path, "w") as f:
        for _ in range(n):
            lab = random.choice(sorted(topics))
            words = [random.choice(topics[lab].split() + common) for _ in range(random.randint(4, 40))]
            f.write(json.dumps({"text": " ".join(words), "label": lab}) + "\n")
write(f"{w}/train.jsonl", 800)
write(f"{w}/dev.jsonl", 100)
PY

args=(finetune --config "$W/config.json" --tokenizer "$W/vocab.txt" --train "$W/train.jsonl" --dev "$W/dev.jsonl"
      --epochs 2 --batch-size 8 --learning-rate 1e-3 --warmup-ratio 0.1 --save-steps 25 --seed 3)
"$BIN" "${args[@]}" --output "$W/A" >/dev/null
"$BIN" "${args[@]}" --output "$W/B" >/dev/null &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  last=$(grep -c '"type":"step"' "$W/B/training_log.jsonl" 2>/dev/null || true)
  if [[ "${last:-0}" -ge "$KILL_AT" ]]; then kill -9 "$pid"; break; fi
  sleep 0.05
done
wait "$pid" 2>/dev/null || true
killed_at=$(grep -c '"type":"step"' "$W/B/training_log.jsonl")
saved=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['step'])" \
        "$W/B/training_state/$(cat "$W/B/training_state/latest")/trainer_state.json")
echo "killed run B with SIGKILL after $killed_at logged steps (last saved state: step $saved); resuming"
"$BIN" "${args[@]}" --output "$W/B" --resume >/dev/null
total=$(grep -c '"type":"step"' "$W/A/training_log.jsonl")
stateA="$W/A/training_state/$(cat "$W/A/training_state/latest")/weights.safetensors"
stateB="$W/B/training_state/$(cat "$W/B/training_state/latest")/weights.safetensors"
ok=1
cmp -s "$W/A/model.safetensors" "$W/B/model.safetensors" && echo "best checkpoint model.safetensors: identical" || { echo "best checkpoint: DIFFERENT"; ok=0; }
cmp -s "$stateA" "$stateB" && echo "final weights after $total steps: identical" || { echo "final weights: DIFFERENT"; ok=0; }
[[ "$(grep -c '"type":"step"' "$W/B/training_log.jsonl")" == "$total" ]] && echo "log: $total step lines in both" || { echo "log: step count differs"; ok=0; }
[[ $ok == 1 ]] && echo "RESUME CHECK PASSED" || { echo "RESUME CHECK FAILED"; exit 1; }
