#!/usr/bin/env bash
# Microbenchmarks of the hot primitives (BenchmarkDotNet, short in-process jobs, about 3 minutes), each printed beside
# this machine's limit for it (openssl speed / openssl mac, zstd -b, memcpy, a plain Dictionary), measured in the
# same run. Writes bench/results/micro-latest.json and micro-latest.md. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v zstd >/dev/null && command -v openssl >/dev/null || {
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq zstd openssl >/dev/null
}
out=$(dotnet build bench/Cairn.Microbench -c Release -v q -nologo 2>&1) || { echo "$out" | grep -E 'error' | sort -u; exit 1; }
exec dotnet bench/Cairn.Microbench/bin/Release/net10.0/Cairn.Microbench.dll bench/results
