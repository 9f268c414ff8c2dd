#!/bin/bash
# One comparison run: $1 label, $2 server jar, rest env (e.g. PARLEY_MSG_SEARCH_INDEXER_THREADS=2).
. /tmp/idx-bench/lib.sh
label=$1 jar=$2; shift 2
rm -rf /tmp/idx-run; cp -a /tmp/idx-template /tmp/idx-run
start_server $jar /tmp/idx-run $label "$@"
echo "$(date +%T) load $(uptime)"
$B s8 $S8 --data-dir /tmp/idx-run --server-pid $(cat server.pid) --searches 50 --search-warmup 10 \
  --probes 100 --background-rate 200 --out s8-$label.json > s8-$label.log 2>&1
echo "$(date +%T) s8 200 done $(uptime)"
$B s8 $S8 --skip-load --no-reindex --data-dir /tmp/idx-run --server-pid $(cat server.pid) --searches 10 --search-warmup 2 \
  --probes 100 --background-rate 400 --out s8-$label-400.json > s8-$label-400.log 2>&1
echo "$(date +%T) s8 400 done $(uptime)"
stop_server
echo "RUN $label DONE"
