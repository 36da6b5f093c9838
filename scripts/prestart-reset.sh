#!/usr/bin/env bash
# The pre-start reset (docs/wildfly.md, "Restarting faster: the pre-start reset"): the adapter's own start-time
# recovery for one node id, run before the server boots (systemd ExecStartPre), so that a crashed server's CephFS
# sessions and locks are freed about a second after the restart command instead of after the server's boot.
#
#   scripts/prestart-reset.sh --libs DIR [--properties FILE] [--property name=value]...
#
# DIR: the .rar's jars (unzip -o cephfs-jca.rar '*.jar' -d DIR), or $CEPHFS_JCA_LIBS. The properties are the
# adapter's config properties (README), the same values the server's resource adapter has; nodeId is required.
# Put credentials (key, uuidSecret) in the --properties file (mode 600), not on the command line (ps shows it).
# Exit: 0 reset done or nothing to reset; 2 a live server holds the node id (nothing touched); 3 some resets failed
# (the adapter's start tries them again); 1 cluster or lease unreachable; 64 bad arguments or configuration.
set -euo pipefail
libs=${CEPHFS_JCA_LIBS:-}
if [[ ${1:-} == --libs ]]; then
    libs=${2:-}
    shift 2 || true
fi
[[ -n $libs && -d $libs ]] || { echo "prestart-reset: no directory of the rar's jars (--libs DIR or CEPHFS_JCA_LIBS)" >&2; exit 64; }
# a short-lived JVM: C1 only and the serial GC start fastest
exec "${JAVA:-java}" ${PRESTART_JAVA_OPTS:--Xmx96m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto} \
    -cp "$libs/*" org.cephfsjca.adapter.prestart.PreStartReset "$@"
