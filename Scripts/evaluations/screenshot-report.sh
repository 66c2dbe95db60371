#!/usr/bin/env bash
# Screenshots an evaluation report with headless Chromium (Debian package `chromium`).
# Usage: Scripts/evaluations/screenshot-report.sh REPORT_DIR_OR_HTML [OUTPUT_PNG] [WIDTHxHEIGHT]
#   default output: REPORT_DIR/report.png; default window 1200x2000.
set -euo pipefail
target=${1:?usage: Scripts/evaluations/screenshot-report.sh REPORT_DIR_OR_HTML [OUTPUT_PNG] [WIDTHxHEIGHT]}
if [ -d "$target" ]; then html="$target/report.html"; else html="$target"; fi
[ -f "$html" ] || { echo "screenshot-report: $html not found" >&2; exit 1; }
png=${2:-"$(dirname "$html")/report.png"}
size=${3:-1200x2000}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "screenshot-report: chromium not found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
html_abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="${size/x/,}" \
  --screenshot="$png" "file://$html_abs" 2>/dev/null
[ -s "$png" ] || { echo "screenshot-report: no screenshot written" >&2; exit 1; }
echo "screenshot: $png"
