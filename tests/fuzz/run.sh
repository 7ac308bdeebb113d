#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of untrusted bytes (docs/reliability.md, "Fuzzing"): AFL++ (afl-fuzz)
# drives the Cairn.Fuzz harness, whose Cairn assemblies SharpFuzz has instrumented for coverage.
#   tests/fuzz/run.sh [seconds per target] [target ...]      (default 600 s, every target)
# Each crash or hang input is copied to tests/fuzz/regressions/<target>/ (replayed by FuzzRegressionTests in the
# default test run: fix the parser, keep the input). Figures: one JSON line per target on stdout and in
# $CAIRN_FUZZ_RESULTS when set.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PER_TARGET=${1:-600}
shift || true
WORK="$ROOT/.test-env/fuzz"
TOOLS="$ROOT/.test-env/fuzz-tools"
mkdir -p "$WORK"

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz: installing afl++" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq afl++ >/dev/null
fi
if [ ! -x "$TOOLS/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$TOOLS" >/dev/null
fi

# A fresh copy of the harness with the Cairn assemblies instrumented (never the build output itself).
rm -rf "$WORK/bin"
dotnet publish tests/fuzz/Cairn.Fuzz -c Release -o "$WORK/bin" >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log"; exit 1; }
for dll in Cairn.Storage.dll Cairn.Repository.dll Cairn.Space.dll; do
  "$TOOLS/sharpfuzz" "$WORK/bin/$dll" >/dev/null
done

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls tests/fuzz/corpus)
fi

stat_of() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$2" 2>/dev/null | head -n 1; }
for target in "${targets[@]}"; do
  out="$WORK/findings/$target"
  rm -rf "$out"; mkdir -p "$WORK/findings"
  # -V bounds the run; the timeout is a backstop. afl-fuzz cannot see dotnet's instrumentation (SharpFuzz's own
  # forkserver reports coverage), hence the binary check is skipped; no core dumps or CPU pinning on a shared host.
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    timeout --signal=INT $((PER_TARGET + 120)) \
    afl-fuzz -V "$PER_TARGET" -t 5000 -i "tests/fuzz/corpus/$target" -o "$out" -- dotnet "$WORK/bin/Cairn.Fuzz.dll" "$target" \
    >"$WORK/$target.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "fuzz: afl-fuzz did not run $target (see $WORK/$target.log)" >&2
    tail -n 30 "$WORK/$target.log" >&2
    exit 1
  fi
  crashes=0
  for kind in crashes hangs; do
    for input in "$out/default/$kind"/id:*; do
      [ -f "$input" ] || continue
      mkdir -p "tests/fuzz/regressions/$target"
      cp "$input" "tests/fuzz/regressions/$target/$(date -u +%Y%m%d)-$kind-$(sha256sum "$input" | cut -c1-12)"
      crashes=$((crashes + 1))
    done
  done
  line=$(printf '{"scenario":"fuzz","target":"%s","seconds":%s,"executions":%s,"corpus":%s,"coverage":"%s","crashes":%s,"hangs":%s,"newRegressionInputs":%s}' \
    "$target" "$(stat_of run_time "$stats")" "$(stat_of execs_done "$stats")" "$(stat_of corpus_count "$stats")" \
    "$(stat_of bitmap_cvg "$stats")" "$(stat_of saved_crashes "$stats")" "$(stat_of saved_hangs "$stats")" "$crashes")
  echo "$line"
  if [ -n "${CAIRN_FUZZ_RESULTS:-}" ]; then echo "$line" >>"$CAIRN_FUZZ_RESULTS"; fi
done
