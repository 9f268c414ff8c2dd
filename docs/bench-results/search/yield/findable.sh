#!/bin/bash
# usage: findable.sh RATE… — ack → findable probes (bench s8 --skip-load) under each background
# rate, against the S8 data in /tmp/s8 with the build in /tmp/s8new (the indexer gives way as committed: 50 ms, 1 s).
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/s8new
. "$(dirname "$0")/server.sh"
start_server $C true server-findable.log
for rate in "$@"; do
  $J -jar $C/bench/target/parley-bench.jar s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics \
    --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 20 --search-warmup 5 \
    --probes 100 --background-rate $rate --out s8-findable-$rate.json > s8-findable-$rate.log 2>&1
  echo "$rate $(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexer_yielded')"
done
kill $pid; wait $pid 2>/dev/null
