#!/usr/bin/env bash
# Runs every Cairn test. Installs what the tests need when it is missing (Debian packages),
# starts a throwaway PostgreSQL on loopback for the Space tests and a single-node Ceph RGW for the S3 tests,
# and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
ENVDIR="$ROOT/.test-env"
mkdir -p "$ENVDIR"

# 1. Debian packages the tests drive as real programs.
need=()
command -v restic >/dev/null || need+=(restic)
command -v rclone >/dev/null || need+=(rclone)
command -v borg >/dev/null || need+=(borgbackup)
command -v chromium >/dev/null || need+=(chromium)
command -v setfattr >/dev/null || need+=(attr)
# cairn mount (libfuse3) and fusermount3; fuse3 replaces the old fuse package.
command -v fusermount3 >/dev/null || need+=(fuse3)
[ -x /usr/bin/time ] || need+=(time)
# The cairn the tests run is the Native AOT binary users install; publishing it needs a C toolchain and zlib.
command -v clang >/dev/null || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
command -v curl >/dev/null || need+=(curl)
# The console's in-browser repository reader (src/Cairn.Space/BrowserRestore) is built by esbuild and tested by node.
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
# The cluster tests put haproxy (and, in one test, nginx) in front of three Space replicas.
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
# The ssh cloud driver's test starts its own sshd inside a network namespace and captures the session with tcpdump.
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
[ -x /usr/bin/tcpdump ] || need+=(tcpdump)
# The alert tests deliver e-mail to a real SMTP server on loopback (aiosmtpd).
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
# The S3 backend's tests run against a real Ceph RADOS Gateway (monitor, OSD, gateway and the ceph tools),
# installed without Ceph's recommends (dashboards, mgr modules the tests do not start).
need_ceph=()
for pkg in ceph-mon ceph-osd radosgw ceph-common; do dpkg -s "$pkg" >/dev/null 2>&1 || need_ceph+=("$pkg"); done
PGBIN=""
if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  PGBIN=$(dirname "$(command -v initdb)")
else
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || { need+=(postgresql); PGBIN=""; }
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  # openssh-server's own daemon must not start on this host's port 22: its init script and systemd unit both stay
  # down while this file exists, and the test's sshd (started directly, in a namespace) does not read it.
  if [[ " ${need[*]} " == *" openssh-server "* ]]; then $SUDO mkdir -p /etc/ssh && $SUDO touch /etc/ssh/sshd_not_to_be_run; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "test.sh: apt-get install ${need[*]} failed"; echo "0 passed, 1 failed"; exit 1; }
fi
# Should a daemon have started anyway (an sshd installed before, by systemd's socket), stop and disable it; the test
# never uses the host's sshd.
if [ -x /usr/sbin/sshd ] && [ -f /etc/ssh/sshd_not_to_be_run ] && [ -d /run/systemd/system ]; then
  ${SUDO:-} systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
fi
if [ ${#need_ceph[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_ceph[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  { [ ${#need[@]} -gt 0 ] || $SUDO apt-get update -qq >/dev/null; } \
    && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_ceph[@]}" >/dev/null \
    || { echo "test.sh: apt-get install ${need_ceph[*]} failed"; echo "0 passed, 1 failed"; exit 1; }
fi
if [ -z "$PGBIN" ]; then
  if command -v initdb >/dev/null; then PGBIN=$(dirname "$(command -v initdb)"); else PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
fi

# Restores to local cloud disks run as an unprivileged user (Space:Cloud:RestoreUser, here nobody), which must reach
# the build output it runs from: a checkout under a 0700 folder (such as /root) gets search permission (x only) there.
if [ "$(id -u)" = 0 ]; then
  d="$ROOT"
  while [ "$d" != "/" ]; do
    runuser -u nobody -- test -x "$d" 2>/dev/null || chmod o+x "$d"
    d=$(dirname "$d")
  done
fi

# 2. A throwaway PostgreSQL on loopback (initdb refuses root, so it runs as the postgres user).
PGDATA_DIR="$ENVDIR/pg"
PGPORT=${CAIRN_TEST_PGPORT:-55432}
stop_pg() { [ -f "$PGDATA_DIR/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate stop >/dev/null 2>&1; }
start_pg() {
  stop_pg
  rm -rf "$PGDATA_DIR"; mkdir -p "$PGDATA_DIR"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$ENVDIR" "$PGDATA_DIR"
    AS_PG=(runuser -u postgres --)
  else
    AS_PG=()
  fi
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$ENVDIR/initdb.log" 2>&1 || return 1
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA_DIR -c fsync=off -c max_connections=200" \
    -l "$PGDATA_DIR/server.log" -w start >/dev/null 2>&1 || return 1
}
if start_pg; then
  export CAIRN_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
else
  echo "test.sh: could not start PostgreSQL (see $ENVDIR/initdb.log); PostgreSQL tests will fail"
fi

# 3. A throwaway Ceph RGW (S3) on loopback: about 20 s; under timeout, since a monitor that never forms a quorum
# would make the ceph tools wait forever. Stopped on exit by the PIDs of the daemons started from its folder.
RGW_DIR="$ENVDIR/rgw"
RGW_PORT=${CAIRN_TEST_RGW_PORT:-57480}
RGW_MON_PORT=${CAIRN_TEST_RGW_MON_PORT:-57300}
stop_rgw() { tests/setup/stop-rgw.sh "$RGW_DIR"; }
stop_all() { stop_rgw; stop_pg; }
trap stop_all EXIT
stop_rgw
if timeout 120 tests/setup/start-rgw.sh "$RGW_DIR" "$RGW_PORT" "$RGW_MON_PORT" >"$ENVDIR/rgw.log" 2>&1; then
  export CAIRN_TEST_S3="http://127.0.0.1:$RGW_PORT" CAIRN_TEST_S3_ACCESS_KEY=TESTKEY CAIRN_TEST_S3_SECRET_KEY=TESTSECRET
else
  echo "test.sh: could not start Ceph RGW (see $ENVDIR/rgw.log and $RGW_DIR/log); S3 tests will fail"
fi

# 4. Build once, then run every test project.
# The tools keep their caches here, not in the home folder (cairn and restic both follow XDG_CACHE_HOME).
export XDG_CACHE_HOME="$ENVDIR/cache"
export CAIRN_CHROMIUM=${CAIRN_CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}
LOG="$ENVDIR/test-output.log"
if ! dotnet build Cairn.slnx -c Release -warnaserror >"$ENVDIR/build.log" 2>&1; then
  grep -E "error|Error" "$ENVDIR/build.log" | sort -u | head -40
  echo "0 passed, 1 failed"
  exit 1
fi
# The CLI tests run the published native cairn (what users install), not cairn.dll under the dotnet host.
if ! dotnet publish src/Cairn.Cli -c Release -r linux-x64 -o "$ROOT/artifacts/cairn" >"$ENVDIR/publish.log" 2>&1; then
  grep -E "error|warning" "$ENVDIR/publish.log" | sort -u | head -40
  echo "0 passed, 1 failed"
  exit 1
fi
export CAIRN_TEST_CLI="$ROOT/artifacts/cairn/cairn"
# Each test assembly runs as its own program (in a process group of its own), two at a time (the cores), longest
# first, its output in a file of its own, printed when it ends; no pipe a stray grandchild could hold. An assembly
# still running after its time-out is stopped, with the tests xunit's hang report (5 minutes) names, and fails; one
# that printed its results but has not exited two minutes later is stopped and its results stand, with a warning.
ASSEMBLY_TIMEOUT=${CAIRN_TEST_ASSEMBLY_TIMEOUT:-1200} # seconds
ASSEMBLY_EXIT_GRACE=120
ASSEMBLY_LOGS="$ENVDIR/assemblies"
rm -rf "$ASSEMBLY_LOGS"; mkdir -p "$ASSEMBLY_LOGS"
assemblies=(Cairn.Space.Tests Cairn.Space.Web.Tests Cairn.Cli.Tests Cairn.Space.Cluster.Tests)
for project in $(grep -oE 'tests/[A-Za-z.]+\.Tests/' Cairn.slnx | sort -u); do
  name=$(basename "$project")
  [[ " ${assemblies[*]} " == *" $name "* ]] || assemblies+=("$name")
done
stop_group() { kill -TERM -- "-$1" 2>/dev/null; sleep 10; kill -KILL -- "-$1" 2>/dev/null; }
run_assembly() {
  local name=$1; shift
  local dir="$ROOT/tests/$name/bin/Release/net10.0"
  local exe="$dir/$name" log="$ASSEMBLY_LOGS/$name.log" rc pid waited=0 reported="" outcome=ran
  if [ ! -x "$exe" ]; then echo "failed $name: $exe was not built" >"$log"; echo "  failed: 1" >>"$log"; cat "$log"; return 1; fi
  echo "Running tests from $exe"
  # A background job of a script starts with SIGINT and SIGQUIT ignored, and its programs would inherit that: the
  # tests that interrupt cairn with SIGINT need the default back.
  (cd "$dir" && exec setsid env --default-signal=INT,QUIT "$exe" --no-ansi --long-running 300 --xunit-diagnostics on "$@") >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5; waited=$((waited + 5))
    if [ -z "$reported" ] && grep -q "^Test run summary:" "$log"; then reported=$waited; fi
    if [ -n "$reported" ] && [ $((waited - reported)) -ge "$ASSEMBLY_EXIT_GRACE" ]; then outcome=hung_at_exit; stop_group "$pid"; break; fi
    if [ "$waited" -ge "$ASSEMBLY_TIMEOUT" ]; then outcome=timed_out; stop_group "$pid"; break; fi
  done
  wait "$pid"; rc=$?
  case $outcome in
    timed_out)
      { echo "failed $name: did not finish within $ASSEMBLY_TIMEOUT s and was stopped; the tests still running then:"
        grep -E "^\[Long Running Test\]" "$log" | sed -E "s/, Elapsed.*//" | sort -u | sed "s/^/  /"
        echo "  failed: 1"; } >>"$log"
      rc=1 ;;
    hung_at_exit)
      echo "warning: $name printed its results but had not exited $ASSEMBLY_EXIT_GRACE s later, so it was stopped; its results stand" >>"$log"
      if grep -q "^Test run summary: Passed!" "$log"; then rc=0; elif grep -q "^Test run summary: Zero tests ran" "$log"; then rc=8; else rc=2; fi ;;
  esac
  flock "$ASSEMBLY_LOGS" cat "$log" # one assembly's output at a time
  # 8: no test in this assembly matched the filter given to test.sh.
  [ "$rc" -eq 0 ] || [ "$rc" -eq 8 ]
}
export -f run_assembly stop_group
export ROOT ASSEMBLY_TIMEOUT ASSEMBLY_EXIT_GRACE ASSEMBLY_LOGS
printf '%s\n' "${assemblies[@]}" | xargs -P 2 -I{} bash -c 'run_assembly "$@"' _ {} "$@" >"$LOG" 2>&1 &
runner=$!
tail -n +1 -f --pid="$runner" "$LOG"
wait "$runner"
status=$?
# The browser module's unit tests (node's test runner over esbuild bundles), counted in the closing line.
NODE_LOG="$ENVDIR/node-test-output.log"
(cd src/Cairn.Space/BrowserRestore && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && node build.mjs --tests \
  && node --test --test-reporter=tap out-tests/) >"$NODE_LOG" 2>&1
node_status=$?
grep -E '^# (pass|fail) ' "$NODE_LOG" | tail -n 2
node_passed=$(grep -E '^# pass [0-9]+' "$NODE_LOG" | tail -n 1 | awk '{print $3}')
node_failed=$(grep -E '^# fail [0-9]+' "$NODE_LOG" | tail -n 1 | awk '{print $3}')
node_passed=${node_passed:-0}
node_failed=${node_failed:-0}
if [ "$node_status" -ne 0 ] && [ "$node_failed" -eq 0 ]; then node_failed=1; fi
if [ "$node_status" -ne 0 ] && [ "$status" -eq 0 ]; then status=$node_status; fi

# 5. The failures again, just above the closing line, where a reader of only the tail of this output sees them.
if grep -qE '^failed ' "$LOG"; then
  echo "--- failed tests (first lines of each; the whole output is in $LOG) ---"
  grep -A 14 -E '^failed ' "$LOG" | cut -c1-300 | head -n 150
fi
grep -E '^not ok ' "$NODE_LOG" | head -n 20

# 6. One closing line over all test assemblies.
# (Colour codes, should any assembly print them, are taken off before counting.)
counts=$(sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -E '^\s+(succeeded|failed): [0-9]+')
passed=$(grep -E 'succeeded:' <<<"$counts" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E 'failed:' <<<"$counts" | awk '{s+=$2} END {print s+0}')
passed=$((passed + node_passed))
failed=$((failed + node_failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
