#!/usr/bin/env bash
# restic (Debian 0.14) backing up and restoring one corpus through haproxy to Cairn Space on Ceph RGW, with three
# replicas and with one, against restic through `rclone serve restic` (Debian rclone 1.60) on the same RGW, in one run.
# Starts its own PostgreSQL, RGW (tests/setup/start-rgw.sh), Space replicas and haproxy (deploy/haproxy/cairn-space.cfg),
# all on free loopback ports in a temp folder. Per target and run: a fresh repository, backup, restore (checked
# against the corpus), then the run's objects are removed and RGW's garbage collected (RGW keeps data in RAM here).
# Reports medians of RUNS: backup and restore MiB/s, and the server's CPU seconds per GB (user + system, from
# /proc/PID/stat of every Space replica, or of rclone), for backup and restore together, and haproxy's beside it.
# Usage: bench/cluster.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE_MIB=${1:-1024}
RUNS=${2:-3}
WORK=$(mktemp -d /tmp/cairn-cluster-bench.XXXXXX)
chmod 755 "$WORK"
OUT=bench/results
mkdir -p "$OUT"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/pg/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1
  tests/setup/stop-rgw.sh "$WORK/rgw" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in restic rclone curl jq openssl bc haproxy; do
  command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { apt-get update -qq && apt-get install -y -qq restic rclone curl jq openssl bc haproxy >/dev/null; break; }
done
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1"; exit 1; }
wait_listening() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "nothing listens at $1"; exit 1; } # any status
cpu_ticks() { local t=0; for pid in "$@"; do t=$((t + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat"))); done; echo $t; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

# The corpus: as bench/space-vs-rclone.sh (60% pseudo-random, 30% base64 text, 10% duplicates).
echo "building a ${SIZE_MIB} MiB corpus..."
CORPUS=$WORK/corpus; mkdir -p "$CORPUS"/{random,text,dup}
stream() { { openssl enc -aes-256-ctr -pass "pass:$1" -nosalt -pbkdf2 </dev/zero 2>/dev/null || true; } | head -c "$2"; }
rand_mib=$((SIZE_MIB * 6 / 10)); text_mib=$((SIZE_MIB * 3 / 10)); dup_mib=$((SIZE_MIB - rand_mib - text_mib))
for i in $(seq 1 $((rand_mib / 16))); do stream "r$i" $((16 << 20)) >"$CORPUS/random/f$i.bin"; done
for i in $(seq 1 $((text_mib / 4))); do stream "t$i" $((3 << 20)) | base64 >"$CORPUS/text/f$i.txt"; done
for i in $(seq 1 $((dup_mib / 16))); do cp "$CORPUS/random/f$i.bin" "$CORPUS/dup/copy$i.bin"; done
ACTUAL=$(du -sb "$CORPUS" | cut -f1)

# PostgreSQL and RGW of the run's own.
mkdir -p "$WORK/pg"; chown postgres "$WORK/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1
PG_PORT=$(free_port)
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg -c fsync=off -c max_connections=200" -l "$WORK/pg/server.log" -w start >/dev/null
RGW_PORT=$(free_port); MON_PORT=$(free_port)
timeout 120 tests/setup/start-rgw.sh "$WORK/rgw" "$RGW_PORT" "$MON_PORT" >"$WORK/rgw.log" 2>&1 || { cat "$WORK/rgw.log"; exit 1; }
export AWS_ACCESS_KEY_ID=TESTKEY AWS_SECRET_ACCESS_KEY=TESTSECRET
S3=http://127.0.0.1:$RGW_PORT
# rclone's S3 remote from the environment (`:s3:bucket/path`), used by rclone serve and to make and empty buckets.
unset AWS_CA_BUNDLE # the endpoint is plain http; rclone refuses a custom CA bundle on its own transport
export RCLONE_S3_PROVIDER=Ceph RCLONE_S3_ENDPOINT=$S3 RCLONE_S3_ACCESS_KEY_ID=TESTKEY RCLONE_S3_SECRET_ACCESS_KEY=TESTSECRET RCLONE_S3_ENV_AUTH=false
rclone mkdir :s3:space-bench; rclone mkdir :s3:rclone-bench
forget_objects() { # remote path: delete it and let RGW give the memory back now (memstore)
  rclone purge ":s3:$1" >/dev/null 2>&1 || true
  timeout 120 radosgw-admin -c "$WORK/rgw/ceph.conf" gc process --include-all >/dev/null 2>&1 || true
}

echo "publishing Space (Release, ReadyToRun, as docs/operations.md deploys it)..."
dotnet publish src/Cairn.Space -c Release -r linux-x64 --self-contained false -o "$WORK/space-app" -v q -nologo >"$WORK/build.log" 2>&1 \
  || { grep -E "error" "$WORK/build.log" | head; exit 1; }
SPACE_DLL=$WORK/space-app/Cairn.Space.dll
LB_PORT=$(free_port)
REPLICA_PIDS=(); REPLICA_PORT=""; HAPROXY_PID=""
start_space() { # N replicas behind haproxy, on one database and one bucket
  local n=$1 servers="" i port
  REPLICA_PIDS=()
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    mkdir -p "$WORK/space$i"
    ConnectionStrings__Space="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=cairn_bench" \
    Space__DataPath="$WORK/space$i" Space__Cluster__ReplicaId="space$i" Space__PublicUrl="http://127.0.0.1:$LB_PORT" Space__KnownProxies=127.0.0.1 \
    Space__Storage__Kind=s3 Space__Storage__S3__Endpoint="$S3" Space__Storage__S3__Bucket=space-bench Space__Storage__S3__Prefix=space \
      dotnet exec "$SPACE_DLL" --urls "http://127.0.0.1:$port" --contentRoot "$WORK/space-app" >"$WORK/space$i.log" 2>&1 &
    REPLICA_PIDS+=($!); PIDS+=($!); REPLICA_PORT=$port
    wait_http "http://127.0.0.1:$port/healthz/ready"
    servers+="    server space$i 127.0.0.1:$port"$'\n'
  done
  # The sample configuration with this run's addresses, as the cluster tests write it.
  BIND="    bind 127.0.0.1:$LB_PORT" SERVERS="$servers" awk '
    /^[[:space:]]*bind / { print ENVIRON["BIND"]; next }
    /^[[:space:]]*server space[0-9]+ / { if (!done) { printf "%s", ENVIRON["SERVERS"]; done = 1 } next }
    { print }' deploy/haproxy/cairn-space.cfg >"$WORK/haproxy.cfg"
  /usr/sbin/haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
  HAPROXY_PID=$!; PIDS+=($!)
  wait_http "http://127.0.0.1:$LB_PORT/healthz/ready"
  sleep 3 # every server passes its first checks (rise 2, inter 1s)
}
stop_space() { kill "${REPLICA_PIDS[@]}" "$HAPROXY_PID" 2>/dev/null || true; wait "${REPLICA_PIDS[@]}" "$HAPROXY_PID" 2>/dev/null || true; }

API=http://127.0.0.1:$LB_PORT/api/v1
space_account() {
  curl -sf -X POST "$API/accounts" -H 'Content-Type: application/json' -d '{"email":"bench@example.org","password":"bench-password-1"}' >/dev/null || true
  TOKEN=$(curl -sf -X POST "$API/auth/token" -H 'Content-Type: application/json' -d '{"email":"bench@example.org","password":"bench-password-1"}' | jq -r .token)
  curl -s -X POST "$API/instances" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"bench.olares"}' >/dev/null
}
space_url() { # task
  curl -sf -X POST "$API/instances/bench.olares/credentials" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"appendOnly\":false,\"task\":\"$1\"}" | jq -r .repositoryUrl
}

export RESTIC_PASSWORD=bench
RESULTS=$WORK/results.tsv; : >"$RESULTS"
measure() { # target url pids...
  local target=$1 url=$2; shift 2
  restic -r "$url" init -q >/dev/null
  local c0 t0 t1 t2 c2 p0 p2
  c0=$(cpu_ticks "$@"); p0=$(cpu_ticks ${PROXY_PID:-}); t0=$(now)
  restic -r "$url" --no-cache backup -q "$CORPUS" >/dev/null
  t1=$(now)
  rm -rf "$WORK/restore"
  restic -r "$url" --no-cache restore -q latest --target "$WORK/restore" >/dev/null
  t2=$(now); c2=$(cpu_ticks "$@"); p2=$(cpu_ticks ${PROXY_PID:-})
  diff -rq "$CORPUS" "$WORK/restore$CORPUS" >/dev/null || { echo "$target: the restore differs from the corpus"; exit 1; }
  rm -rf "$WORK/restore"
  local backup restore cpu proxy
  backup=$(echo "$ACTUAL / 1048576 / ($t1 - $t0)" | bc -l); restore=$(echo "$ACTUAL / 1048576 / ($t2 - $t1)" | bc -l)
  cpu=$(echo "($c2 - $c0) / 100 / ($ACTUAL / 1000000000)" | bc -l); proxy=$(echo "($p2 - $p0) / 100 / ($ACTUAL / 1000000000)" | bc -l)
  printf '%s\t%.1f\t%.1f\t%.2f\t%.2f\n' "$target" "$backup" "$restore" "$cpu" "$proxy" | tee -a "$RESULTS"
}

# Servers are measured warm, as a long-running service is: one untimed backup and restore of a small part of the
# corpus first, against every target alike (Space's replicas otherwise spend the first runs compiling their code).
WARM=$WORK/warm; mkdir -p "$WARM"; cp "$CORPUS"/random/f[1-4].bin "$CORPUS"/text/f1.txt "$WARM"/ # about 68 MiB
warm_up() { # url
  restic -r "$1" init -q >/dev/null
  restic -r "$1" --no-cache backup -q "$WARM" >/dev/null
  restic -r "$1" --no-cache restore -q latest --target "$WORK/warm-restore" >/dev/null
  rm -rf "$WORK/warm-restore"
}

for n in 3 1; do
  start_space "$n"; space_account
  for _ in $(seq 1 "$n"); do warm_up "$(space_url "warm$n-$RANDOM")"; done # each replica gets some of it behind round-robin
  forget_objects "space-bench/space"
  for run in $(seq 1 "$RUNS"); do
    PROXY_PID=$HAPROXY_PID measure "Space, $n replica(s)" "$(space_url "r$n-$run")" "${REPLICA_PIDS[@]}"
    forget_objects "space-bench/space" # Space keeps tasks under ids ({instance id}/{task id}): the whole prefix goes
  done
  if [ "$n" = 1 ]; then # what the proxy costs: the same replica with restic talking to it directly
    for run in $(seq 1 "$RUNS"); do
      measure "Space, 1 replica, direct" "$(space_url "d1-$run" | sed "s/:$LB_PORT\//:$REPLICA_PORT\//")" "${REPLICA_PIDS[@]}"
      forget_objects "space-bench/space"
    done
  fi
  stop_space
done

RCLONE_PORT=$(free_port)
rclone serve restic --addr "127.0.0.1:$RCLONE_PORT" :s3:rclone-bench >"$WORK/rclone.log" 2>&1 &
RCLONE_PID=$!; PIDS+=($!)
wait_listening "http://127.0.0.1:$RCLONE_PORT/"
warm_up "rest:http://127.0.0.1:$RCLONE_PORT/warm/"
forget_objects "rclone-bench/warm"
for run in $(seq 1 "$RUNS"); do
  measure "rclone serve restic" "rest:http://127.0.0.1:$RCLONE_PORT/run$run/" "$RCLONE_PID"
  forget_objects "rclone-bench/run$run"
done

printf '\n%-24s %14s %15s %18s %17s\n' "target (medians of $RUNS)" "backup MiB/s" "restore MiB/s" "server CPU s/GB" "proxy CPU s/GB"
json="[]"
for target in "Space, 3 replica(s)" "Space, 1 replica(s)" "Space, 1 replica, direct" "rclone serve restic"; do
  b=$(awk -F'\t' -v t="$target" '$1 == t {print $2}' "$RESULTS" | median)
  r=$(awk -F'\t' -v t="$target" '$1 == t {print $3}' "$RESULTS" | median)
  c=$(awk -F'\t' -v t="$target" '$1 == t {print $4}' "$RESULTS" | median)
  p=$(awk -F'\t' -v t="$target" '$1 == t {print $5}' "$RESULTS" | median)
  printf '%-24s %14.1f %15.1f %18.2f %17.2f\n' "$target" "$b" "$r" "$c" "$p"
  json=$(jq --arg t "$target" --argjson b "$b" --argjson r "$r" --argjson c "$c" --argjson p "$p" \
    '. + [{target:$t, backup_mib_s:$b, restore_mib_s:$r, server_cpu_s_per_gb:$c, proxy_cpu_s_per_gb:$p}]' <<<"$json")
done
jq -n --argjson rows "$json" --argjson bytes "$ACTUAL" --argjson runs "$RUNS" --arg date "$(date -u +%FT%TZ)" \
  --arg commit "$(git rev-parse --short HEAD)" '{date:$date, commit:$commit, corpus_bytes:$bytes, runs:$runs, rows:$rows}' >"$OUT/cluster.json"
echo "wrote $OUT/cluster.json (corpus $ACTUAL bytes)"
