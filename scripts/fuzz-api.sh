#!/usr/bin/env bash
# The bad-input sweep through the public API (RandomizedApiTest), far longer than in the suite: random paths and names
# (hostile ones included), sizes, offsets, open options, xattrs, lock modes and timeouts, with closes interleaved,
# seeded and reproducible. It must end with no JVM crash, no hang (every call bounded) and no wrong content.
#
#   scripts/fuzz-api.sh [OPERATIONS] [BASE_SEED]      default 1000000 operations from seed 1000
#
# OPERATIONS are spread over seeds of RANDOM_OPS (default 1000) operations each: seeds BASE_SEED, BASE_SEED+1, ...
# The adapter runs with operationTimeoutSeconds=RANDOM_OPERATION_TIMEOUT (default 10; 0 = off): a call libcephfs never
# returns from (MaxSizeHangTest) is then cut short and counted, instead of failing the run as a hang.
# A failure names its seed and operation; rerun just it with
#   RANDOM_SEEDS=<seed> RANDOM_TRACE=1 scripts/run-tests.sh -pl rar -Dtest=RandomizedApiTest
# Starts the local cluster if none is running (and stops it again at the end), like scripts/run-tests.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

ops=${1:-1000000}
base=${2:-1000}
per=${RANDOM_OPS:-1000}
if ! [[ "$ops" =~ ^[0-9]+$ && "$base" =~ ^[0-9]+$ && "$per" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [OPERATIONS] [BASE_SEED]   (RANDOM_OPS per seed)" >&2
    exit 2
fi
seeds=$(( (ops + per - 1) / per ))

. scripts/lib/use-cluster.sh
echo "fuzz-api: $seeds seeds x $per operations from seed $base (CEPH_CONF=$CEPH_CONF)"
mvn -B -ntp -q -pl rar -am install -DskipTests
start=$(date +%s)
RANDOM_SEED_COUNT=$seeds RANDOM_BASE_SEED=$base RANDOM_OPS=$per \
    mvn -B -ntp -pl rar surefire:test -Dtest=RandomizedApiTest -Dsurefire.failIfNoSpecifiedTests=false
echo "fuzz-api: $(( seeds * per )) operations passed in $(( $(date +%s) - start )) s"
