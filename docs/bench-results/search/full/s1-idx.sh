#!/bin/bash
# usage: s1-idx.sh on|off N — S1 ladder against the S8 data with the search indexer on or off
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/s8build
mode=$1; n=$2
enabled=true; [ "$mode" = off ] && enabled=false
PARLEY_MSG_SEARCH_INDEXER_ENABLED=$enabled PARLEY_NODE_DATA_DIR=/tmp/s8/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
  $J -Xmx2g -jar $C/server/target/parley-server.jar --config $C/bench/bench-server.yaml > server-s1-$mode$n.log 2>&1 &
pid=$!
for i in $(seq 1 180); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
# an "on" server first indexes what the "off" run before it sent: wait until its counter stands still
prev=-1
while true; do
  cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}')
  [ "$cur" = "$prev" ] && break; prev=$cur; sleep 3
done
B=($J -jar $C/bench/target/parley-bench.jar)
S=(--server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts accounts.json --users 400)
"${B[@]}" s1 "${S[@]}" --start-rate 400 --step 400 --step-duration 10s --max-rate 400 > warm-s1-$mode$n.log 2>&1
"${B[@]}" s1 "${S[@]}" --start-rate 800 --step 800 --step-duration 15s --max-rate 5600 --p99-limit 1000ms --out s1-idx-$mode$n.json > s1-idx-$mode$n.log 2>&1
kill $pid; wait $pid 2>/dev/null
echo "$mode$n $(grep -h highestRateWithinLimit s1-idx-$mode$n.json)"
