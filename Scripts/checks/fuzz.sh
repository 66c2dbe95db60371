#!/usr/bin/env bash
# Fuzzes Docket's input parsers with libFuzzer (docs/limits.md, Fuzz/Package.swift).
#   Scripts/checks/fuzz.sh [SECONDS] [TARGET ...]
# Builds Fuzz/ (a separate package depending on this one) with -sanitize=fuzzer and
# -sanitize=address (so leaks and out-of-bounds accesses count as crashes), seeds one corpus per
# target from Tests/Fixtures and Fuzz/Seeds, then runs each target for SECONDS (default 60) or
# FUZZ_RUNS executions (default 1000000), whichever comes first. Fails when any target crashes,
# leaks, times out (one input > 10 s) or exceeds the memory limit; the crashing input is left in
# Fuzz/.build/artifacts/. Prints one line per target: executions, seconds, result.
# FUZZ_JOBS=N runs N targets at a time (default 1). Targets: safetensors json config
# tokenizer-json vocab sentencepiece jsonl csv wordpiece.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(safetensors json config tokenizer-json vocab sentencepiece jsonl csv wordpiece)
runs="${FUZZ_RUNS:-1000000}"
jobs="${FUZZ_JOBS:-1}"
build=Fuzz/.build
echo "fuzz: building Fuzz/ (release, -sanitize=fuzzer,address)"
buildlog=$(mktemp)
# The parent package is a path dependency: drop the cached build plan so files added to it since
# the last build are compiled (a fresh checkout, as in CI, has none).
rm -f "$build/release.yaml" "$build/release/description.json"
if ! swift build --package-path Fuzz --scratch-path "$build" -c release --sanitize=fuzzer --sanitize=address > "$buildlog" 2>&1; then
  grep -E "error" "$buildlog" | head -20 >&2; rm -f "$buildlog"; echo "fuzz: build failed" >&2; exit 1
fi
grep -E "Build complete" "$buildlog" || true; rm -f "$buildlog"
bin="$build/release/docket-fuzz"

F=Tests/Fixtures
seeds() {  # target → seed files (small fixtures only: libFuzzer mutates best below a few KB)
  case "$1" in
    safetensors) ls $F/safetensors/*.safetensors $F/encoder/tiny-bert-lowp-ref.safetensors $F/kernels/embedding.safetensors ;;
    json) find $F -name '*.json' -size -16k; ls Fuzz/Seeds/config/* ;;
    config) find $F -name config.json; ls Fuzz/Seeds/config/* ;;
    tokenizer-json) echo $F/tokenizers/tiny_tokenizer.json ;;
    vocab) echo $F/classifier/tiny-bert-classifier/vocab.txt ;;
    sentencepiece) echo $F/tokenizers/sp_tiny.model ;;
    jsonl|csv|wordpiece) ls Fuzz/Seeds/$1/* ;;
  esac
}
maxlen() { case "$1" in safetensors|json) echo 16384 ;; tokenizer-json) echo 8192 ;; *) echo 4096 ;; esac; }

mkdir -p "$build/artifacts" "$build/logs"
run_target() {
  local t="$1" corpus="$build/corpus/$1" seeddir="$build/seeds/$1"
  mkdir -p "$corpus"; rm -rf "$seeddir"; mkdir -p "$seeddir"
  for s in $(seeds "$t"); do cp "$s" "$seeddir/"; done
  local status=0
  LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0" DOCKET_FUZZ_TARGET="$t" "$bin" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -max_len="$(maxlen "$t")" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" "$corpus" "$seeddir" > "$build/logs/$t.log" 2>&1 || status=$?
  local execs secs
  execs=$(grep -E '^stat::number_of_executed_units:' "$build/logs/$t.log" | awk '{print $2}' | tail -1)
  secs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$build/logs/$t.log" | awk '{print $5}' | tail -1)
  if [ $status -eq 0 ]; then
    printf 'fuzz: %-15s %10s executions in %5ss  no crash, leak or timeout\n' "$t" "${execs:-?}" "${secs:-?}"
  else
    printf 'fuzz: %-15s FAILED (exit %d) after %s executions; see %s and %s\n' "$t" "$status" "${execs:-?}" \
      "$build/logs/$t.log" "$build/artifacts/$t-*" >&2
    grep -E 'ERROR|SUMMARY|Fatal|error:' "$build/logs/$t.log" | head -5 >&2
    return 1
  fi
}

failed=0
pids=()
for t in "${targets[@]}"; do
  run_target "$t" & pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}" || failed=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ $failed -eq 0 ] || { echo "fuzz: a target failed" >&2; exit 1; }
echo "fuzz: all ${#targets[@]} targets passed"
