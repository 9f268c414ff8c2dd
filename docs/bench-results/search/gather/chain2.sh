#!/bin/bash
set -u
cd /tmp/g
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
. /work/main/docs/bench-results/search/yield/server.sh
# reindex the S8 data with the gk build (whole-word tokens again, prefixes 2/3/4/6)
start_server /tmp/gk true server-reindex.log
t0=$(date +%s)
curl -s -X POST http://127.0.0.1:19090/search/reindex; echo
sleep 5
prev=-1; while true; do cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}'); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 5; done
echo "reindex: $cur entries, $(( $(date +%s) - t0 )) s" 
kill $pid; wait $pid
./srch.sh gk1 /tmp/gk
./profile.sh on gk-1600 1600 /tmp/gk
./profile.sh off off-1600 1600 /tmp/gk
for r in A B C; do
  ./ladder8.sh off off$r /tmp/gk
  ./ladder8.sh on gk$r /tmp/gk
done
echo chain2 done
