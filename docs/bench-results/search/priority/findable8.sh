#!/bin/bash
# findable8.sh RATE…: as findable7.sh, after an ANALYZE of msg.search_docs (its statistics were gone after unlog.sh rewrote it)
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/s8duty
export PARLEY_MSG_SEARCH_INDEXER_YIELD_ABOVE=50ms
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C true server-findable8.log
PGPASSWORD=$(cat /tmp/s8/data/keys/postgres-superuser.password) psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres -c "select relpages, reltuples from pg_class where relname='search_docs'" -c "ANALYZE msg.search_docs" -c "select relpages, reltuples from pg_class where relname='search_docs'" >> findable8.txt 2>&1
for rate in "$@"; do
  $J -jar $C/bench/target/parley-bench.jar s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics \
    --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 20 --search-warmup 5 \
    --probes 100 --background-rate $rate --out s8-findable8-$rate.json > s8-findable8-$rate.log 2>&1
  echo "$rate $(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexer_yielded')" >> findable8.txt
done
kill $pid; wait $pid 2>/dev/null
echo donef >> findable8.txt
