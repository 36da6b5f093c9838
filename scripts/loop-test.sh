#!/usr/bin/env bash
# Runs one test class N times in a row against the local cluster and keeps the log of every failing run.
#   scripts/loop-test.sh N MODULE TESTCLASS [extra mvn args]   e.g.  scripts/loop-test.sh 50 rar AdapterLoadTest
# Logs: target/loop/<TESTCLASS>/run-<i>.log (failing runs only are kept); a summary line per run and at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
n=$1 module=$2 test=$3; shift 3
. scripts/lib/use-cluster.sh
out="target/loop/$test"; mkdir -p "$out"
pass=0 fail=0
for i in $(seq 1 "$n"); do
  log="$out/run-$i.log"
  if mvn -B -ntp -q -o -pl "api,$module" surefire:test -Dtest="$test" -DfailIfNoTests=false -Dsurefire.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1; then
    pass=$((pass+1)); rm -f "$log"; echo "run $i: pass"
  else
    fail=$((fail+1)); seed=$(grep -ho 'load.seed=[0-9-]*' "$log" "$module"/target/surefire-reports/*"$test"*-output.txt 2>/dev/null | head -1)
    cp "$module"/target/surefire-reports/*"$test"* "$out/" 2>/dev/null
    echo "run $i: FAIL ${seed:+($seed) }log kept: $log"
  fi
done
echo "loop: $test: $pass passed, $fail failed"
