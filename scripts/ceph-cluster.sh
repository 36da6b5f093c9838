#!/usr/bin/env bash
# Single-node Ceph cluster for development and integration tests.
#
# One mon (a), one mgr (x), one memstore osd (0), one mds (a) and one CephFS named "cephfs",
# all bound to 127.0.0.1 only, all running as the current user in the background (no systemd,
# no containers). Everything (config, keyrings, data, logs, sockets, pid files) lives under
#   ${CEPH_JCA_DIR:-/tmp/cephfs-jca/cluster}
# which is deliberately outside the source tree so that `mvn clean` cannot wipe a running cluster.
#
# Usage: scripts/ceph-cluster.sh start|stop [--purge]|status|env|restart-mds|logs [-f] [LINES]
#   start        start the cluster (idempotent: prints the env and exits 0 when already running).
#                A stopped or broken cluster is wiped and created from scratch (memstore keeps no
#                useful state across restarts, so a fresh cluster is the reliable choice).
#   stop         SIGTERM the daemons started by this script (then SIGKILL, after CEPH_JCA_STOP_TIMEOUT s); keeps the
#                data dir (logs) unless --purge is given. Stopping a stopped cluster is a no-op.
#   status       pid/alive state of each daemon and `ceph -s`; exit 0 only if all 4 are alive.
#   env          `export` lines for eval: CEPH_CONF, CEPH_JCA_ADMIN_KEYRING (not CEPH_KEYRING: Ceph would apply that to every user), CEPH_FS_NAME, CEPH_MON_HOST,
#                CEPH_JCA_DIR. Exit non-zero if the cluster is not running.
#   restart-mds  kill -9 the mds, start it again and wait for up:active.
#   pause-mds [SECONDS]  freeze the mds (SIGSTOP): the process stays, nothing answers, as when no MDS is up;
#                every other daemon (and status/env/start) carries on. A guard resumes it after SECONDS
#                (default 120) whatever happens to the caller.
#   resume-mds   SIGCONT the paused mds and wait for it to be up:active again.
#   logs         last LINES (default 40) lines of every daemon log; -f follows them.
#
# Environment:
#   CEPH_JCA_DIR              data dir (default /tmp/cephfs-jca/cluster)
#   CEPH_JCA_MON_PORT         mon msgr v2 port (default 43300), used when a cluster is created
#   CEPH_JCA_MON_V1_PORT      mon msgr v1 port (default 46789), used when a cluster is created
#   CEPH_JCA_START_TIMEOUT    seconds to wait for each daemon / for the mds to be active (default 60)
#   CEPH_JCA_MDS_TIMEOUT      seconds restart-mds (and start, on a running cluster) wait for
#                             up:active (default 120; a restarted mds waits up to
#                             mds_reconnect_timeout=45 s for dead clients that had sessions)
# Note: `start` wipes the logs of the previous cluster into ${CEPH_JCA_DIR}.last-logs.
#   CEPH_JCA_SKIP_DEPS=1      do not run install-deps.sh on start
#   CEPH_JCA_STOP_TIMEOUT     seconds stop waits for each stage's daemons to exit after SIGTERM before it
#                             sends SIGKILL (default 60: the mds's clean exit took 6.5-9.6 s at load 8-17 here)
set -euo pipefail

# Ceph reads CEPH_KEYRING (and CEPH_ARGS) from the environment and lets them override ceph.conf --
# for daemons too. After `eval "$(ceph-cluster.sh env)"` CEPH_KEYRING names the client.admin
# keyring, and an mds started with it fails cephx ("failed to decode CephXAuthenticate").
unset CEPH_KEYRING CEPH_ARGS CEPH_CONF

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR=${CEPH_JCA_DIR:-/tmp/cephfs-jca/cluster}
DIR=${DIR%/}
CONF=$DIR/ceph.conf
ADMIN_KEYRING=$DIR/ceph.client.admin.keyring
RUN=$DIR/run
LOG=$DIR/log
STATE=$DIR/cluster.env
LOCK_FILE=$DIR.lock
FS_NAME=cephfs
START_TIMEOUT=${CEPH_JCA_START_TIMEOUT:-60}
MDS_TIMEOUT=${CEPH_JCA_MDS_TIMEOUT:-120}
STOP_TIMEOUT=${CEPH_JCA_STOP_TIMEOUT:-60}
CLI_TIMEOUT=20

# daemon name -> binary and id
DAEMONS=(mon.a mgr.x osd.0 mds.a)

log() { echo "ceph-cluster: $*" >&2; }

now() { echo "${EPOCHREALTIME/,/.}"; }

elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

case "$DIR" in
    "" | / | /tmp | /work | /work/main | /home | /root | /usr | /var | /etc)
        log "refusing to use '$DIR' as the data dir"; exit 2 ;;
esac
if [[ "$DIR" != /* ]]; then
    log "CEPH_JCA_DIR must be an absolute path (got '$DIR')"; exit 2
fi

ceph_cli() { timeout "$CLI_TIMEOUT" ceph --conf "$CONF" "$@"; }

# ceph_do WHAT ARGS...: runs a ceph command; on failure shows its output and fails.
ceph_do() {
    local what=$1 out; shift
    STEP=$what
    if ! out=$(ceph_cli "$@" 2>&1); then
        log "ERROR: $what failed: ceph $*"
        echo "$out" >&2
        return 1
    fi
    [[ -z "$out" ]] || echo "$out"
}

STEP=""

pid_file() { echo "$RUN/$1.pid"; }

# Prints the pid of daemon $1 if its pid file names a live ceph daemon of this cluster.
daemon_pid() {
    local name=$1 pf pid
    pf=$(pid_file "$name")
    [[ -s "$pf" ]] || return 1
    pid=$(tr -dc '0-9' <"$pf")
    [[ -n "$pid" ]] || return 1
    is_our_daemon "$pid" "${name%%.*}" || return 1
    echo "$pid"
}

# True if /proc/$1/cmdline is ceph-$2 (any type if $2 is empty) started with our ceph.conf.
is_our_daemon() {
    local pid=$1 type=${2:-} cmd
    [[ -r /proc/$pid/cmdline ]] || return 1
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    # zombies have an empty cmdline
    [[ -n "$cmd" ]] || return 1
    if [[ -n "$type" ]]; then
        [[ "$cmd" == *"ceph-$type "* ]] || return 1
    else
        [[ "$cmd" =~ ceph-(mon|mgr|osd|mds)\  ]] || return 1
    fi
    [[ "$cmd" == *"--conf $CONF "* ]]
}

alive_count() {
    local n=0 d
    for d in "${DAEMONS[@]}"; do
        if daemon_pid "$d" >/dev/null; then n=$((n + 1)); fi
    done
    echo "$n"
}

all_alive() { [[ $(alive_count) -eq ${#DAEMONS[@]} ]]; }

mds_active() {
    local out
    out=$(timeout 10 ceph --conf "$CONF" mds stat 2>/dev/null) || return 1
    [[ "$out" == *"=a=up:active"* ]]
}

# The running mds.a process itself (asked through its admin socket) says it is up:active.
# Right after a kill -9 the mon still lists the dead instance as active, so this is what
# restart-mds waits for.
mds_daemon_active() {
    local out
    out=$(timeout 10 ceph --conf "$CONF" --admin-daemon "$RUN/mds.a.asok" status 2>/dev/null) || return 1
    [[ "$out" == *'"state": "up:active"'* ]]
}

healthy() { [[ -f "$CONF" ]] && all_alive && mds_active; }

# Ceph daemons of this cluster that are running but not (or no longer) in a pid file.
orphan_pids() {
    local p pid
    for p in /proc/[0-9]*; do
        pid=${p#/proc/}
        if is_our_daemon "$pid" 2>/dev/null; then echo "$pid"; fi
    done
}

print_env() {
    local mon_host
    # shellcheck disable=SC1090
    mon_host=$(. "$STATE" && echo "$MON_HOST")
    printf "export CEPH_CONF=%q\n" "$CONF"
    printf "export CEPH_JCA_ADMIN_KEYRING=%q\n" "$ADMIN_KEYRING"
    printf "export CEPH_FS_NAME=%q\n" "$FS_NAME"
    printf "export CEPH_MON_HOST='%s'\n" "$mon_host"
    printf "export CEPH_JCA_DIR=%q\n" "$DIR"
}

show_log_tail() {
    local name=$1 f
    for f in "$LOG/$name.log" "$LOG/$name.out"; do
        if [[ -s "$f" ]]; then
            echo "----- last 30 lines of $f -----" >&2
            tail -n 30 "$f" >&2
        fi
    done
}

# Failure while starting: name the daemon, show its log, stop what was started, exit 1.
fail_daemon() {
    local name=$1 pid; shift
    STEP="starting $name"
    log "ERROR: $name failed to come up: $*"
    show_log_tail "$name"
    if [[ "$ON_FAIL" == stop-all ]]; then
        log "stopping the daemons that were started"
        stop_daemons || true
    elif pid=$(daemon_pid "$name"); then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    exit 1
}

# what fail_daemon does to the other daemons: stop-all (while creating a cluster) or
# keep (restart-mds: the rest of a running cluster is left alone)
ON_FAIL=stop-all

# Starts daemon $1 in the background (own session, no inherited fds, stdin from /dev/null),
# writes its pid file and checks that it is still alive shortly after.
launch() {
    local name=$1 type=${1%%.*} id=${1#*.} pid pf
    pf=$(pid_file "$name")
    rm -f "$pf"
    (
        cd "$DIR"
        # do not leak the lock fd or any caller pipe (e.g. Maven's) into the daemon
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec setsid "ceph-$type" --conf "$CONF" -i "$id" -f \
            </dev/null >>"$LOG/$name.out" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$pf"
    # the subshell execs setsid, which execs the daemon in the same pid (not a group leader)
    local i
    for i in $(seq 1 20); do
        if is_our_daemon "$pid" "$type"; then break; fi
        sleep 0.05
    done
    if ! is_our_daemon "$pid" "$type"; then
        fail_daemon "$name" "process $pid is not running ceph-$type"
    fi
}

# wait_for NAME TIMEOUT DESCRIPTION COMMAND...: polls COMMAND until it succeeds while daemon NAME lives.
wait_for() {
    local name=$1 timeout=$2 what=$3; shift 3
    local t0 deadline
    t0=$(now)
    deadline=$(( ${t0%.*} + timeout ))
    while true; do
        if "$@" >/dev/null 2>&1; then return 0; fi
        if ! daemon_pid "$name" >/dev/null; then
            fail_daemon "$name" "the process exited while waiting for: $what"
        fi
        if (( ${EPOCHREALTIME%.*} >= deadline )); then
            fail_daemon "$name" "timed out after ${timeout}s waiting for: $what"
        fi
        sleep 0.2
    done
}

port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

osd_up() { timeout 5 ceph --conf "$CONF" osd stat 2>/dev/null | grep -q " 1 up"; }
mgr_available() { timeout 5 ceph --conf "$CONF" mgr stat 2>/dev/null | grep -Eq '"available": ?true'; }
mon_ready() { timeout 5 ceph --conf "$CONF" mon stat >/dev/null 2>&1; }

write_conf() {
    local fsid=$1 mon_host=$2
    cat >"$CONF" <<EOF
# Generated by scripts/ceph-cluster.sh -- single-node test cluster, loopback only.
[global]
fsid = $fsid
mon host = $mon_host
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv4 = true
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
keyring = $ADMIN_KEYRING
run dir = $RUN
crash dir = $DIR/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon cluster log file = $LOG/ceph.log
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 2147483648
mgr initial modules = iostat
mon data avail warn = 2
mon data avail crit = 1

[mon]
mon data = $DIR/mon/ceph-\$id
keyring = $DIR/mon/ceph-\$id/keyring
log file = $LOG/\$name.log
admin socket = $RUN/\$name.asok
pid file = $RUN/\$name.pid

[mgr]
mgr data = $DIR/mgr/ceph-\$id
keyring = $DIR/mgr/ceph-\$id/keyring
log file = $LOG/\$name.log
admin socket = $RUN/\$name.asok
pid file = $RUN/\$name.pid

[osd]
osd data = $DIR/osd/ceph-\$id
keyring = $DIR/osd/ceph-\$id/keyring
log file = $LOG/\$name.log
admin socket = $RUN/\$name.asok
pid file = $RUN/\$name.pid

[mds]
mds data = $DIR/mds/ceph-\$id
keyring = $DIR/mds/ceph-\$id/keyring
log file = $LOG/\$name.log
admin socket = $RUN/\$name.asok
pid file = $RUN/\$name.pid

[client]
keyring = $ADMIN_KEYRING
EOF
}

create_cluster() {
    STEP="checking the mon ports"
    local v2=${CEPH_JCA_MON_PORT:-43300} v1=${CEPH_JCA_MON_V1_PORT:-46789}
    local p
    for p in "$v2" "$v1"; do
        if port_in_use "$p"; then
            log "ERROR: port $p on this machine is already in use (another cluster? set CEPH_JCA_MON_PORT/CEPH_JCA_MON_V1_PORT)"
            ss -Hltnp "sport = :$p" >&2 || true
            exit 1
        fi
    done
    local mon_host="[v2:127.0.0.1:$v2,v1:127.0.0.1:$v1]"
    local fsid
    fsid=$(cat /proc/sys/kernel/random/uuid)

    mkdir -p "$RUN" "$LOG" "$DIR/crash" "$DIR/mon" "$DIR/mgr/ceph-x" "$DIR/osd/ceph-0" "$DIR/mds/ceph-a"
    write_conf "$fsid" "$mon_host"
    {
        echo "MON_HOST='$mon_host'"
        echo "FSID=$fsid"
    } >"$STATE"

    # --- keys and monmap
    STEP="creating keys and the monmap"
    # ceph-mon --mkfs wants an empty mon data dir; it copies this keyring into it
    local mon_keyring=$DIR/mon.keyring
    ceph-authtool --create-keyring "$mon_keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool --create-keyring "$ADMIN_KEYRING" --gen-key -n client.admin \
        --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
    ceph-authtool "$mon_keyring" --import-keyring "$ADMIN_KEYRING" >/dev/null
    chmod 600 "$mon_keyring"
    chmod 644 "$ADMIN_KEYRING"
    monmaptool --create --fsid "$fsid" --addv a "$mon_host" "$DIR/monmap" >/dev/null

    # --- mon
    timeout 60 ceph-mon --conf "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$mon_keyring" \
        >>"$LOG/mon.a.out" 2>&1 || fail_daemon mon.a "ceph-mon --mkfs failed"
    launch mon.a
    wait_for mon.a "$START_TIMEOUT" "the mon to answer" mon_ready

    # --- mgr
    ceph_do "creating the mgr.x key" auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' \
        mds 'allow *' -o "$DIR/mgr/ceph-x/keyring" >/dev/null
    launch mgr.x

    # --- osd (memstore)
    local osd_uuid osd_id
    osd_uuid=$(cat /proc/sys/kernel/random/uuid)
    osd_id=$(ceph_do "allocating osd id" osd create "$osd_uuid")
    [[ "$osd_id" == 0 ]] || { log "ERROR: expected osd id 0, got '$osd_id'"; stop_daemons; exit 1; }
    timeout 60 ceph-osd --conf "$CONF" -i 0 --mkfs --mkkey --no-mon-config --osd-uuid "$osd_uuid" \
        >>"$LOG/osd.0.out" 2>&1 || fail_daemon osd.0 "ceph-osd --mkfs failed"
    ceph_do "registering the osd.0 key" auth add osd.0 osd 'allow *' mon 'allow profile osd' \
        mgr 'allow profile osd' -i "$DIR/osd/ceph-0/keyring" >/dev/null
    launch osd.0

    # --- file system (pools can be created while the osd boots)
    ceph_do "creating pool cephfs_metadata" osd pool create cephfs_metadata 8 8 >/dev/null
    ceph_do "creating pool cephfs_data" osd pool create cephfs_data 16 16 >/dev/null
    ceph_do "creating the file system" fs new "$FS_NAME" cephfs_metadata cephfs_data >/dev/null
    wait_for osd.0 "$START_TIMEOUT" "osd.0 to be up" osd_up

    # --- mds
    ceph_do "creating the mds.a key" auth get-or-create mds.a mon 'allow profile mds' osd 'allow *' \
        mds 'allow *' mgr 'allow profile mds' -o "$DIR/mds/ceph-a/keyring" >/dev/null
    launch mds.a
    wait_for mds.a "$START_TIMEOUT" "mds.a to be up:active" mds_active
    wait_for mds.a "$START_TIMEOUT" "mds.a to be up:active" mds_daemon_active
    wait_for mgr.x "$START_TIMEOUT" "the mgr to be available" mgr_available
    touch "$DIR/.created"
}

# SIGTERM pids (each re-checked to be one of our ceph daemons), wait up to STOP_TIMEOUT s for them to exit, then
# SIGKILL. A clean exit is slow and load-bound: the mds, for one, tells the mon it goes (beacon down:dne, then waits
# for the mon's answer), shuts its rank down, stops its metrics aggregator (a 1 s tick) and its mon and mgr clients:
# 6.5 s at load 8, 8.9-9.6 s at load 17 on 2 cores, which a 10 s bound cut short on a loaded machine.
terminate_pids() {
    local pid i left=() t0
    t0=$(now)
    for pid in "$@"; do
        if is_our_daemon "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    local deadline=$(( ${EPOCHREALTIME%[.,]*} + STOP_TIMEOUT ))
    while :; do
        left=()
        for pid in "$@"; do
            if is_our_daemon "$pid"; then left+=("$pid"); fi
        done
        if [[ ${#left[@]} -eq 0 ]]; then
            log "  pid(s) $* exited after SIGTERM in $(elapsed "$t0") s"
            return 0
        fi
        (( ${EPOCHREALTIME%[.,]*} < deadline )) || break
        sleep 0.2
    done
    for pid in "${left[@]}"; do
        if is_our_daemon "$pid"; then
            log "pid $pid did not exit within $STOP_TIMEOUT s of SIGTERM, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    for i in $(seq 1 25); do
        left=()
        for pid in "$@"; do
            if is_our_daemon "$pid"; then left+=("$pid"); fi
        done
        [[ ${#left[@]} -eq 0 ]] && return 0
        sleep 0.2
    done
    log "WARNING: pids ${left[*]} still running"
}

# Stops the daemons named in the pid files (plus any leftover daemon started with our ceph.conf)
# in three stages: the mds alone (it says goodbye to the mon and mgr: 6.5-9.6 s here, see terminate_pids), then mgr and osd
# (the osd waits up to 5 s for the mon to ack its shutdown), then the mon.
stop_daemons() {
    local d pid mds=() mid=() mons=() names=() all=()
    for d in mds.a mgr.x osd.0 mon.a; do
        if pid=$(daemon_pid "$d"); then
            all+=("$pid"); names+=("$d($pid)")
            case $d in
                mds.*) mds+=("$pid") ;;
                mon.*) mons+=("$pid") ;;
                *) mid+=("$pid") ;;
            esac
        fi
    done
    local orphan
    for orphan in $(orphan_pids); do
        if [[ " ${all[*]} " != *" $orphan "* ]]; then
            all+=("$orphan"); names+=("leftover($orphan)")
            if is_our_daemon "$orphan" mon; then mons+=("$orphan");
            elif is_our_daemon "$orphan" mds; then mds+=("$orphan");
            else mid+=("$orphan"); fi
        fi
    done
    if [[ ${#all[@]} -gt 0 ]]; then
        log "stopping ${names[*]}"
        [[ ${#mds[@]} -eq 0 ]] || terminate_pids "${mds[@]}"
        [[ ${#mid[@]} -eq 0 ]] || terminate_pids "${mid[@]}"
        [[ ${#mons[@]} -eq 0 ]] || terminate_pids "${mons[@]}"
    fi
    rm -f "$RUN"/*.pid 2>/dev/null || true
}

with_lock() {
    mkdir -p "$(dirname "$LOCK_FILE")"
    exec 9>"$LOCK_FILE"
    if ! flock -w 300 9; then
        log "ERROR: could not get the lock $LOCK_FILE within 300 s"; exit 1
    fi
}

cmd_start() {
    if [[ "${CEPH_JCA_SKIP_DEPS:-0}" != 1 ]]; then
        "$SCRIPT_DIR/install-deps.sh"
    fi
    with_lock
    local t0
    t0=$(now)
    if [[ -f "$DIR/.created" ]] && all_alive; then
        # running: an mds that is still replaying/reconnecting (up to ~50 s when dead clients had
        # sessions) is given time before the cluster is declared broken and recreated
        local deadline=$(( ${t0%.*} + MDS_TIMEOUT )) said=0
        while (( ${EPOCHREALTIME%.*} < deadline )); do
            if mds_active; then
                log "cluster in $DIR is already running (checked in $(elapsed "$t0") s)"
                print_env
                return 0
            fi
            if [[ $said -eq 0 ]]; then
                log "cluster in $DIR is running; waiting up to ${MDS_TIMEOUT}s for mds.a to be up:active"
                said=1
            fi
            sleep 0.5
        done
        log "cluster in $DIR is running but the mds is not active; recreating it"
    fi
    stop_daemons
    if [[ -d "$DIR" ]]; then
        log "wiping $DIR"
        if [[ -d "$LOG" ]]; then
            rm -rf "$DIR.last-logs"
            mv "$LOG" "$DIR.last-logs" 2>/dev/null || true
        fi
        rm -rf "$DIR"
    fi
    mkdir -p "$DIR"
    # any unexpected failure while creating: say where, stop what was started, exit non-zero
    trap 'rc=$?; if [[ $rc -ne 0 ]]; then log "ERROR: start failed (exit $rc) during: ${STEP:-?}; see $LOG"; stop_daemons || true; fi' EXIT
    create_cluster
    trap - EXIT
    log "cluster up in $(elapsed "$t0") s ($DIR)"
    print_env
}

cmd_stop() {
    local purge=0
    if [[ "${1:-}" == --purge ]]; then purge=1; elif [[ -n "${1:-}" ]]; then usage; exit 2; fi
    with_lock
    stop_daemons
    if [[ $purge -eq 1 ]]; then
        rm -rf "$DIR" "$DIR.last-logs"
        log "purged $DIR"
    else
        rm -f "$DIR/.created" 2>/dev/null || true
    fi
    return 0
}

cmd_status() {
    local d pid ok=0
    echo "data dir: $DIR"
    for d in "${DAEMONS[@]}"; do
        if pid=$(daemon_pid "$d"); then
            echo "$d: pid $pid alive"
            ok=$((ok + 1))
        elif [[ -s "$(pid_file "$d")" ]]; then
            echo "$d: pid $(cat "$(pid_file "$d")") NOT running"
        else
            echo "$d: not running"
        fi
    done
    if [[ $ok -gt 0 && -f "$CONF" ]]; then
        timeout 10 ceph --conf "$CONF" -s || echo "(ceph -s failed or timed out)"
    fi
    [[ $ok -eq ${#DAEMONS[@]} ]]
}

cmd_env() {
    if [[ ! -f "$STATE" || ! -f "$DIR/.created" ]] || ! all_alive; then
        log "cluster in $DIR is not running (run: $0 start)"
        exit 1
    fi
    print_env
}

cmd_restart_mds() {
    ON_FAIL=keep
    with_lock
    if [[ ! -f "$DIR/.created" ]] || ! all_alive; then
        log "cluster in $DIR is not running (run: $0 start)"
        exit 1
    fi
    local t0 pid
    t0=$(now)
    pid=$(daemon_pid mds.a)
    log "kill -9 mds.a (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do
        is_our_daemon "$pid" mds || break
        sleep 0.1
    done
    launch mds.a
    wait_for mds.a "$MDS_TIMEOUT" "mds.a to be up:active" mds_daemon_active
    wait_for mds.a "$MDS_TIMEOUT" "the mon to list mds.a as up:active" mds_active
    log "mds.a up:active again after $(elapsed "$t0") s"
}

# pause-mds/resume-mds: a frozen mds is still our daemon (status, env and start see a running cluster), it just
# answers nothing; the guard process makes sure it is never left frozen.
GUARD_FILE=$RUN/mds.a.pause-guard.pid

cmd_pause_mds() {
    local bound=${1:-120} pid guard
    [[ "$bound" =~ ^[0-9]+$ ]] || { usage; exit 2; }
    with_lock
    if [[ ! -f "$DIR/.created" ]] || ! pid=$(daemon_pid mds.a); then
        log "cluster in $DIR has no running mds (run: $0 start)"
        exit 1
    fi
    (
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec setsid bash -c "sleep $bound; kill -CONT $pid 2>/dev/null" </dev/null >/dev/null 2>&1
    ) &
    guard=$!
    echo "$guard" >"$GUARD_FILE"
    kill -STOP "$pid"
    log "mds.a (pid $pid) paused; resumed by resume-mds, or by the guard (pid $guard) after ${bound}s"
}

cmd_resume_mds() {
    ON_FAIL=keep
    with_lock
    local pid t0 guard
    t0=$(now)
    if ! pid=$(daemon_pid mds.a); then
        log "cluster in $DIR has no mds process to resume"
        exit 1
    fi
    kill -CONT "$pid"
    if [[ -s "$GUARD_FILE" ]]; then
        guard=$(tr -dc '0-9' <"$GUARD_FILE")
        # the guard is a setsid'ed bash running sleep: end exactly that process group
        if [[ -n "$guard" ]] && [[ "$(tr '\0' ' ' <"/proc/$guard/cmdline" 2>/dev/null)" == *"kill -CONT $pid"* ]]; then
            kill -- -"$guard" 2>/dev/null || kill "$guard" 2>/dev/null || true
        fi
        rm -f "$GUARD_FILE"
    fi
    wait_for mds.a "$MDS_TIMEOUT" "mds.a to be up:active" mds_daemon_active
    wait_for mds.a "$MDS_TIMEOUT" "the mon to list mds.a as up:active" mds_active
    log "mds.a resumed, up:active after $(elapsed "$t0") s"
}

cmd_logs() {
    local follow=0 lines=40
    for a in "$@"; do
        case "$a" in
            -f) follow=1 ;;
            *[!0-9]* | "") usage; exit 2 ;;
            *) lines=$a ;;
        esac
    done
    shopt -s nullglob
    local files=("$LOG"/*.log)
    if [[ ${#files[@]} -eq 0 ]]; then log "no logs in $LOG"; exit 1; fi
    if [[ $follow -eq 1 ]]; then
        exec tail -n "$lines" -F "${files[@]}"
    fi
    tail -n "$lines" "${files[@]}"
}

usage() {
    echo "usage: $0 start | stop [--purge] | status | env | restart-mds | pause-mds [SECONDS] | resume-mds | logs [-f] [LINES]" >&2
    echo "  data dir: \${CEPH_JCA_DIR:-/tmp/cephfs-jca/cluster} (now $DIR)" >&2
}

main() {
    local cmd=${1:-}
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        status) cmd_status "$@" ;;
        env) cmd_env "$@" ;;
        restart-mds) cmd_restart_mds "$@" ;;
        pause-mds) cmd_pause_mds "$@" ;;
        resume-mds) cmd_resume_mds "$@" ;;
        logs) cmd_logs "$@" ;;
        -h | --help | help) usage ;;
        *) usage; exit 2 ;;
    esac
}

main "$@"
