#!/usr/bin/env bash
# Evicts the MDS sessions whose client process (client_metadata.pid, same machine) no longer exists: what a killed
# experiment leaves behind. Their caps would block other clients in the same directories until the session times out.
set -euo pipefail
ids=$(timeout 30 ceph tell mds.* session ls 2>/dev/null | /usr/bin/python3 -c '
import json, os, sys
text = sys.stdin.read()
for s in (json.loads(text) if text.strip() else []):
    pid = s.get("client_metadata", {}).get("pid")
    if pid and not os.path.exists("/proc/%s" % pid):
        print(s["id"])' || true)
for id in $ids; do timeout 20 ceph tell mds.* client evict id="$id" >/dev/null 2>&1 || true; echo "evicted session $id"; done
