#!/usr/bin/env bash
# Installs the Debian packages Docket builds against. Idempotent: installs only what is missing.
set -euo pipefail
packages=(libdnnl-dev libsentencepiece-dev libicu-dev pkg-config libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: system packages present (${packages[*]})"
else
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq || { echo "setup: apt-get update failed" >&2; exit 1; }
  "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "setup: apt-get install ${missing[*]} failed" >&2; exit 1; }
  echo "setup: installed ${missing[*]}"
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }
[ -f /usr/include/oneapi/dnnl/dnnl.h ] || { echo "setup: oneDNN headers missing (libdnnl-dev)" >&2; exit 1; }
pkg-config --exists ompi-c || { echo "setup: pkg-config cannot find ompi-c (Open MPI, libopenmpi-dev)" >&2; exit 1; }
