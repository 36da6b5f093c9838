#!/usr/bin/env bash
# The bad-input sweep through the example app's HTTP API (arquillian-tests' sweep/HttpSweepIT), far longer than in
# the suite: seeded random requests over valid, refused and malformed names, every method and role, random bodies,
# check-outs, check-ins, breaks, listings and abandoned uploads, each answer checked against a model. It must end
# with no 5xx, no hang (every request bounded at 30 s), no wrong content or listing, and nothing in server.log.
#
#   scripts/fuzz-http.sh [REQUESTS] [SEED]      default 100000 requests from a random seed (printed)
#
# A failure names its seed and request number; rerun it with the same arguments. Starts the local cluster if none is
# running (and stops it again at the end), like scripts/run-tests.sh; builds what the IT deploys.
set -euo pipefail
cd "$(dirname "$0")/.."

ops=${1:-100000}
seed=${2:-$RANDOM$RANDOM}
if ! [[ "$ops" =~ ^[1-9][0-9]*$ && "$seed" =~ ^-?[0-9]+$ ]]; then
  echo "usage: $0 [REQUESTS] [SEED]" >&2
  exit 2
fi
. scripts/lib/use-cluster.sh
echo "fuzz-http: $ops requests, seed $seed"
mvn -B -ntp verify -pl api,rar,example-app,arquillian-tests -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HttpSweepIT -Dit.sweep.ops="$ops" -Dit.sweep.seed="$seed"
