#!/bin/bash
# fresh S8 database: server (base build), provision 1000 users, load 1M messages, index, stop
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; C=/tmp/base
PARLEY_NODE_DATA_DIR=/tmp/s8/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
  $J -Xmx2g -jar $C/server/target/parley-server.jar --config $C/bench/bench-server.yaml > server-setup.log 2>&1 &
pid=$!
for i in $(seq 1 180); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
B=($J -jar $C/bench/target/parley-bench.jar)
date; "${B[@]}" provision --server http://127.0.0.1:18080 --data-dir /tmp/s8/data --users 1000 --out accounts.json > provision.log 2>&1
date; "${B[@]}" s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --accounts accounts.json \
  --server-pid $pid --seed 14 --no-reindex --probes 30 --searches 130 --search-warmup 13 --out s8-load.json > s8-load.log 2>&1
date; kill $pid; wait $pid; echo done
