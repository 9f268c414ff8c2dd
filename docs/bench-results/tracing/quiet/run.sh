#!/bin/bash
# usage: run.sh off|on N
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/check
mode=$1; n=$2
env_extra=()
if [ "$mode" = on ]; then env_extra=(PARLEY_TRACING_EXPORTER=otlp PARLEY_TRACING_OTLP_ENDPOINT=http://127.0.0.1:14318/v1/traces PARLEY_TRACING_SAMPLING_RATIO=1.0); fi
if [ "$mode" = r01 ]; then env_extra=(PARLEY_TRACING_EXPORTER=otlp PARLEY_TRACING_OTLP_ENDPOINT=http://127.0.0.1:14318/v1/traces PARLEY_TRACING_SAMPLING_RATIO=0.01); fi
env "${env_extra[@]}" PARLEY_NODE_DATA_DIR=/tmp/tb/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
  $J -Xmx1g -jar $C/server/target/parley-server.jar --config $C/bench/bench-server.yaml > server-$mode$n.log 2>&1 &
pid=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
if [ ! -f accounts.json ]; then $J -jar $C/bench/target/parley-bench.jar provision --server http://127.0.0.1:18080 --data-dir /tmp/tb/data --users 400 --out accounts.json > prov.log 2>&1; fi
$J -jar $C/bench/target/parley-bench.jar s1 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts accounts.json --users 400 --start-rate 400 --step-duration 10s --step 400 --max-rate 400 > warm-$mode$n.log 2>&1
$J -jar $C/bench/target/parley-bench.jar s1 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts accounts.json --users 400 --start-rate 800 --step 800 --step-duration 15s --max-rate 4000 --p99-limit 1000ms --out s1-$mode$n.json > s1-$mode$n.log 2>&1
kill $pid; wait $pid 2>/dev/null
