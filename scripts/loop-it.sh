#!/usr/bin/env bash
# Runs integration tests of arquillian-tests N times in a row against the local cluster, only in the failsafe
# execution of the suite server (it-server: one server boot a run for all the classes named), and keeps everything of
# every failing run. A flaky test is a bug report: nothing is retried.
#   scripts/loop-it.sh N CLASSES [extra mvn args]    e.g.  scripts/loop-it.sh 20 'CheckoutIT,SignInIT'
# The reactor is built with -am on every run (a plain -pl arquillian-tests would deploy whatever stale rar and war
# ~/.m2 holds); the modules' unit tests are not run. The other executions (it-crash, it-two-servers) are not run:
# they would report the named classes again, as skipped, over the suite server's reports.
# A class passes a run when its report has tests and no failure, error or skip.
# Kept: target/loop-it/run-<i>/ for failing runs only: mvn.log, the failsafe reports, server.log of that run.
# Prints a line a run (with each class's seconds) and the pass count per class at the end.
# The Payara Micro ITs (docs/payara.md): LOOP_IT_MODULE=payara-tests LOOP_IT_EXECUTION=it-payara scripts/loop-it.sh
# N CLASSES -Dit.wildfly.skip=true (their server logs are in payara-tests/target/payara/*/, kept with the reports).
set -uo pipefail
cd "$(dirname "$0")/.."
n=$1 tests=$2; shift 2
. scripts/lib/use-cluster.sh
mod=${LOOP_IT_MODULE:-arquillian-tests}
execution=${LOOP_IT_EXECUTION:-it-server}
reports=$mod/target/failsafe-reports
out=target/loop-it
mkdir -p "$out"
IFS=, read -ra classes <<<"$tests"
declare -A passed
for c in "${classes[@]}"; do passed[$c]=0; done

server_log() { ls "$mod"/target/wildfly-*/standalone/log/server.log 2>/dev/null | head -1; }

# attr FILE NAME: an attribute of the <testsuite> element of a failsafe report
attr() { grep -o "<testsuite [^>]*" "$1" | grep -o " $2=\"[^\"]*\"" | head -1 | cut -d'"' -f2; }

for i in $(seq 1 "$n"); do
  rm -rf "$reports"
  slog=$(server_log)
  mark=0; [ -n "$slog" ] && mark=$(stat -c %s "$slog")
  t0=$SECONDS
  mvn -o -B -ntp -pl "$mod" -am pre-integration-test failsafe:integration-test@"$execution" \
      -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
      -Dit.test="$tests" "$@" >"$out/mvn.log" 2>&1
  rc=$?
  line="" bad=()
  for c in "${classes[@]}"; do
    f=$(ls "$reports"/TEST-*."$c".xml 2>/dev/null | head -1)
    if [ -n "$f" ] && [ "$(attr "$f" tests)" -gt 0 ] && [ "$(attr "$f" failures)" = 0 ] \
        && [ "$(attr "$f" errors)" = 0 ] && [ "$(attr "$f" skipped)" = 0 ]; then
      passed[$c]=$((passed[$c] + 1)); line+=" $c=$(attr "$f" time)s"
    else
      bad+=("$c"); line+=" $c=FAIL"
    fi
  done
  if [ "$rc" = 0 ] && [ ${#bad[@]} = 0 ]; then
    echo "run $i: pass in $((SECONDS - t0)) s:$line"
  else
    keep="$out/run-$i"; mkdir -p "$keep"
    mv "$out/mvn.log" "$keep/"
    cp -r "$reports" "$keep/" 2>/dev/null
    [ -d "$mod/target/payara" ] && cp -r "$mod/target/payara" "$keep/" 2>/dev/null
    slog=$(server_log)
    [ -n "$slog" ] && tail -c +$((mark + 1)) "$slog" >"$keep/server.log"
    echo "run $i: FAIL (mvn exit $rc; failed: ${bad[*]:-none}) in $((SECONDS - t0)) s:$line; kept: $keep"
  fi
done
for c in "${classes[@]}"; do echo "loop: $c: ${passed[$c]} of $n runs passed"; done
