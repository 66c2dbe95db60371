#!/usr/bin/env bash
# The main job. Placeholder until the legal workflow lands: builds release and runs the kernel benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build -c release --product docket
.build/release/docket --help
