#!/usr/bin/env bash
# Checks the README's Package.swift lines for a library consumer (issue #13 defect 10): a
# throwaway package beside a `docket` symlink to this repository takes the README's
# `dependencies:` / `targets:` lines verbatim, and SwiftPM must resolve its package graph:
# the path dependency, the package identity and the "Docket" product. Loading the graph is
# enough to catch a wrong package or product name (SwiftPM reports those before compiling), so
# the check asks for a product that does not exist and expects exactly that complaint —
# seconds instead of a second full build of the library. The snippet's Swift code itself is
# compiled and run by Tests/DocketTests/ReadmeExampleTests.swift.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The README block that starts with "dependencies: [.package(path:" (up to its closing fence).
lines=$(awk '/^```swift$/ { inblock = 1; buf = ""; next }
             /^```$/ { if (inblock && buf ~ /\.package\(path:/) { printf "%s", buf; exit } inblock = 0; next }
             inblock { buf = buf "    " $0 "\n" }' README.md)
[ -n "$lines" ] || { echo "check-consumer-package: no Package.swift snippet with .package(path:) in README.md" >&2; exit 1; }
ln -s "$repo" "$work/docket"
mkdir -p "$work/MyService/Sources/MyService"
cat > "$work/MyService/Package.swift" <<MANIFEST
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "MyService",
$lines
)
MANIFEST
echo 'import Docket; print(DocketVersion.current)' > "$work/MyService/Sources/MyService/main.swift"
out=$(cd "$work/MyService" && swift build --product docket-consumer-graph-check 2>&1 || true)
if grep -q "no product named 'docket-consumer-graph-check'" <<<"$out"; then
  echo "consumer package: README's Package.swift lines resolve (.package(path:) + .product(name: \"Docket\", package: \"docket\"))"
else
  echo "check-consumer-package: the README's Package.swift lines do not resolve:" >&2
  echo "$out" | tail -5 >&2
  cat "$work/MyService/Package.swift" >&2
  exit 1
fi
