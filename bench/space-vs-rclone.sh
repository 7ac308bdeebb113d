#!/usr/bin/env bash
# restic (Debian 0.14) backing up one corpus to Cairn Space and to `rclone serve restic` on this machine, in one run.
# Each target gets a fresh repository per run; the median wall time of RUNS runs is reported with the ratio.
# Usage: bench/space-vs-rclone.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-1024}
RUNS=${2:-3}
WORK=$(mktemp -d /tmp/cairn-bench.XXXXXX)
OUT=bench/results
mkdir -p "$OUT"
trap 'kill ${SPACE_PID:-} ${RCLONE_PID:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT

for tool in restic rclone curl jq openssl bc; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq restic rclone curl jq openssl bc >/dev/null; break; }
done

# A deterministic corpus: pseudo-random (incompressible) files, text-like files and duplicates.
echo "building a ${SIZE_MIB} MiB corpus..."
CORPUS=$WORK/corpus; mkdir -p "$CORPUS"/{random,text,dup}
stream() { { openssl enc -aes-256-ctr -pass "pass:$1" -nosalt -pbkdf2 </dev/zero 2>/dev/null || true; } | head -c "$2"; }
rand_mib=$((SIZE_MIB * 6 / 10)); text_mib=$((SIZE_MIB * 3 / 10)); dup_mib=$((SIZE_MIB - rand_mib - text_mib))
for i in $(seq 1 $((rand_mib / 16))); do stream "r$i" $((16 << 20)) >"$CORPUS/random/f$i.bin"; done
for i in $(seq 1 $((text_mib / 4))); do stream "t$i" $((3 << 20)) | base64 >"$CORPUS/text/f$i.txt"; done
for i in $(seq 1 $((dup_mib / 16))); do cp "$CORPUS/random/f$i.bin" "$CORPUS/dup/copy$i.bin"; done
ACTUAL=$(du -sb "$CORPUS" | cut -f1)

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
wait_http() { for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "server at $1 did not start"; exit 1; }

# Cairn Space, Release build, its own data folder.
dotnet build src/Cairn.Space -c Release -v q >"$WORK/build.log" 2>&1 || { grep -E "error" "$WORK/build.log" | head; exit 1; }
SPACE_PORT=$(free_port)
CAIRN_SPACE_DATA=$WORK/space dotnet src/Cairn.Space/bin/Release/net10.0/Cairn.Space.dll --urls "http://127.0.0.1:$SPACE_PORT" >"$WORK/space.log" 2>&1 &
SPACE_PID=$!
wait_http "http://127.0.0.1:$SPACE_PORT/healthz"
API=http://127.0.0.1:$SPACE_PORT/api/v1
curl -sf -X POST "$API/accounts" -H 'Content-Type: application/json' -d '{"email":"bench@example.org","password":"bench-password-1"}' >/dev/null
TOKEN=$(curl -sf -X POST "$API/auth/token" -H 'Content-Type: application/json' -d '{"email":"bench@example.org","password":"bench-password-1"}' | jq -r .token)
curl -sf -X POST "$API/instances" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"bench.olares"}' >/dev/null

# rclone's restic REST server.
RCLONE_PORT=$(free_port)
mkdir -p "$WORK/rclone"
rclone serve restic --addr "127.0.0.1:$RCLONE_PORT" "$WORK/rclone" >"$WORK/rclone.log" 2>&1 &
RCLONE_PID=$!
wait_http "http://127.0.0.1:$RCLONE_PORT/"

export RESTIC_PASSWORD=bench
run_backup() { # url
  restic -r "$1" init -q >/dev/null
  local start end
  start=$(date +%s.%N)
  restic -r "$1" backup -q "$CORPUS" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

space_times=(); rclone_times=()
for run in $(seq 1 "$RUNS"); do
  CRED=$(curl -sf -X POST "$API/instances/bench.olares/credentials" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{\"appendOnly\":false,\"task\":\"run$run\"}")
  URL=$(echo "$CRED" | jq -r .repositoryUrl)
  space_times+=("$(run_backup "$URL")")
  rclone_times+=("$(run_backup "rest:http://127.0.0.1:$RCLONE_PORT/run$run/")")
  echo "run $run: space ${space_times[-1]} s, rclone ${rclone_times[-1]} s"
done
S=$(printf '%s\n' "${space_times[@]}" | median)
R=$(printf '%s\n' "${rclone_times[@]}" | median)
RATIO=$(echo "$R / $S" | bc -l)
MIBS_S=$(echo "$ACTUAL / 1048576 / $S" | bc -l); MIBS_R=$(echo "$ACTUAL / 1048576 / $R" | bc -l)
printf '\n%-28s %10s %12s\n' "target (restic $(restic version | cut -d' ' -f2))" "median s" "MiB/s"
printf '%-28s %10.2f %12.1f\n' "Cairn Space" "$S" "$MIBS_S" "rclone serve restic" "$R" "$MIBS_R"
printf 'Space speed / rclone speed: %.2fx (corpus %s bytes, %s runs)\n' "$RATIO" "$ACTUAL" "$RUNS"
jq -n --argjson s "$S" --argjson r "$R" --argjson bytes "$ACTUAL" --argjson runs "$RUNS" \
  --arg spaceRuns "${space_times[*]}" --arg rcloneRuns "${rclone_times[*]}" --arg date "$(date -u +%FT%TZ)" \
  '{date:$date, corpus_bytes:$bytes, runs:$runs, space_median_s:$s, rclone_median_s:$r, space_over_rclone_speed:($r/$s), space_runs:$spaceRuns, rclone_runs:$rcloneRuns}' \
  >"$OUT/space-vs-rclone.json"
echo "wrote $OUT/space-vs-rclone.json"
