#!/usr/bin/env bash
# The test command: installs what is missing (Debian packages, Maven artifacts), starts the local Ceph
# cluster, runs every test of every module against it (unit tests, the WildFly ITs of arquillian-tests, the Payara
# Micro ITs of payara-tests), and stops the cluster again if it started it.
# Extra arguments go to Maven, e.g.  scripts/run-tests.sh -pl rar -Dtest=ReclaimTest
# With -pl (--projects) the modules it depends on are built too (-am is added unless given: nothing of this project
# is installed in ~/.m2, so `-pl rar` alone cannot resolve cephfs-jca-api on a fresh clone), and with -Dtest the
# modules that have no such test pass (-Dsurefire.failIfNoSpecifiedTests=false is added).
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
has_pl=0 has_am=0 has_test=0
for a in "$@"; do
  case $a in
    -pl | --projects | -pl?* | --projects=*) has_pl=1 ;;
    -am | --also-make) has_am=1 ;;
    -Dtest=*) has_test=1 ;;
  esac
done
if [[ $has_pl == 1 && $has_am == 0 ]]; then args+=(-am); fi
if [[ $has_test == 1 ]]; then args+=(-Dsurefire.failIfNoSpecifiedTests=false); fi

. scripts/lib/use-cluster.sh
echo "run-tests: cluster ready (CEPH_CONF=$CEPH_CONF)"

start=$(date +%s)
echo "run-tests: mvn -B -ntp verify ${args[*]}"
mvn -B -ntp verify "${args[@]}"
echo "run-tests: all modules passed in $(( $(date +%s) - start )) s"
