#!/usr/bin/env bash
# The test command: installs what is missing (Debian packages, Maven artifacts), starts the local Ceph
# cluster, runs every test of every module against it (unit tests, the WildFly ITs of arquillian-tests, the Payara
# Micro ITs of payara-tests), and stops the cluster again if it started it.
# Extra arguments go to Maven, e.g.  scripts/run-tests.sh -pl rar -Dtest=ReclaimTest
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/use-cluster.sh
echo "run-tests: cluster ready (CEPH_CONF=$CEPH_CONF)"

start=$(date +%s)
mvn -B -ntp verify "$@"
echo "run-tests: all modules passed in $(( $(date +%s) - start )) s"
