#!/bin/bash
# Bench helpers for the indexer comparison (old = main be953f8, new = branch indexer).
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
cd /tmp/idx-bench
J="$JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow"
B="$J -jar /tmp/idx-old/bench/target/parley-bench.jar"
start_server() { # $1 = jar, $2 = data dir, $3 = label, rest: env assignments
  local jar=$1 dir=$2 label=$3; shift 3
  env "$@" PARLEY_NODE_DATA_DIR=$dir PARLEY_GATEWAY_PORT=28080 PARLEY_ADMIN_PORT=29090 PARLEY_DATABASE_EMBEDDED_PORT=25433 \
    nohup $J -Xmx1g -jar $jar --config /tmp/idx-bench/bench-server.yaml > server-$label.log 2>&1 &
  echo $! > server.pid
  until curl -sf localhost:29090/metrics > /dev/null; do sleep 1; done
  echo "$(date +%T) server $label up ($jar $*)"
}
stop_server() { kill $(cat server.pid); while kill -0 $(cat server.pid) 2>/dev/null; do sleep 1; done; }
S8="--server http://127.0.0.1:28080 --metrics http://127.0.0.1:29090/metrics --accounts /tmp/idx-bench/accounts.json \
  --messages 20000 --heavy-messages 5000 --conversations 2000 --seed 14"
