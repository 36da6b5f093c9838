#!/usr/bin/env bash
# The test command: installs what is missing (Debian packages, Maven artifacts), starts the local Ceph
# cluster, runs every test of every module against it, and stops the cluster again if it started it.
# Extra arguments go to Maven, e.g.  scripts/run-tests.sh -pl rar -Dtest=ReclaimTest
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

started_here=0
if ! scripts/ceph-cluster.sh status >/dev/null 2>&1; then
  started_here=1
fi
stop_cluster() {
  if [ "$started_here" = 1 ] && [ -z "${KEEP_CLUSTER:-}" ]; then
    scripts/ceph-cluster.sh stop || true
  fi
}
trap stop_cluster EXIT

scripts/ceph-cluster.sh start >/dev/null
eval "$(scripts/ceph-cluster.sh env)"
echo "run-tests: cluster ready (CEPH_CONF=$CEPH_CONF)"

start=$(date +%s)
mvn -B -ntp verify "$@"
echo "run-tests: all modules passed in $(( $(date +%s) - start )) s"
