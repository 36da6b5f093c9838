#!/usr/bin/env bash
# cephfs-jca on Payara (Micro or Server): writes the asadmin commands that configure the resource adapter, deploy the
# .rar and bind its connection factory, to stdout. The same built .rar as on WildFly (rar/target/cephfs-jca-rar-*.rar).
#
#   rar/src/main/asadmin/configure-adapter.sh cephfs.rar.file=/path/cephfs-jca.rar ceph.conf=/etc/ceph/ceph.conf \
#       ceph.node.id=node1 [name=value ...] > post-boot.asadmin
#   java -jar payara-micro.jar --nocluster --postbootcommandfile post-boot.asadmin --deploy app.war
#
# On Payara Server, run the same lines with asadmin (asadmin multimode --file post-boot.asadmin). The commands:
#   create-resource-adapter-config   the adapter's properties (ra.xml config-properties), read when the .rar starts
#   deploy --type rar                the .rar; its start runs the start-time session recovery
#   create-connector-connection-pool the pool of CephManagedConnectionFactory (GlassFish's connector runtime), with
#                                    --matchconnections true, explicitly: a pool with it off never calls
#                                    matchManagedConnections and would hand a session of one cephx identity to a
#                                    request of another (container credentials); the adapter's match is cheap
#   create-connector-resource        the JNDI name of the CephConnectionFactory (no "java:" names on Payara)
#
# Properties: the names of rar/src/main/cli/configure-adapter.cli (the WildFly script), same defaults, plus
#   cephfs.rar.file         the .rar to deploy                                   (required)
#   cephfs.pool.name        name of the connector connection pool                ceph-FileSystem-pool
#   cephfs.jndi             JNDI name of the CephConnectionFactory               ceph/FileSystem
#   ceph.node.id            nodeId: required here (WildFly defaults to jboss.node.name; Payara has no such name,
#                           and the adapter's fallback, the host name, is the same for every instance on a host)
# Adapter:  ceph.conf ceph.user ceph.fs.name ceph.mount.root ceph.session.slots ceph.session.timeout
#           ceph.recovery.mode ceph.recovery.fallback ceph.recovery.timeout ceph.mount.timeout ceph.lease.interval.ms
#           ceph.operation.timeout ceph.takeover.ms ceph.lease.retention.s; optional (no default): ceph.mon.host
#           ceph.keyring ceph.options
# Pool:     ceph.pool.min (steadypoolsize, 0) ceph.pool.max (maxpoolsize, 8) ceph.pool.blocking.ms (maxwait, 5000)
#           ceph.pool.idle.minutes (idletimeout, 10)
# Security maps (optional, repeatable): callers of the pool that get a cephx identity of their own
#   cephfs.security.map.NAME=PRINCIPALS:CEPHX_ID:PASSWORD_FILE
#     NAME           the map's name (letters, digits, . _ -)
#     PRINCIPALS     the callers (comma-separated principal names, e.g. the file realm's user names)
#     CEPHX_ID       the cephx id they run as, without "client."
#     PASSWORD_FILE  an asadmin password file holding that id's cephx key as AS_ADMIN_MAPPEDPASSWORD=<key>, not
#                    readable by group or others (e.g.
#                    (umask 077; printf 'AS_ADMIN_MAPPEDPASSWORD=%s\n' "$(ceph auth print-key client.ID)" > FILE))
#   writes create-connector-security-map --passwordfile FILE: the key is read by the server from the file, never on
#   a command line and never in the written commands. Callers without a map use the adapter's user and key.
# The cephx key is kept out of this script, as on WildFly: use keyringFile, or Payara's password aliases
# (create-password-alias, then key=$${ALIAS=name}) for key and uuidSecret.
set -euo pipefail

declare -A p=(
  [cephfs.ra.name]=cephfs-jca [cephfs.pool.name]=ceph-FileSystem-pool [cephfs.jndi]=ceph/FileSystem
  [ceph.conf]=/etc/ceph/ceph.conf [ceph.user]=admin [ceph.fs.name]=cephfs [ceph.mount.root]=/
  [ceph.session.slots]=16 [ceph.session.timeout]=300 [ceph.recovery.mode]=RESET [ceph.recovery.fallback]=false
  [ceph.recovery.timeout]=30 [ceph.mount.timeout]=30 [ceph.lease.interval.ms]=250 [ceph.operation.timeout]=0
  [ceph.takeover.ms]=1500 [ceph.lease.retention.s]=86400
  [ceph.pool.min]=0 [ceph.pool.max]=8 [ceph.pool.blocking.ms]=5000 [ceph.pool.idle.minutes]=10
)
known=" ${!p[*]} cephfs.rar.file ceph.node.id ceph.mon.host ceph.keyring ceph.options "
declare -A maps=()
for arg in "$@"; do
  name=${arg%%=*}
  if [[ "$arg" == *=* && "$name" == cephfs.security.map.* ]]; then
    maps[${name#cephfs.security.map.}]=${arg#*=}
    continue
  fi
  if [[ "$arg" != *=* || "$known" != *" $name "* ]]; then
    echo "configure-adapter.sh: unknown argument '$name' (name=value, names in the script's header)" >&2
    exit 2
  fi
  p[$name]=${arg#*=}
done
for required in cephfs.rar.file ceph.node.id; do
  if [[ -z "${p[$required]:-}" ]]; then
    echo "configure-adapter.sh: $required=... is required" >&2
    exit 2
  fi
done
if [[ ! -f "${p[cephfs.rar.file]}" ]]; then
  echo "configure-adapter.sh: no .rar at ${p[cephfs.rar.file]}" >&2
  exit 2
fi

# security maps: checked here, so that a mistake fails now and not at the server's boot
map_lines=""
for map in "${!maps[@]}"; do
  IFS=: read -r principals cephx pwfile extra <<< "${maps[$map]}"
  bad() { echo "configure-adapter.sh: cephfs.security.map.$map: $1" >&2; exit 2; }
  [[ "$map" =~ ^[A-Za-z0-9._-]+$ ]] || bad "bad map name (letters, digits, . _ -)"
  [[ -z "${extra:-}" && -n "$principals" && -n "$cephx" && -n "$pwfile" ]] \
    || bad "expected PRINCIPALS:CEPHX_ID:PASSWORD_FILE"
  [[ "$principals" =~ ^[A-Za-z0-9._@-]+(,[A-Za-z0-9._@-]+)*$ ]] || bad "bad principal list '$principals'"
  [[ "$cephx" != client.* ]] || bad "give the cephx id without \"client.\" ('${cephx#client.}')"
  [[ "$cephx" =~ ^[A-Za-z0-9._-]{1,128}$ ]] || bad "bad cephx id '$cephx'"
  [[ -f "$pwfile" && -r "$pwfile" ]] || bad "no readable password file at $pwfile"
  [[ $(( 0$(stat -c %a "$pwfile") & 077 )) -eq 0 ]] || bad "$pwfile is readable by group or others (chmod 600)"
  grep -q '^AS_ADMIN_MAPPEDPASSWORD=.' "$pwfile" || bad "$pwfile has no AS_ADMIN_MAPPEDPASSWORD=<cephx key> line"
  map_lines+="create-connector-security-map --poolname ${p[cephfs.pool.name]} --principals $principals"
  map_lines+=" --mappedusername $cephx --passwordfile $pwfile $map"$'\n'
done

# asadmin --property: name=value pairs separated by ':'; a ':' or '\' inside a value is escaped with '\'
esc() { local v=${1//\\/\\\\}; printf '%s' "${v//:/\\:}"; }
props=""
add() { props+="${props:+:}$1=$(esc "$2")"; }
add configFile "${p[ceph.conf]}"
add user "${p[ceph.user]}"
add fileSystemName "${p[ceph.fs.name]}"
add mountRoot "${p[ceph.mount.root]}"
add nodeId "${p[ceph.node.id]}"
add sessionSlots "${p[ceph.session.slots]}"
add sessionTimeoutSeconds "${p[ceph.session.timeout]}"
add recoveryMode "${p[ceph.recovery.mode]}"
add recoveryFallbackToReset "${p[ceph.recovery.fallback]}"
add recoveryTimeoutSeconds "${p[ceph.recovery.timeout]}"
add mountTimeoutSeconds "${p[ceph.mount.timeout]}"
add leaseIntervalMillis "${p[ceph.lease.interval.ms]}"
add operationTimeoutSeconds "${p[ceph.operation.timeout]}"
add takeoverAfterMillis "${p[ceph.takeover.ms]}"
add leaseRetentionSeconds "${p[ceph.lease.retention.s]}"
[[ -n "${p[ceph.mon.host]:-}" ]] && add monHost "${p[ceph.mon.host]}"
[[ -n "${p[ceph.keyring]:-}" ]] && add keyringFile "${p[ceph.keyring]}"
[[ -n "${p[ceph.options]:-}" ]] && add cephOptions "${p[ceph.options]}"

ra=${p[cephfs.ra.name]}
pool=${p[cephfs.pool.name]}
cat <<COMMANDS
create-resource-adapter-config --property $props $ra
deploy --type rar --name $ra ${p[cephfs.rar.file]}
create-connector-connection-pool --raname $ra --connectiondefinition org.cephfsjca.api.CephConnectionFactory --transactionsupport NoTransaction --matchconnections true --steadypoolsize ${p[ceph.pool.min]} --maxpoolsize ${p[ceph.pool.max]} --maxwait ${p[ceph.pool.blocking.ms]} --idletimeout $(( ${p[ceph.pool.idle.minutes]} * 60 )) $pool
create-connector-resource --poolname $pool ${p[cephfs.jndi]}
COMMANDS
printf '%s' "$map_lines"
