#!/bin/bash
# ladder.sh off|new|old|yield TAG: an S1 ladder against the S8 data (new: this build, /tmp/s8new3; old: main 579c6b2, /tmp/s8head; yield: new, giving way at 50 ms)
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
mode=$1; tag=$2
C=/tmp/s8new3; enabled=true
[ "$mode" = old ] && C=/tmp/s8head
[ "$mode" = off ] && enabled=false
[ "$mode" = yield ] && export PARLEY_MSG_SEARCH_INDEXER_YIELD_ABOVE=50ms
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C $enabled server-$tag.log
t_ready=$(date +%s)
if [ $enabled = true ]; then
  prev=-1; while true; do cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}'); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 12; done
fi
# S1 has no recalls, but a node scrubs once at its first look (a minute after start) and once more
# a minute later (ContentScrubber), each with an immediate CHECKPOINT: start the ladder after both.
while [ $(( $(date +%s) - t_ready )) -lt 140 ]; do sleep 5; done
B=($J -jar $C/bench/target/parley-bench.jar)
S=(--server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts /tmp/s8/accounts.json --users 400)
"${B[@]}" s1 "${S[@]}" --start-rate 400 --step 400 --step-duration 10s --max-rate 400 > warm-$tag.log 2>&1
"${B[@]}" s1 "${S[@]}" --start-rate 800 --step 400 --step-duration 15s --max-rate 5200 --p99-limit 1000ms --out s1-$tag.json > s1-$tag.log 2>&1
kill $pid; wait $pid 2>/dev/null
echo "$tag $(date +%H:%M) $(grep -h highestRateWithinLimit s1-$tag.json)" >> ladder.txt
