#!/bin/bash
# find9.sh on|nogive TAG RATE: 100 findable probes (polling that grows with the probe's age) under RATE msg/s, build /tmp/yl
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
mode=$1; tag=$2; rate=$3; C=/tmp/yl; enabled=true
[ "$mode" = nogive ] && export PARLEY_MSG_SEARCH_INDEXER_YIELD_ABOVE=0s
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C $enabled server-$tag.log
B=($J -jar $C/bench/target/parley-bench.jar)
"${B[@]}" s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 130 --search-warmup 13 --probes 100 --background-rate $rate --out s8-$tag.json > s8-$tag.log 2>&1
yielded=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexer_yielded_seconds_total' | awk '{print $2}')
kill $pid; wait $pid 2>/dev/null
echo "$tag $(date +%H:%M) yielded ${yielded:-none}s" >> find9.txt
