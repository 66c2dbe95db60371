#!/usr/bin/env bash
# The accuracy cost of --precision bf16 for one fine-tuned checkpoint (Scripts/evaluations/precision-accuracy.sh
# with bf16; Scripts/evaluations/precision-accuracy.sh int8 … does the same for int8).
#   Scripts/evaluations/bf16-accuracy.sh MODEL_DIR LABELLED.jsonl [extra evaluate args, e.g. --max-length 128]
# Needs a release build (swift build -c release --product docket) and an AVX512_BF16 CPU.
set -euo pipefail
exec "$(dirname "$0")/precision-accuracy.sh" bf16 "$@"
