#!/usr/bin/env bash
# cairn vs restic (Debian 0.14) vs borg (Debian 1.2.4) on one corpus, in one run on this machine (issue 7).
# Publishes cairn (Native AOT, artifacts/cairn/cairn), builds or reuses the deterministic corpus, then per run and tool: initial backup,
# unchanged re-backup, backup after 5% of the files changed, full restore (checked against the corpus).
# Prints the table of medians, ratios and targets; writes bench/results/<timestamp>-<profile>.json, latest-<profile>.json
# and latest.json.
#
# Usage: bench/run.sh [--profile mixed|tiny-files|million-files] [--size 2G] [--runs 3] [--compression auto|off] [--corpus DIR] [--seed 1]
#                     [--work DIR] [--index-blobs 1000000] [--no-drop-caches]
# See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v restic >/dev/null || need+=(restic)
command -v borg >/dev/null || need+=(borgbackup)
[ -x /usr/bin/time ] || need+=(time)
command -v clang >/dev/null || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench/run.sh: installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "publishing cairn (Native AOT, as installed) and building the harness (Release)..."
out=$(dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o artifacts/cairn -v q -nologo 2>&1) || { echo "$out" | grep -E 'error' | sort -u; exit 1; }
out=$(dotnet build bench/Cairn.Bench -c Release -v q -nologo 2>&1) || { echo "$out" | grep -E 'error' | sort -u; exit 1; }
harness=bench/Cairn.Bench/bin/Release/net10.0/Cairn.Bench
# Without --profile (or --corpus), the default run is two: the mixed corpus, then the tiny-files one (issue 18).
# The million-file profile is its own command: bench/run.sh --profile million-files (docs/performance.md).
if [[ " $* " == *" --profile "* || " $* " == *" --corpus "* ]]; then
  exec "$harness" run --cairn artifacts/cairn/cairn --results bench/results "$@"
fi
"$harness" run --cairn artifacts/cairn/cairn --results bench/results --profile mixed "$@"
exec "$harness" run --cairn artifacts/cairn/cairn --results bench/results --profile tiny-files "$@"
