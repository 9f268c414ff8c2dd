#!/bin/bash
# S1 with the search indexer on and off, alternating; server restarted between runs, same data.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
cd /tmp/sbench
J="$JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow"
start_server() { # $1 = true|false
  PARLEY_MSG_SEARCH_INDEXER_ENABLED=$1 PARLEY_NODE_DATA_DIR=/tmp/sbench/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
    nohup $J -Xmx2g -jar /work/wt-sbench/server/target/parley-server.jar --config /work/wt-sbench/bench/bench-server.yaml > server-$2.log 2>&1 &
  echo $! > server.pid
  until curl -sf localhost:19090/metrics > /dev/null; do sleep 1; done
  # wait for a catch-up of the indexer (after an off run) to end: counter still for 5 s
  prev=-1; while true; do v=$(curl -s localhost:19090/metrics | awk '/^parley_search_indexed_entries_total/{print $2}'); [ "$v" = "$prev" ] && break; prev=$v; sleep 5; done
  echo "$(date +%T) server $2 up, indexer-enabled=$1, indexed since start: $v"
}
stop_server() { kill $(cat server.pid); while kill -0 $(cat server.pid) 2>/dev/null; do sleep 1; done; }
run_s1() {
  $J -jar /work/wt-sbench/bench/target/parley-bench.jar s1 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics \
    --accounts accounts.json --server-pid $(cat server.pid) --users 400 --start-rate 400 --step 400 --step-duration 10s \
    --max-rate 1200 --p99-limit 10s --drain 15s --out s1-$1.json > s1-$1.log 2>&1
  echo "$(date +%T) s1 $1 done: $(grep -E 'verdict' s1-$1.log)"; grep -E '^  step' s1-$1.log
}
stop_server
for r in off1 on1 off2 on2; do
  case $r in on*) e=true;; *) e=false;; esac
  start_server $e $r
  run_s1 $r
  stop_server
done
start_server true final
echo ALLDONE
