#!/bin/bash
# srch.sh TAG JARDIR: S8 search latency (1,300 queries of the mix) and 100 findable probes under 800 msg/s
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
tag=$1; C=$2; enabled=true
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C $enabled server-$tag.log
B=($J -jar $C/bench/target/parley-bench.jar)
"${B[@]}" s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 1300 --search-warmup 130 --probes 100 --background-rate 800 --out s8-$tag.json > s8-$tag.log 2>&1
kill $pid; wait $pid 2>/dev/null
