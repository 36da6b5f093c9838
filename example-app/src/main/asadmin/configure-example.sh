#!/usr/bin/env bash
# cephfs-jca example app on Payara (Micro or Server): writes the asadmin commands of the app's server settings to
# stdout (what rar/src/main/asadmin/configure-adapter.sh writes is the adapter's part; the WildFly counterpart is
# example-app/src/main/cli/configure-example.cli plus bin/add-user.sh -a).
#
#   example-app/src/main/asadmin/configure-example.sh USERS_FILE PASSWORD_DIR > example.asadmin
#
# USERS_FILE: one user a line, "name groups password" (groups comma-separated among reader, editor, admin; the
# password is the rest of the line). The app signs its users in with HTTP Basic against the server's default
# realm, the file realm: each user is made with create-file-user, whose password asadmin reads from a password file
# (AS_ADMIN_USERPASSWORD=...): the script writes one per user into PASSWORD_DIR (mode 600), so that no password is
# on a command line. glassfish-web.xml maps the roles to the groups of the same names.
# The HTTP listener is bound to 127.0.0.1 by a pre-boot command (see docs/payara.md): this script only covers what
# the post-boot commands can do.
set -euo pipefail
if [[ $# -ne 2 || ! -r "$1" ]]; then
  echo "usage: configure-example.sh USERS_FILE PASSWORD_DIR > example.asadmin" >&2
  exit 2
fi
users=$1
dir=$2
mkdir -p "$dir"
chmod 700 "$dir"
while read -r name groups password; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [[ ! "$name" =~ ^[A-Za-z0-9._-]+$ || ! "$groups" =~ ^[a-z,]+$ || -z "$password" ]]; then
    echo "configure-example.sh: bad line for user '$name' in $users (name groups password)" >&2
    exit 2
  fi
  pw="$dir/$name.pw"
  (umask 077; printf 'AS_ADMIN_USERPASSWORD=%s\n' "$password" > "$pw")
  echo "create-file-user --groups ${groups//,/:} --passwordfile $pw $name"
done < "$users"
