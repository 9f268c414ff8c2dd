#!/bin/bash
# findable7.sh RATE…: ack → findable probes (bench s8 --skip-load) under each background rate, build
# /tmp/s8duty, giving way as a duty cycle at 50 ms (the default of that build once committed)
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/s8duty
export PARLEY_MSG_SEARCH_INDEXER_YIELD_ABOVE=50ms
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C true server-findable7.log
for rate in "$@"; do
  $J -jar $C/bench/target/parley-bench.jar s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics \
    --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 20 --search-warmup 5 \
    --probes 100 --background-rate $rate --out s8-findable7-$rate.json > s8-findable7-$rate.log 2>&1
  echo "$rate $(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexer_yielded')" >> findable7.txt
done
kill $pid; wait $pid 2>/dev/null
echo donef >> findable7.txt
