#!/bin/bash
# The saturation ladder of docs/benchmarks.md "Tracing overhead" for any build:
#   ladder.sh CHECKOUT MODE RUN        MODE: off | r1 (sampling 1.0) | r001 (sampling 0.01)
# CHECKOUT is a built clone (./mvnw -o -q -B package -DskipTests -DskipFuzz -DskipImageTar): its
# server/target/parley-server.jar and bench/target/parley-bench.jar run. Start the sink first:
#   python3 bench/otlp-sink.py 34318 &
# Writes s1-<label>-<MODE><RUN>.json (label: the checkout's short commit) in the current directory.
# Alternate the modes and builds (off, r1, r001, off, ...): a quiet machine drifts too.
# START, STEP, MAX (msg/s) set the ladder (default 800, 800, 4000); INDEXER=false turns the search
# indexer off, so that its catching up on earlier runs does not add noise.
set -u
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
C=$1; mode=$2; n=$3
label=$(git -C "$C" rev-parse --short HEAD 2>/dev/null || basename "$C")
DATA=${DATA:-/tmp/tp-ladder-data}
. "$(dirname "$0")/../tracing-env.sh"
tag=$label-$mode$n
START=${START:-800}; STEP=${STEP:-800}; MAX=${MAX:-4000}
env "${env_extra[@]}" PARLEY_MSG_SEARCH_INDEXER_ENABLED=${INDEXER:-true} PARLEY_NODE_DATA_DIR=$DATA PARLEY_GATEWAY_PORT=38080 PARLEY_ADMIN_PORT=39090 \
  PARLEY_DATABASE_EMBEDDED_PORT=35433 \
  "$J" -Xmx1g -jar "$C/server/target/parley-server.jar" --config "$C/bench/bench-server.yaml" > server-$tag.log 2>&1 &
pid=$!
for _ in $(seq 1 180); do curl -sf http://127.0.0.1:39090/readyz > /dev/null 2>&1 && break; sleep 1; done
B=("$J" -jar "$C/bench/target/parley-bench.jar")
S=(--server http://127.0.0.1:38080 --metrics http://127.0.0.1:39090/metrics --server-pid $pid
  --accounts accounts.json --data-dir $DATA --users 400)
[ -f accounts.json ] || "${B[@]}" provision --server http://127.0.0.1:38080 --data-dir $DATA \
  --users 400 --out accounts.json > provision.log 2>&1
"${B[@]}" s1 "${S[@]}" --start-rate 400 --step 400 --step-duration 10s --max-rate 400 \
  > warm-$tag.log 2>&1
"${B[@]}" s1 "${S[@]}" --start-rate $START --step $STEP --step-duration 15s --max-rate $MAX \
  --p99-limit 1000ms --out s1-$tag.json > s1-$tag.log 2>&1
kill $pid; wait $pid 2> /dev/null
grep -h "highestRateWithinLimit" s1-$tag.json
