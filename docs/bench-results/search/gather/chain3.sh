#!/bin/bash
# after chain2's fourth ladder: stop chain2, load a fresh S8 million with the gk build, then search
# + findable with the indexer gathering (default 200ms) and not (0s)
set -u
cd /tmp/g
while [ "$(wc -l < ladder8.txt 2>/dev/null || echo 0)" -lt 4 ]; do sleep 10; done
pkill -f '[c]hain2.sh'; sleep 1; pkill -f '[l]adder8.sh'; pkill -f '[p]arley-bench.jar'; pkill -f '[p]arley-server.jar'; sleep 15
mv /tmp/s8 /tmp/s8-old; mkdir -p /tmp/s8; cd /tmp/s8
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; C=/tmp/gk
PARLEY_NODE_DATA_DIR=/tmp/s8/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
  $J -Xmx2g -jar $C/server/target/parley-server.jar --config $C/bench/bench-server.yaml > server-setup.log 2>&1 &
pid=$!
for i in $(seq 1 180); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
B=($J -jar $C/bench/target/parley-bench.jar)
"${B[@]}" provision --server http://127.0.0.1:18080 --data-dir /tmp/s8/data --users 1000 --out accounts.json > provision.log 2>&1
"${B[@]}" s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --accounts accounts.json \
  --server-pid $pid --seed 14 --no-reindex --probes 30 --searches 130 --search-warmup 13 --out s8-load.json > s8-load.log 2>&1
kill $pid; wait $pid
cd /tmp/g
./srch.sh gk2 /tmp/gk
PARLEY_MSG_SEARCH_INDEXER_GATHER=0s ./srch.sh gk2nogather /tmp/gk
./srch.sh gk3 /tmp/gk
echo chain3 done
