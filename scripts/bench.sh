#!/usr/bin/env bash
# The benchmark command: installs what is missing (Debian packages), starts the local Ceph cluster (or finds it
# running), builds the adapter and the benchmarks module, compiles the C floor program, runs every benchmark in one
# go against the same cluster and prints one report (Markdown; also written to benchmarks/target/bench-results.md).
# See BENCHMARKS.md. Takes about 27 minutes on 2 cores at load ~20 (build included; the server part about 5 of them).
#
# Extra arguments go to the harness (org.cephfsjca.bench.BenchMain), e.g. for a quick look at one part:
#   scripts/bench.sh --parts datapath --impls c,binding --threads 1
#   scripts/bench.sh --parts recovery --recovery-sizes 64 --none-size 0
#   scripts/bench.sh --parts handoff --handoffs 200 --handoff-batch 50   (hand-off latency between two sessions)
#   scripts/bench.sh --parts datapath --impls binding --child-jvm-args "-XX:StartFlightRecording=filename=/tmp/b.jfr"
#   scripts/bench.sh --parts datapath --ceph-option debug_client=0/5 --ceph-option debug_objectcacher=0/5
#       (Ceph options for every implementation alike; the default is the adapter's own: debug logs off. CEPH_ARGS
#        of the form "--name value" is honoured too; the report lists the options each client read back)
#   scripts/bench.sh --parts server     (through WildFly: ServerBench; raw outputs in benchmarks/target/bench-logs)
# The server part provisions one WildFly (wildfly-dist from Maven Central, unpacked into benchmarks/target; its own
# base dir benchmarks/target/bench-server; users by bin/add-user.sh -a; 127.0.0.1, port offset 500 = http 8580,
# management 10490; node bench-srv-<random>), applies configure-example.cli and configure-adapter.cli (takeover off),
# deploys the .rar, the example app and the bench deployment (benchmarks/target/cephfs-jca-bench-server.war), then
# measures: operations timed inside the server (EJB, container-managed factory) against the same loop in Java SE;
# issue 10's listing of 20 checked-out documents; GET/PUT with wrk; issue 11's mixed load; a large upload/download
# with curl against C, the adapter and the app's copy path in SE, in rounds. Its options (defaults of a full run):
#   --server-steps ops,listing,http,load,large  (a subset for a quick look)
#   --server-port-offset 500    --server-heap 512m    --server-jvm-args "..."  (e.g. -XX:StartFlightRecording=...)
#   --server-ops stat,read4k,create,lock  --server-ops-reps 3  --server-ops-ms 300  --server-ops-warmup-ms 300
#   --server-docs 20  --server-listings 20
#   --server-wrk-sizes 4k,1m  --server-wrk-connections 1,8,32  --server-wrk-seconds 3  --server-wrk-reps 2
#   --server-load-connections 32  --server-load-seconds 30
#   --server-large-mib 1024  (0: no large I/O)  --server-large-reps 5  --server-large-transfers c,app,adapter,app-path
# Environment: KEEP_CLUSTER=1 keeps a cluster this script started (it is stopped otherwise);
#              BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/use-cluster.sh
echo "bench: cluster ready (CEPH_CONF=$CEPH_CONF); $(uptime)" >&2

if ! command -v cc >/dev/null 2>&1; then
  # the C floor program needs a compiler (libcephfs-dev, from install-deps.sh, has the headers)
  SUDO=(); [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y gcc libc6-dev
fi

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  # the reactor builds api and rar too, so the benchmark always measures this tree's adapter (nothing is installed);
  # example-app: the server part deploys it
  mvn -B -ntp -q package -pl example-app,benchmarks -am -DskipTests
  cc -O2 -Wall -D_FILE_OFFSET_BITS=64 -pthread -o benchmarks/target/cephbench \
     benchmarks/src/main/c/cephbench.c -lcephfs
fi

for tool in curl wrk; do # the server part's HTTP clients (wrk: install-deps.sh)
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing (scripts/install-deps.sh installs wrk)" >&2; exit 1; }
done

JNI_JAR=/usr/share/java/libcephfs.jar
java -Xms512m -Xmx512m -Djava.library.path=/usr/lib/jni \
  -cp "benchmarks/target/cephfs-jca-benchmarks.jar:benchmarks/target/lib/*:$JNI_JAR" \
  org.cephfsjca.bench.BenchMain --cbench benchmarks/target/cephbench \
  --out benchmarks/target/bench-results.md --log-dir benchmarks/target/bench-logs "$@"
