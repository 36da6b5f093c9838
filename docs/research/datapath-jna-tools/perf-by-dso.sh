#!/bin/bash
# agg.sh DATA TID [sym]: self samples per dso (or dso+sym) of the top frame, one thread
perf script -i "$1" --tid "$2" -F tid,ip,sym,dso 2>/dev/null | awk -v bysym="$3" '
  /^[0-9]+ *$/ {top=1; n++; next}
  top==1 && NF>0 { d=$NF; gsub(/[()]/,"",d); sub(/.*\//,"",d); k=d; if (bysym!="") { s=$0; sub(/^[ \t]*[0-9a-f]+ /,"",s); sub(/ \([^)]*\)$/,"",s); k=d " " substr(s,1,90)}; c[k]++; top=0; next }
  END { for (k in c) printf "%6.2f%% %s\n", 100*c[k]/n, k; print n " samples" }' | sort -rn | head -${4:-15}
