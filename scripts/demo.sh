#!/usr/bin/env bash
# The crash-and-recovery demo on WildFly: everything from a fresh Debian 12 machine to a running server.
#
#   scripts/demo.sh [start] [-v]  install what is missing, start the local Ceph cluster, build, provision WildFly
#                              under $DEMO_DIR, configure the adapter (rar/src/main/cli/configure-adapter.cli),
#                              deploy rar + example app, then play the crash story and leave the server running.
#                              Quiet by default: what apt, Maven and the cluster script print goes to $DEMO_DIR/demo.log
#                              (shown, its end, when a step fails); -v (or DEMO_VERBOSE=1) prints it as it comes
#   scripts/demo.sh stop       stop the demo's WildFly and the local Ceph cluster (the cluster keeps its data in
#                              memory: stopping it discards every document)
#   scripts/demo.sh stop-server   stop only the demo's WildFly
#   scripts/demo.sh status     is the demo server running, and the app's /api/status
#
# The crash story: a document is checked out by user alice (the app holds the exclusive CephFS lock of the
# document's lock file, outside the pool, on the session of node "demo"),
# the server JVM is killed with SIGKILL, an independent Ceph client finds the lock still held by the dead session,
# the restart runs the pre-start reset (scripts/prestart-reset.sh, as a service's ExecStartPre would), which resets the
# dead sessions, then starts the server (the persisted configuration brings the adapter back at boot, and its start
# finds nothing left to reset); the independent client gets the lock; the data is checked.
#
# The documents: the demo uses the running local cluster as it finds it (the documents already there are kept; the
# demo's own, demo/contract.txt, is overwritten). When no cluster runs, scripts/ceph-cluster.sh creates a new, empty
# one: its OSD keeps data in memory (memstore), so the documents of a cluster that was stopped are gone already, and
# a cluster that runs but is broken (its MDS not active within 120 s) is wiped and created anew. The demo says which.
#
# Everything listens on 127.0.0.1 only: http 8080, management 9990 (+ DEMO_PORT_OFFSET).
# Environment: DEMO_DIR (default /tmp/cephfs-jca/demo: outside the source tree, like the cluster, so that a
#              `mvn clean` cannot wipe a running server), DEMO_NODE_ID (default demo), DEMO_PORT_OFFSET (default 0),
#              DEMO_HEAP (default 512m), DEMO_PRESTART=0 (restart without the pre-start reset: the adapter's
#              start in WildFly's boot resets the sessions, as before), DEMO_SKIP_BUILD=1 (reuse what mvn built before), DEMO_VERBOSE=1 (as -v).
#              The cluster script's own (CEPH_JCA_DIR, CEPH_JCA_MON_PORT, ...: scripts/ceph-cluster.sh) pass through.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO_DIR=${DEMO_DIR:-/tmp/cephfs-jca/demo}
DEMO_DIR=${DEMO_DIR%/}
case "$DEMO_DIR" in
    "" | / | /tmp | /tmp/cephfs-jca | /tmp/cephfs-jca/cluster | "$ROOT" | /work | /home | /root | /usr | /var | /etc)
        echo "demo: refusing to use '$DEMO_DIR' as the demo dir (it is wiped on start)" >&2; exit 2 ;;
esac
NODE_ID=${DEMO_NODE_ID:-demo}
OFFSET=${DEMO_PORT_OFFSET:-0}
HEAP=${DEMO_HEAP:-512m}
PRESTART=${DEMO_PRESTART:-1}
HTTP_PORT=$((8080 + OFFSET))
MGMT_PORT=$((9990 + OFFSET))
WILDFLY_VERSION=$(sed -n 's:.*<version.wildfly>\(.*\)</version.wildfly>.*:\1:p' pom.xml | head -1)
PROJECT_VERSION=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
JBOSS_HOME=$DEMO_DIR/wildfly-$WILDFLY_VERSION
PIDFILE=$DEMO_DIR/wildfly.pid
SERVER_OUT=$DEMO_DIR/server.out
API=http://127.0.0.1:$HTTP_PORT/cephfs-jca-example/api
RAR_NAME=cephfs-jca.rar
WAR_NAME=cephfs-jca-example.war
DEMO_LOG=$DEMO_DIR/demo.log
VERBOSE=${DEMO_VERBOSE:-}
DOC=demo/contract.txt
CEPH_PATH=/documents/$DOC
# check-outs lock the document's lock file, never the document (docs/example-app.md)
LOCK_PATH=/documents/.locks/$(printf '%s' "$DOC" | sha256sum | cut -d' ' -f1).lock
# the app's users (bin/add-user.sh -a; the groups are the roles): user:password:role
DEMO_USERS=("alice:Alice-demo-1!:editor" "bob:Bob-demo-1!:reader" "carol:Carol-demo-1!:admin")
AS_EDITOR=(-u 'alice:Alice-demo-1!')

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }

# quiet COMMAND...: runs it with its output appended to $DEMO_LOG (printed as it comes with -v); on failure shows the
# log's last lines and stops the demo
quiet() {
    local rc=0
    printf '\n$ %s\n' "$*" >>"$DEMO_LOG"
    if [[ -n $VERBOSE ]]; then
        "$@" 2>&1 | no_ansi | tee -a "$DEMO_LOG" || rc=${PIPESTATUS[0]}
    else
        "$@" 2>&1 | no_ansi >>"$DEMO_LOG" || rc=${PIPESTATUS[0]}
    fi
    [[ $rc -eq 0 ]] && return 0
    [[ -n $VERBOSE ]] || tail -40 "$DEMO_LOG" >&2
    die "'$*' failed (its output: $DEMO_LOG)"
}
# drops ANSI escape sequences (Maven 3.8 prints colour resets even in batch mode with style.color=never)
no_ansi() { sed -u $'s/\x1b\\[[0-9;?]*[A-Za-z]//g'; }
MVN=(mvn -B -ntp -Dstyle.color=never)
now_ms() { date +%s%3N; }

SUDO=()
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi

# JDK 17, Maven, curl: the rest (Ceph) is scripts/install-deps.sh's job
install_tools() {
    local missing=()
    command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v unzip >/dev/null 2>&1 || missing+=(unzip)
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "installing ${missing[*]}"
        quiet "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        quiet "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
}

server_pid() {
    [[ -f $PIDFILE ]] || return 1
    local pid
    pid=$(cat "$PIDFILE")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

cli() { "$JBOSS_HOME/bin/jboss-cli.sh" -c --controller="remote+http://127.0.0.1:$MGMT_PORT" "$@"; }

# starts WildFly in the background (127.0.0.1 only); waits until it is up; prints its boot time in ms
start_server() {
    : > "$SERVER_OUT"
    rm -f "$PIDFILE"
    local t0
    t0=$(now_ms)
    (
        cd "$JBOSS_HOME"
        export JBOSS_PIDFILE=$PIDFILE LAUNCH_JBOSS_IN_BACKGROUND=1
        export JAVA_OPTS="-Xms64m -Xmx$HEAP -Djava.net.preferIPv4Stack=true"
        nohup bin/standalone.sh -b 127.0.0.1 -bmanagement 127.0.0.1 -Djboss.node.name="$NODE_ID" \
            -Djboss.socket.binding.port-offset="$OFFSET" >>"$SERVER_OUT" 2>&1 &
    )
    local i
    for ((i = 0; i < 600; i++)); do
        if grep -q 'WFLYSRV0025\|WFLYSRV0026' "$JBOSS_HOME/standalone/log/server.log" 2>/dev/null &&
           [[ $(stat -c %Y "$JBOSS_HOME/standalone/log/server.log") -ge $((t0 / 1000)) ]] &&
           curl -sf -m 2 "http://127.0.0.1:$MGMT_PORT/health/ready" >/dev/null 2>&1; then
            echo $(($(now_ms) - t0))
            return 0
        fi
        if [[ -f $PIDFILE ]] && ! server_pid >/dev/null; then
            tail -30 "$SERVER_OUT" >&2
            die "WildFly exited during start (see $SERVER_OUT)"
        fi
        sleep 0.1
    done
    die "WildFly did not start within 60 s (see $SERVER_OUT)"
}

stop_server() {
    local pid
    if pid=$(server_pid); then
        say "stopping WildFly (pid $pid)"
        cli --command=":shutdown" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$PIDFILE"
    else
        say "the demo WildFly is not running"
    fi
}

json() { # json FIELD-PATH < json   (python3 is part of Debian's base system)
    python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v=v[int(k)] if isinstance(v,list) else v[k]
print(v)' "$1"
}

probe() { # the independent Ceph client (the project's binding, org.cephfsjca.libcephfs.CephMount)
    java -cp "$DEMO_DIR/probe:$DEMO_DIR/rar-libs/*" org.cephfsjca.it.DemoProbe "$@"
}

start() {
    local t_all
    t_all=$(now_ms)
    if pid=$(server_pid); then
        say "a demo server is still running (pid $pid): stopping it first"
        stop_server
    fi
    rm -rf "$DEMO_DIR"
    mkdir -p "$DEMO_DIR/rar-libs"
    : > "$DEMO_LOG"
    say "the output of apt, Maven and the cluster script: $DEMO_LOG${VERBOSE:+ (and here: -v)}"
    step "1. Debian packages (JDK 17, Maven, Ceph: scripts/install-deps.sh)"
    install_tools
    quiet scripts/install-deps.sh
    say "ok"

    step "2. the local Ceph cluster (scripts/ceph-cluster.sh start)"
    local was_running=0 mark
    scripts/ceph-cluster.sh status >/dev/null 2>&1 && was_running=1
    mark=$(wc -l <"$DEMO_LOG")
    quiet scripts/ceph-cluster.sh start
    eval "$(scripts/ceph-cluster.sh env)"
    say "running: CEPH_CONF=$CEPH_CONF, file system $CEPH_FS_NAME, monitors $CEPH_MON_HOST"
    if [[ $was_running == 1 ]] && tail -n +"$((mark + 1))" "$DEMO_LOG" | grep -q 'wiping\|recreating'; then
        say "          a new, empty cluster: the one running was not usable and was wiped (its documents are lost)"
    elif [[ $was_running == 1 ]]; then
        say "          the cluster that was running: its documents are kept (the demo overwrites only $DOC)"
    else
        say "          a new, empty cluster (no cluster was running; a stopped one keeps no documents: memstore)"
    fi

    step "3. build (mvn -DskipTests package)"
    if [[ -z ${DEMO_SKIP_BUILD:-} ]]; then
        local t0
        t0=$(now_ms)
        quiet "${MVN[@]}" -DskipTests package
        say "built in $(( ($(now_ms) - t0) / 1000 )) s: rar/target/cephfs-jca-rar-$PROJECT_VERSION.rar," \
            "example-app/target/cephfs-jca-example.war"
    fi
    [[ -f rar/target/cephfs-jca-rar-$PROJECT_VERSION.rar ]] || die "no rar built"
    [[ -f example-app/target/cephfs-jca-example.war ]] || die "no war built"

    local dist=arquillian-tests/target/wildfly-$WILDFLY_VERSION how
    [[ -d $dist ]] || die "$dist is missing (the arquillian-tests module provisions it in the package phase)"
    if [[ -f $dist/standalone/configuration/standalone-full.xml ]]; then
        how="the full distribution org.wildfly:wildfly-dist (-Dwildfly.provisioning=dist)"
    else
        how="provisioned from the Galleon feature pack with the layers of arquillian-tests/pom.xml"
    fi
    step "4. WildFly $WILDFLY_VERSION ($how)"
    cp -a "$dist" "$JBOSS_HOME"
    cp "rar/target/cephfs-jca-rar-$PROJECT_VERSION.rar" "$DEMO_DIR/$RAR_NAME"
    cp example-app/target/cephfs-jca-example.war "$DEMO_DIR/$WAR_NAME"
    unzip -q -o "$DEMO_DIR/$RAR_NAME" '*.jar' -d "$DEMO_DIR/rar-libs"
    # no users but the demo's (the test suite adds its own to the distribution it unpacked)
    local f
    for f in application-users.properties application-roles.properties; do
        sed -i '/^[^#]/d' "$JBOSS_HOME/standalone/configuration/$f"
    done
    local u
    for u in "${DEMO_USERS[@]}"; do
        IFS=: read -r name pw role <<<"$u"
        "$JBOSS_HOME/bin/add-user.sh" -a -u "$name" -p "$pw" -g "$role" >/dev/null
    done
    say "users (bin/add-user.sh -a): ${DEMO_USERS[*]}"
    mkdir -p "$DEMO_DIR/probe/org/cephfsjca/it"
    cp arquillian-tests/target/test-classes/org/cephfsjca/it/DemoProbe*.class "$DEMO_DIR/probe/org/cephfsjca/it/" ||
        die "DemoProbe was not compiled (arquillian-tests test classes)"
    say "fresh copy at $JBOSS_HOME ($(du -sm "$JBOSS_HOME" | cut -f1) MiB)"

    step "5. start WildFly on 127.0.0.1 (http $HTTP_PORT, management $MGMT_PORT), node name $NODE_ID"
    local boot
    boot=$(start_server)
    say "started in $boot ms (pid $(server_pid))"

    step "6. configure and deploy"
    local t0 t1 t2
    t0=$(now_ms)
    cli --file=example-app/src/main/cli/configure-example.cli --resolve-parameter-values >/dev/null
    for _ in $(seq 300); do curl -sf -m 2 "http://127.0.0.1:$MGMT_PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
    say "example app's server settings (max-post-size, decode-url) applied, server reloaded: $(( $(now_ms) - t0 )) ms"
    t0=$(now_ms)
    cli --command="deploy $DEMO_DIR/$RAR_NAME --name=$RAR_NAME" >/dev/null
    t1=$(now_ms)
    cli --file=rar/src/main/cli/configure-adapter.cli --resolve-parameter-values \
        -Dceph.conf="$CEPH_CONF" -Dceph.fs.name="$CEPH_FS_NAME" -Dceph.node.id="$NODE_ID" >/dev/null
    t2=$(now_ms)
    cli --command="deploy $DEMO_DIR/$WAR_NAME --name=$WAR_NAME" >/dev/null
    say "rar deployed in $((t1 - t0)) ms; configure-adapter.cli (defines and starts the adapter) $((t2 - t1)) ms;" \
        "app deployed in $(( $(now_ms) - t2 )) ms"
    say "$(curl -sf "${AS_EDITOR[@]}" "$API/status" | json recovery.summary)"

    step "7. the crash story"
    local content sha put co pid sessions
    content="Contract $(date -Is)
Checked out by the demo on node $NODE_ID; this text must survive a SIGKILL of the server.
$(head -c 3000 /dev/urandom | base64)"
    put=$(printf '%s' "$content" | curl -sf "${AS_EDITOR[@]}" -X PUT --data-binary @- "$API/documents/$DOC")
    sha=$(json sha256 <<<"$put")
    co=$(curl -sf "${AS_EDITOR[@]}" -X POST "$API/documents/$DOC/checkout")
    [[ $(json checkedOut <<<"$co") == True ]] || die "checkout failed: $co"
    sessions=$(ceph tell 'mds.*' session ls --format json 2>/dev/null |
        grep -o "\"cephfs-jca-$NODE_ID-[0-9a-z-]*\"" | tr -d '"' | sort -u | tr '\n' ' ')
    say "document checked out:   PUT + POST $API/documents/$DOC/checkout (as alice)"
    say "                        ${#content} bytes, sha256 ${sha:0:16}..., written with fsync; the exclusive CephFS"
    say "                        lock of its lock file is held by the app across requests, outside the pool;"
    say "                        sessions of node $NODE_ID: $sessions"

    pid=$(server_pid)
    local t_kill
    t_kill=$(now_ms)
    kill -9 "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    say "server killed:          kill -9 $pid (SIGKILL: no shutdown hook, no unmount, the sessions stay in the MDS)"

    : > "$DEMO_DIR/probe.out"
    probe watch "$LOCK_PATH" 3000 120000 "$CEPH_PATH" > "$DEMO_DIR/probe.out" 2>"$DEMO_DIR/probe.err" &
    local probe_pid=$!
    for _ in $(seq 200); do [[ -s $DEMO_DIR/probe.out ]] && break; sleep 0.1; done
    local seen
    seen=$(head -1 "$DEMO_DIR/probe.out")
    case $seen in
        BLOCKED) say "independent Ceph client: the lock is still held by the dead session (its open of the lock" \
                     "file blocks on the caps the dead session holds; still blocked after 3 s)" ;;
        HELD)    say "independent Ceph client: the lock is still held by the dead session (flock refused)" ;;
        *)       cat "$DEMO_DIR/probe.err" >&2; die "the independent client found the lock '$seen' right after the crash" ;;
    esac
    sessions=$(ceph tell 'mds.*' session ls --format json 2>/dev/null |
        grep -o "\"cephfs-jca-$NODE_ID-[0-9a-z-]*\"" | tr -d '"' | sort -u | tr '\n' ' ')
    say "                        the MDS still lists the dead server's sessions: $sessions"
    say "                        (without a reset they would hold it until the MDS evicts them: minutes)"

    local t_restart t_prestart prestart_report=""
    t_restart=$(now_ms)
    if [[ $PRESTART == 1 ]]; then
        # what a service's ExecStartPre does (docs/wildfly.md): the adapter's start-time recovery before the boot
        prestart_report=$(scripts/prestart-reset.sh --libs "$DEMO_DIR/rar-libs" --property configFile="$CEPH_CONF" \
            --property fileSystemName="$CEPH_FS_NAME" --property nodeId="$NODE_ID" --property sessionSlots=16 \
            2>"$DEMO_DIR/prestart.err") || { cat "$DEMO_DIR/prestart.err" >&2; die "the pre-start reset failed"; }
        t_prestart=$(now_ms)
        say "pre-start reset:        scripts/prestart-reset.sh (the adapter's own owner check and resets, in a JVM"
        say "                        of its own, before WildFly boots) done in $((t_prestart - t_restart)) ms:"
        say "                        \"$prestart_report\""
    fi
    boot=$(start_server)
    say "server restarted:       booted in $boot ms; the persisted configuration deploys rar + app again, and the"
    say "                        adapter's start resets the sessions of node $NODE_ID before serving connections"
    local status mode reset millis started summary
    status=$(curl -sf "${AS_EDITOR[@]}" "$API/status")
    mode=$(json recovery.mode <<<"$status")
    reset=$(json recovery.sessionsReset <<<"$status")
    millis=$(json recovery.millis <<<"$status")
    started=$(json recovery.startedAt <<<"$status")
    summary=$(json recovery.summary <<<"$status")
    local lease_result
    lease_result=$(sed -n 's/.*lease session: \([A-Z_]*\).*/\1/p' <<<"$summary")
    say "sessions reset:         $reset pool session(s) reset in $millis ms (recovery $mode, from $API/status),"
    say "                        and the node's lease session: ${lease_result:-not reported}"
    say "                        \"$summary\""
    if [[ $PRESTART == 1 ]]; then
        say "                        (the pre-start reset had reset the dead server's pool and lease sessions and left"
        say "                        the lease stopped: the adapter's start found nothing left and did not wait)"
    else
        say "                        (the dead server had two kinds of session: the pool's, one per slot in use, which"
        say "                        the count above is about, and the lease session ...-$NODE_ID-lease..., which"
        say "                        OwnerLease keeps open to heartbeat that this node id is taken; the new adapter read"
        say "                        that the heartbeat was dead before resetting anything, then reset both)"
    fi

    for _ in $(seq 600); do grep -q '^FREE\|^TIMEOUT' "$DEMO_DIR/probe.out" && break; sleep 0.1; done
    local free_at
    free_at=$(sed -n 's/^FREE \([0-9]*\)$/\1/p' "$DEMO_DIR/probe.out")
    [[ -n $free_at ]] || { cat "$DEMO_DIR/probe.out" "$DEMO_DIR/probe.err" >&2; die "the lock did not become free"; }
    local started_ms
    started_ms=$(date -d "$started" +%s%3N)
    if [[ $PRESTART == 1 ]]; then
        say "lock free again:        the independent client got the lock $((free_at - t_restart)) ms after the restart" \
            "command ($((free_at - t_kill)) ms after the kill; the pre-start reset ended $((t_prestart - t_restart)) ms" \
            "after the restart command, WildFly's boot $((t_prestart + boot - t_restart)) ms after it)"
    else
        say "lock free again:        the independent client got the lock $((free_at - started_ms)) ms after the adapter's" \
            "recovery began ($((free_at - t_kill)) ms after the kill, $((free_at - t_restart)) ms after the restart command)"
    fi
    for _ in $(seq 100); do grep -q '^SHA256' "$DEMO_DIR/probe.out" && break; sleep 0.1; done
    wait "$probe_pid" 2>/dev/null || true
    local sha_after
    sha_after=$(sed -n 's/^SHA256 //p' "$DEMO_DIR/probe.out")
    if [[ $sha_after == "$sha" ]]; then
        say "data intact:            sha256 read back by the independent client ${sha_after:0:16}... = written"
    else
        die "data changed: wrote $sha, read back '$sha_after'"
    fi
    local app_sha
    app_sha=$(curl -sf "${AS_EDITOR[@]}" "$API/documents/$DOC" | sha256sum | cut -d' ' -f1)
    [[ $app_sha == "$sha" ]] || die "the app serves different content after the restart"
    curl -sf "${AS_EDITOR[@]}" -X POST "$API/documents/$DOC/checkout" >/dev/null &&
        curl -sf "${AS_EDITOR[@]}" -X POST "$API/documents/$DOC/checkin" >/dev/null
    say "                        and the restarted app serves it and can check it out again"

    step "done in $(( ($(now_ms) - t_all) / 1000 )) s: the server keeps running"
    say "app:      $API/documents          (GET list, PUT/GET/DELETE /documents/{name},"
    say "                                   POST /documents/{name}/checkout, POST /documents/{name}/checkin)"
    say "sign in:  HTTP Basic; users alice / Alice-demo-1! (editor), bob / Bob-demo-1! (reader),"
    say "          carol / Carol-demo-1! (admin)    e.g.  curl -u 'bob:Bob-demo-1!' $API/documents"
    say "          more users: $JBOSS_HOME/bin/add-user.sh -a -u NAME -p PASSWORD -g reader|editor|admin"
    say "status:   $API/status                 (docs/example-app.md: roles, limits, error codes)"
    say "server:   $JBOSS_HOME (pid $(server_pid))"
    say "          log $JBOSS_HOME/standalone/log/server.log"
    say "stop:     scripts/demo.sh stop          (WildFly and the Ceph cluster: its documents are discarded)"
    say "          scripts/demo.sh stop-server   (WildFly only)"
}

case "${1:-start}" in
    start | -v | --verbose)
        for a in "$@"; do [[ $a == -v || $a == --verbose ]] && VERBOSE=1; done
        start ;;
    stop-server) stop_server ;;
    stop)
        stop_server
        say "stopping the Ceph cluster (its OSD keeps data in memory: the documents are discarded)"
        scripts/ceph-cluster.sh stop
        ;;
    status)
        if pid=$(server_pid); then
            say "WildFly running (pid $pid): $API"
            curl -sf "${AS_EDITOR[@]}" "$API/status" && echo
        else
            say "the demo WildFly is not running"
            exit 1
        fi
        ;;
    *) sed -n '2,30p' "$0"; exit 2 ;;
esac
