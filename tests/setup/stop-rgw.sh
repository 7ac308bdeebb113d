#!/usr/bin/env bash
# Stops the Ceph daemons that start-rgw.sh DIR started: the processes whose command line names DIR/ceph.conf,
# by PID (the OSD and RGW daemonize, so there is no child to wait for), then waits for them to exit.
set -uo pipefail
DIR=${1:?usage: stop-rgw.sh DIR}
[ -d "$DIR" ] || exit 0
CONF="$(cd "$DIR" && pwd)/ceph.conf"
pids=()
for cmdline in /proc/[0-9]*/cmdline; do
  pid=${cmdline#/proc/}; pid=${pid%/cmdline}
  [ "$pid" = "$$" ] && continue
  if { tr '\0' ' ' <"$cmdline"; } 2>/dev/null | grep -qF -- "$CONF"; then pids+=("$pid"); fi
done
[ ${#pids[@]} -eq 0 ] && exit 0
kill "${pids[@]}" 2>/dev/null
for _ in $(seq 1 50); do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && exit 0
  sleep 0.2
done
kill -9 "${alive[@]}" 2>/dev/null
exit 0
