#!/bin/bash
# usage: shared-context-reset-loop.sh N shared|separate ITERATIONS: N sessions held, SIGKILLed, reset; pass/fail count
# needs CEPH_CONF (scripts/ceph-cluster.sh env) and shared-context-reset built next to this script
N=$1; mode=$2; iters=$3; pass=0; fail=0
for it in $(seq 1 $iters); do
  p=stress-$$-$it
  rm -f "${TMPDIR:-/tmp}/sr-hold.out"
  "$(dirname "$0")/shared-context-reset" hold $N $p > "${TMPDIR:-/tmp}/sr-hold.out" 2>&1 &
  h=$!
  for k in $(seq 1 200); do grep -q held "${TMPDIR:-/tmp}/sr-hold.out" && break; sleep 0.1; done
  grep -q held "${TMPDIR:-/tmp}/sr-hold.out" || { echo "hold failed: $(cat "${TMPDIR:-/tmp}/sr-hold.out")"; kill -9 $h; exit 2; }
  sleep 0.3; kill -9 $h; wait $h 2>/dev/null
  if timeout 60 "$(dirname "$0")/shared-context-reset" reset $N $p $mode; then pass=$((pass+1)); else echo "rc=$?"; fail=$((fail+1)); fi
done
echo "mode=$mode N=$N pass=$pass fail=$fail"
