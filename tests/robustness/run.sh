#!/usr/bin/env bash
# The long run of the robustness tier (docs/reliability.md): the scenarios of tests/Cairn.Robustness.Tests with the
# counts of issue 12 point 10, then every fuzz target for a bounded time. Figures go to
# tests/robustness/results/<UTC time>.jsonl and, as a table, to tests/robustness/results/latest.md.
#   tests/robustness/run.sh [--kills 50] [--flips 100] [--races 20] [--space-crashes 10] [--fuzz-seconds 600] [--seed N] [--no-build]
# --kills is per operation (backup, forget, prune) per backend (local, REST). --fuzz-seconds 0 skips fuzzing.
# --no-build uses the solution's Release build and artifacts/cairn as they are. --fuzz-parallel fuzzes while the
# scenarios run instead of after them (shorter, on a machine with cores to spare).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
KILLS=50 FLIPS=100 RACES=20 CRASHES=10 FUZZ_SECONDS=600 SEED=${CAIRN_ROBUSTNESS_SEED:-$RANDOM$RANDOM} BUILD=1 FUZZ_PARALLEL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) KILLS=$2; shift 2 ;;
    --flips) FLIPS=$2; shift 2 ;;
    --races) RACES=$2; shift 2 ;;
    --space-crashes) CRASHES=$2; shift 2 ;;
    --fuzz-seconds) FUZZ_SECONDS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --fuzz-parallel) FUZZ_PARALLEL=1; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done

need=()
command -v restic >/dev/null || need+=(restic)
command -v rclone >/dev/null || need+=(rclone)
command -v clang >/dev/null || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
command -v jq >/dev/null || need+=(jq)
if [ "$FUZZ_SECONDS" -gt 0 ]; then command -v afl-fuzz >/dev/null || need+=(afl++); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null || { echo "apt-get install ${need[*]} failed"; exit 1; }
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$ROOT/tests/robustness/results/$STAMP.jsonl"
mkdir -p "$ROOT/.test-env" "$ROOT/tests/robustness/results"
if [ "$BUILD" = 1 ]; then
  dotnet build Cairn.slnx -c Release -warnaserror >"$ROOT/.test-env/robustness-build.log" 2>&1 || { grep -E "error" "$ROOT/.test-env/robustness-build.log" | sort -u | head -20; exit 1; }
  dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o "$ROOT/artifacts/cairn" >"$ROOT/.test-env/robustness-publish.log" 2>&1 || { tail -20 "$ROOT/.test-env/robustness-publish.log"; exit 1; }
fi

started=$(date +%s)
printf '{"scenario":"run","started":"%s","commit":"%s","kills":%s,"flips":%s,"races":%s,"spaceCrashes":%s,"fuzzSecondsPerTarget":%s,"seed":%s}\n' \
  "$STAMP" "$(git rev-parse --short HEAD)" "$KILLS" "$FLIPS" "$RACES" "$CRASHES" "$FUZZ_SECONDS" "$SEED" >"$RESULTS"
fuzz_status=0
if [ "$FUZZ_SECONDS" -gt 0 ] && [ "$FUZZ_PARALLEL" = 1 ]; then
  CAIRN_FUZZ_RESULTS="$RESULTS" tests/fuzz/run.sh "$FUZZ_SECONDS" >"$ROOT/.test-env/robustness-fuzz.log" 2>&1 &
  fuzz_pid=$!
fi
CAIRN_TEST_CLI="$ROOT/artifacts/cairn/cairn" CAIRN_ROBUSTNESS_RESULTS="$RESULTS" CAIRN_ROBUSTNESS_SEED="$SEED" \
CAIRN_ROBUSTNESS_KILLS=$KILLS CAIRN_ROBUSTNESS_FLIPS=$FLIPS CAIRN_ROBUSTNESS_RACES=$RACES CAIRN_ROBUSTNESS_SPACE_CRASHES=$CRASHES \
  dotnet test --project tests/Cairn.Robustness.Tests -c Release --no-build 2>&1 | tee "$ROOT/.test-env/robustness-tests.log"
tests_status=${PIPESTATUS[0]}
if [ "$FUZZ_SECONDS" -gt 0 ] && [ "$FUZZ_PARALLEL" = 1 ]; then
  wait "$fuzz_pid" || fuzz_status=$?
  cat "$ROOT/.test-env/robustness-fuzz.log"
elif [ "$FUZZ_SECONDS" -gt 0 ]; then
  CAIRN_FUZZ_RESULTS="$RESULTS" tests/fuzz/run.sh "$FUZZ_SECONDS" || fuzz_status=$?
fi
printf '{"scenario":"end","seconds":%s,"testsExitCode":%s,"fuzzExitCode":%s}\n' "$(( $(date +%s) - started ))" "$tests_status" "$fuzz_status" >>"$RESULTS"

# The table for docs/reliability.md.
{
  echo "Run $STAMP at $(git rev-parse --short HEAD), seed $SEED, $(( ($(date +%s) - started) / 60 )) minutes; test exit code $tests_status, fuzz exit code $fuzz_status."
  echo
  echo "| scenario | what | figures | failures |"
  echo "|---|---|---|---|"
  jq -r 'select(.scenario == "kill") | "| kill -9 of cairn | \(.backend) | kills: backup \(.kills.backup), forget \(.kills.forget), prune \(.kills.prune) (finished before the kill: \(.finishedBeforeTheKill | to_entries | map("\(.key) \(.value)") | join(", "))); \(.snapshotsRestored) snapshot restores compared | \(.failures) |"' "$RESULTS"
  jq -r 'select(.scenario == "flip") | "| byte flips | \(.flips) flips | found and named: pack \(.foundAndNamed.pack), index \(.foundAndNamed.index), snapshot \(.foundAndNamed.snapshot), key \(.foundAndNamed.key); key label flips harmless: \(.keyLabelFlipsHarmless) | \(.failures) |"' "$RESULTS"
  jq -r 'select(.scenario == "race") | "| backup against prune | \(.races) races | both running at once (the second started before the first ended) in \(.racesBothRunningAtOnce) | \(.failures) |"' "$RESULTS"
  jq -r 'select(.scenario == "space-crash") | "| Space SIGKILL during uploads | \(.crashes) crashes, \(.concurrentClients) restic clients | \(.taskChecks) check --read-data; leftover temp files swept: \(.leftoverTemporaryFilesSwept); client re-runs: \(.clientRerunsAfterGivingUp); usage exact before the reconcile: \(.tasksExactBeforeReconcile)/\(.taskChecks) | \(.failures) |"' "$RESULTS"
  jq -r 'select(.scenario == "fuzz") | "| fuzzing | \(.target) | \(.seconds) s, \(.executions) executions, corpus \(.corpus), coverage \(.coverage) | \(.crashes) crashes, \(.hangs) hangs |"' "$RESULTS"
} >"$ROOT/tests/robustness/results/latest.md"
cat "$ROOT/tests/robustness/results/latest.md"
[ "$tests_status" -eq 0 ] && [ "$fuzz_status" -eq 0 ]
