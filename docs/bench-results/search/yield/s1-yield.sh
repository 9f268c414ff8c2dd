#!/bin/bash
# usage: s1-yield.sh off|old|new|v3 RUN — S1 ladder against the S8 data (/tmp/s8, see ../full/start.sh):
#   off: indexer disabled (new build); old: indexer on, build before giving way (/tmp/s8build,
#   136c28e); new: indexer on, giving way at a 50 ms average wait, held 1 s (/tmp/s8new, as committed); v3:
#   a trial at a 30 ms average, held 3 s (/tmp/s8v3; not kept). Ports 18080/19090/15433.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
mode=$1; n=$2
C=/tmp/s8new; enabled=true
[ "$mode" = old ] && C=/tmp/s8build
[ "$mode" = v3 ] && C=/tmp/s8v3
[ "$mode" = off ] && enabled=false
. "$(dirname "$0")/server.sh"
start_server $C $enabled server-$mode$n.log
( while kill -0 $pid 2>/dev/null; do echo "T $(date +%s)"; curl -s http://127.0.0.1:19090/metrics | grep -E '^parley_msg_log_(queue_wait|transaction)_seconds_(sum|count)|^parley_search_indexed_entries_total|^parley_search_indexer' ; sleep 2; done ) > scrape-$mode$n.txt 2>/dev/null &
B=($J -jar $C/bench/target/parley-bench.jar)
S=(--server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts /tmp/s8/accounts.json --users 400)
"${B[@]}" s1 "${S[@]}" --start-rate 400 --step 400 --step-duration 10s --max-rate 400 > warm-$mode$n.log 2>&1
"${B[@]}" s1 "${S[@]}" --start-rate 800 --step 400 --step-duration 15s --max-rate 5200 --p99-limit 1000ms --out s1-$mode$n.json > s1-$mode$n.log 2>&1
kill $pid; wait $pid 2>/dev/null
echo "$mode$n $(date +%H:%M) $(grep -h highestRateWithinLimit s1-$mode$n.json)"
