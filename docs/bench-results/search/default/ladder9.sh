#!/bin/bash
# ladder9.sh off|on|nogive TAG: the S1 ladder against the S8 data, build /tmp/yl (giving way on by default, 60 s limit)
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
mode=$1; tag=$2
C=${3:-/tmp/yl}; enabled=true
[ "$mode" = nogive ] && export PARLEY_MSG_SEARCH_INDEXER_YIELD_ABOVE=0s
[ "$mode" = off ] && enabled=false
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C $enabled server-$tag.log
t_ready=$(date +%s)
while [ $(( $(date +%s) - t_ready )) -lt 140 ]; do sleep 5; done
B=($J -jar $C/bench/target/parley-bench.jar)
S=(--server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts /tmp/s8/accounts.json --users 400)
"${B[@]}" s1 "${S[@]}" --start-rate 400 --step 400 --step-duration 10s --max-rate 400 > warm-$tag.log 2>&1
"${B[@]}" s1 "${S[@]}" --start-rate 800 --step 400 --step-duration 15s --max-rate 5200 --p99-limit 1000ms --out s1-$tag.json > s1-$tag.log 2>&1
yielded=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexer_yielded_seconds_total' | awk '{print $2}')
# how far the index trailed at the end of the ladder, and how long it took to catch up
t0=$(date +%s); prev=-1; while true; do cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}'); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 3; done
kill $pid; wait $pid 2>/dev/null
echo "$tag $(date +%H:%M) $(grep -h highestRateWithinLimit s1-$tag.json) yielded ${yielded:-none}s caught-up-after $(( $(date +%s) - t0 ))s" >> ladder9.txt
