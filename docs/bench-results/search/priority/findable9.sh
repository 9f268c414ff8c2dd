#!/bin/bash
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/s8duty
export PARLEY_MSG_SEARCH_INDEXER_YIELD_ABOVE=${YIELD:-50ms}
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C true server-findable9.log
for rate in "$@"; do
  $J -jar $C/bench/target/parley-bench.jar s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics \
    --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 20 --search-warmup 5 \
    --probes 100 --background-rate $rate --out s8-findable9-${TAG:-x}-$rate.json > s8-findable9-${TAG:-x}-$rate.log 2>&1
  echo "${TAG:-x} $rate $(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexer_yielded')" >> findable9.txt
done
kill $pid; wait $pid 2>/dev/null
echo donef >> findable9.txt
