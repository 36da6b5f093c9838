# Sourced (from the repository root) by run-tests.sh and bench.sh: installs the Debian packages that are missing,
# starts the local Ceph cluster unless one is running (and stops it again when the calling script exits, if it
# started it here and KEEP_CLUSTER is unset), and exports the cluster's environment (CEPH_CONF, ...).

scripts/install-deps.sh

cluster_started_here=0
if ! scripts/ceph-cluster.sh status >/dev/null 2>&1; then
  cluster_started_here=1
fi
stop_cluster() {
  if [ "$cluster_started_here" = 1 ] && [ -z "${KEEP_CLUSTER:-}" ]; then
    scripts/ceph-cluster.sh stop || true
  fi
}
trap stop_cluster EXIT

scripts/ceph-cluster.sh start >/dev/null
eval "$(scripts/ceph-cluster.sh env)"
