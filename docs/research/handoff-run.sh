#!/usr/bin/env bash
# Runs every variant of handoff.c once (10 fresh files each) and prints the RESULT lines.
# Usage: CEPH_CONF=... docs/research/handoff-run.sh [reps]
set -u
R=${1:-10}
H=${HANDOFF:-/tmp/handoff}
run() { "$H" reps="$R" "$@" | grep RESULT; }
run reopen=none                       # (b) nobody holds it
run reopen=third                      # a third mount C holds it O_RDONLY
run reopen=rd                         # (a) A itself reopens O_RDONLY and holds it
run reopen=rd flock=ex
run reopen=rd fsync=1                 # (c)
run reopen=rdwr                       # (d)
run reopen=rd bop=stat                # (e) B only statx (directory listing with attributes)
run reopen=rd bop=statmode
run reopen=rd bop=read                # (e) B only open+read
run reopen=none bop=read
run reopen=third bop=read
run reopen=rd bop=openfstatread       # B: open, fstatx(SIZE), read
run reopen=rd bop=opensyncread        # B: open, ceph_sync_fs(B), read
run reopen=rd bop=openwaitsyncread    # B: open, 20 ms, ceph_sync_fs(B), read
run reopen=rd bop=openwaitread        # B: open, 20 ms, read (control)
run reopen=rdwr bop=read
run reopen=rdwr flock=ex
run reopen=third flock=ex
run reopen=rd act=syncfs_pre          # (f) ...
run reopen=rd act=syncfs_hold
run reopen=rd act=fsync_hold
run reopen=rd act=lazyio
run reopen=rd act=fstat_hold
run reopen=rd act=sleep_pre=6
run reopen=rd flock=ex act=rewrite
run reopen=rd aconf=client_caps_release_delay:0
run reopen=rd aconf=client_oc:false
run reopen=rd mode=same               # one mount, thread 1 holds, thread 2 looks
run reopen=rd mode=same bop=read
run reopen=rd mode=same flock=ex
run reopen=rd mode=fork               # A and B in two processes
run reopen=rd mode=fork bop=read
run reopen=rdwr mode=fork bop=read
