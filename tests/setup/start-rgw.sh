#!/usr/bin/env bash
# A throwaway single-node Ceph on loopback for the S3 tests: one monitor, one OSD on memstore (RAM, no disk) and
# one RADOS Gateway answering S3 on 127.0.0.1:PORT, with the user TESTKEY / TESTSECRET. Auth between the Ceph
# daemons is off (loopback only), so the messenger must be told to use crc mode. About 20 s.
# Usage: start-rgw.sh DIR PORT [MON_PORT]. Stop it with stop-rgw.sh DIR (every daemon's command line names DIR).
# Start it under `timeout`: a monitor that never forms a quorum makes the ceph commands below wait forever.
set -euo pipefail
DIR=${1:?usage: start-rgw.sh DIR PORT [MON_PORT]}
PORT=${2:?usage: start-rgw.sh DIR PORT [MON_PORT]}
MON_PORT=${3:-3300}
ACCESS_KEY=TESTKEY
SECRET_KEY=TESTSECRET

rm -rf "$DIR"
mkdir -p "$DIR"/{mon,osd,run,log,rgw}
DIR=$(cd "$DIR" && pwd)
CONF="$DIR/ceph.conf"
FSID=$(cat /proc/sys/kernel/random/uuid)
cat >"$CONF" <<CONF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
ms bind msgr1 = false
ms mon client mode = crc
ms client mode = crc
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 5
run dir = $DIR/run
log file = $DIR/log/\$name.log
admin socket = $DIR/run/\$name.asok
keyring = $DIR/keyring
mon data = $DIR/mon/\$cluster-\$id
osd data = $DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 4294967296
osd max object name len = 460
osd max object namespace len = 64
[client.rgw.cairn]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw
CONF

cd "$DIR"
ceph-authtool --create-keyring keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool keyring --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$FSID" monmap >/dev/null
ceph-mon -c "$CONF" -i a --mkfs --monmap monmap --keyring keyring
ceph-mon -c "$CONF" -i a

ceph_cmd() { timeout 30 ceph -c "$CONF" "$@"; }
OSD_ID=$(ceph_cmd osd create)
mkdir -p "$DIR/osd/ceph-$OSD_ID"
ceph-osd -c "$CONF" -i "$OSD_ID" --mkfs --osd-uuid "$(cat /proc/sys/kernel/random/uuid)" 2>/dev/null
ceph_cmd osd crush add-bucket localhost host >/dev/null 2>&1
ceph_cmd osd crush move localhost root=default >/dev/null 2>&1
ceph_cmd osd crush add "osd.$OSD_ID" 1.0 host=localhost >/dev/null 2>&1
ceph-osd -c "$CONF" -i "$OSD_ID" 2>/dev/null
# RGW's own pools, made here with the small PG count (it would make them with the default otherwise).
for pool in default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
  ceph_cmd osd pool create "$pool" 8 8 >/dev/null 2>&1
  ceph_cmd osd pool application enable "$pool" rgw >/dev/null 2>&1
done

timeout 60 radosgw -c "$CONF" -n client.rgw.cairn
for _ in $(seq 1 150); do
  curl -s -m 1 -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.2
done
curl -s -m 2 -o /dev/null "http://127.0.0.1:$PORT/" || { echo "start-rgw.sh: RGW does not answer on port $PORT (see $DIR/log)" >&2; exit 1; }
timeout 60 radosgw-admin -c "$CONF" user create --uid=cairn-test --display-name=cairn-test \
  --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >/dev/null
echo "RGW ready on http://127.0.0.1:$PORT (access key $ACCESS_KEY)"
