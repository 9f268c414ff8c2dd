#!/bin/bash
# usage: start.sh JARDIR  (starts the S8 server on /tmp/s8/data, ports 18080/19090/15433)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=$1
PARLEY_NODE_DATA_DIR=/tmp/s8/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
  $J -Xmx2g -jar $C/server/target/parley-server.jar --config $C/bench/bench-server.yaml > /tmp/s8/server-$(date +%H%M).log 2>&1 &
echo $! > /tmp/s8/server.pid
for i in $(seq 1 180); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
