#!/usr/bin/env bash
# Tokenizer benchmark, peers measured in the same run (release build):
#   WordPiece: Docket vs HF tokenizers (Rust, encode_batch) — same vocab (all-MiniLM-L6-v2
#   tokenizer.json), same text (../shared/corpora/legal5-real/train.jsonl), 1 and 2 threads.
#   SentencePiece: Docket (Tokenizer.encode, with offsets) vs libsentencepiece's own ids-only
#   encode in the same process vs Python sentencepiece, same .model (Vocab/legal-unigram-4k.model
#   when present, else the committed test model), same text, 1 thread.
# Prints the JSON lines and a markdown table with ratios; ids digests must be equal per group.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS="${CORPUS:-../shared/corpora/legal5-real/train.jsonl}"
MINILM="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
TOK="$MINILM/tokenizer.json"
SPM="${SPM:-Vocab/legal-unigram-4k.model}"
[ -f "$SPM" ] || SPM=Tests/Fixtures/tokenizers/sp_unigram.model
RUNS="${RUNS:-3}"
[ -f "$CORPUS" ] || { echo "corpus $CORPUS not found" >&2; exit 1; }
swift build -c release --product docket >&2
D=.build/release/docket
PY=.venv/bin/python
OUT=$(mktemp)
{
  for t in 1 2; do
    $D bench tokenize --tokenizer "$TOK" --corpus "$CORPUS" --threads $t --runs "$RUNS"
    $PY Scripts/bench/bench_tokenizers.py --tokenizer "$TOK" --corpus "$CORPUS" --threads $t --runs "$RUNS"
  done
  $D bench tokenize --tokenizer "$SPM" --corpus "$CORPUS" --threads 1 --runs "$RUNS" --no-special-tokens
  $D bench tokenize --tokenizer "$SPM" --corpus "$CORPUS" --threads 1 --runs "$RUNS" --raw-sentencepiece
  $PY Scripts/bench/bench_tokenizers.py --sentencepiece "$SPM" --corpus "$CORPUS" --threads 1 --runs "$RUNS"
} | tee "$OUT"
$PY - "$OUT" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print("\n| implementation | threads | MB/s | tokens | ids digest | ratio vs peer |")
print("|---|---|---|---|---|---|")
def peer(r):
    if r["impl"].startswith("docket wordpiece"):
        return next((p for p in rows if p["impl"].startswith("HF") and p["threads"] == r["threads"]), None)
    if r["impl"].startswith("docket sentencepiece"):
        return next((p for p in rows if p["impl"].startswith("libsentencepiece")), None)
    return None
for r in rows:
    p = peer(r)
    ratio = f'{r["mb_per_s"] / p["mb_per_s"]:.2f}× {p["impl"].split(" (")[0]}' + ("" if p["ids_fnv"] == r["ids_fnv"] else " (IDS DIFFER)") if p else ""
    print(f'| {r["impl"]} | {r["threads"]} | {r["mb_per_s"]:.2f} | {r["tokens"]} | {r["ids_fnv"]} | {ratio} |')
PYEOF
rm -f "$OUT"
