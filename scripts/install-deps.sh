#!/usr/bin/env bash
# Installs the Debian packages needed to run a local single-node Ceph cluster and
# to build/run the CephFS bindings. Does nothing when everything is present.
set -euo pipefail

PACKAGES=(ceph-mon ceph-osd ceph-mds ceph-mgr ceph-common libcephfs2 libcephfs-dev gcc libc6-dev
          python3-cephfs libcephfs-java libcephfs-jni iptables wrk)
# iptables: NetworkCutTest cuts one JVM's loopback traffic; wrk: the server benchmark's HTTP load (scripts/bench.sh)

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$p")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-deps: missing packages (${missing[*]}) and not root, no sudo available" >&2
        exit 1
    fi
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
