#!/bin/bash
# usage: findable.sh RATE… — ack → findable probes (bench s8 --skip-load) under each background
# rate, against the S8 data in /tmp/s8 with the build in /tmp/s8new (the indexer gives way as committed: 50 ms, 1 s).
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/s8new
PARLEY_NODE_DATA_DIR=/tmp/s8/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
  $J -Xmx2g -jar $C/server/target/parley-server.jar --config $C/bench/bench-server.yaml > server-findable.log 2>&1 &
pid=$!
for i in $(seq 1 180); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
prev=-1
while true; do
  cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}')
  [ "$cur" = "$prev" ] && break; prev=$cur; sleep 3
done
for rate in "$@"; do
  $J -jar $C/bench/target/parley-bench.jar s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics \
    --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 20 --search-warmup 5 \
    --probes 100 --background-rate $rate --out s8-findable-$rate.json > s8-findable-$rate.log 2>&1
  echo "$rate $(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexer_yielded')"
done
kill $pid; wait $pid 2>/dev/null
