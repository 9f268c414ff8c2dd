#!/usr/bin/env bash
# A whole Parley cluster on one machine, for trying cluster mode and for failure experiments:
#   PostgreSQL (embedded, as its own process), Redis (Debian's redis-server, installed if missing),
#   a Kafka KRaft broker (from Maven artifacts), an S3 server (s3proxy, as its own process), 2 gateways,
#   2 msg instances (which host the file service), 1 user, 1 push.
#
#   scripts/cluster-local.sh start     build if needed, start everything, wait until healthy
#   scripts/cluster-local.sh status    what runs where
#   scripts/cluster-local.sh stop      stop everything (SIGTERM, then SIGKILL after 30 s)
#   scripts/cluster-local.sh kill NAME SIGKILL one process (e.g. gateway-1, msg-2) to watch failover
#   scripts/cluster-local.sh start NAME  start one stopped process again (its log is appended to)
#   scripts/cluster-local.sh rolling-restart  restart every Parley process in turn (an upgrade without downtime)
#
# State, logs and pid files live in $CLUSTER_DIR (default ./cluster-data). CLUSTER_CONFIG=FILE gives
# every Parley process that configuration file too (the environment set here still wins), e.g.
# CLUSTER_CONFIG=bench/bench-server.yaml for load tests (see docs/benchmarks.md). CLUSTER_GATEWAYS=N
# runs N gateways instead of 2 (HTTP ports 8080, 8081, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=${CLUSTER_DIR:-$ROOT/cluster-data}
mkdir -p "$DIR/logs" "$DIR/pids"

# Ports. Everything binds to 127.0.0.1 except the gateways' public ports (0.0.0.0 by default).
PG_PORT=15432; REDIS_PORT=16379; KAFKA_PORT=19092; KAFKA_CONTROLLER_PORT=19093; S3_PORT=19000
declare -A HTTP_PORT=([gateway-1]=8080 [gateway-2]=8081)
declare -A GRPC_PORT=([gateway-1]=9001 [gateway-2]=9002 [user-1]=9101 [msg-1]=9201 [msg-2]=9202 [push-1]=9301)
declare -A ADMIN_PORT=([user-1]=9191 [msg-1]=9291 [msg-2]=9292 [push-1]=9391)
# CLUSTER_GATEWAYS=N runs gateway-1..N (default 2) on HTTP ports 8080.., gRPC ports 9001.. and admin
# ports (/metrics) 9091..
GATEWAYS=${CLUSTER_GATEWAYS:-2}
NODES=(user-1 msg-1 msg-2 push-1)
for i in $(seq 1 "$GATEWAYS"); do
  HTTP_PORT[gateway-$i]=$((8079 + i)); GRPC_PORT[gateway-$i]=$((9000 + i)); ADMIN_PORT[gateway-$i]=$((9090 + i))
  NODES+=("gateway-$i")
done

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then return; fi
  for d in /usr/lib/jvm/*; do
    if [ -x "$d/bin/java" ] && [ "$(java_major "$d/bin/java")" -ge 21 ]; then export JAVA_HOME=$d; return; fi
  done
  echo "A JDK 21 or newer is needed (set JAVA_HOME)." >&2; exit 1
}

JAR=$ROOT/server/target/parley-server.jar
build() {
  if [ ! -f "$JAR" ] || [ ! -f "$DIR/kafka.classpath" ]; then
    echo "Building (first run takes a few minutes)..."
    ./mvnw -q -B -Dmaven.test.skip=true -pl server,testkit -am install
    ./mvnw -q -B -pl testkit org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.outputFile="$DIR/kafka.classpath"
  fi
}

alive() { [ -f "$DIR/pids/$1.pid" ] && kill -0 "$(cat "$DIR/pids/$1.pid")" 2>/dev/null; }

launch() { # name, command...
  local name=$1; shift
  if alive "$name"; then echo "$name already runs (pid $(cat "$DIR/pids/$name.pid"))"; return; fi
  # Append, never truncate: the log of a crashed process is what an operator reads after a restart.
  echo "===== $(date -u +%Y-%m-%dT%H:%M:%SZ) cluster-local.sh starts $name =====" >> "$DIR/logs/$name.log"
  nohup "$@" >> "$DIR/logs/$name.log" 2>&1 &
  echo $! > "$DIR/pids/$name.pid"
}

wait_http() { # name, url
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "$2"; then return 0; fi
    if ! alive "$1"; then echo "$1 died; see $DIR/logs/$1.log" >&2; tail -n 20 "$DIR/logs/$1.log" >&2; exit 1; fi
    sleep 1
  done
  echo "$1 not healthy after 120 s; see $DIR/logs/$1.log" >&2; exit 1
}

current_run() { # name: the log lines written since the last start marker
  tac "$DIR/logs/$1.log" 2>/dev/null | sed "/^===== .* starts $1 =====\$/q"
}

wait_log() { # name, pattern
  for _ in $(seq 1 120); do
    if current_run "$1" | grep "$2" > /dev/null; then return 0; fi
    if ! alive "$1"; then echo "$1 died; see $DIR/logs/$1.log" >&2; tail -n 20 "$DIR/logs/$1.log" >&2; exit 1; fi
    sleep 1
  done
  echo "$1 not ready after 120 s; see $DIR/logs/$1.log" >&2; exit 1
}

secrets() {
  # The same keys on every instance; generated once (never commit them).
  if [ ! -f "$DIR/secrets.env" ]; then
    umask 077
    {
      echo "PARLEY_USER_TOKEN_KEY=$(head -c 32 /dev/urandom | base64)"
      echo "PARLEY_MSG_CONTENT_KEYS_1=$(head -c 32 /dev/urandom | base64)"
    } > "$DIR/secrets.env"
  fi
  set -a; . "$DIR/secrets.env"; set +a
}

start_postgres() {
  launch postgres "$JAVA_HOME/bin/java" -cp "$JAR" dev.parley.server.tools.PostgresMain "$DIR/postgres" "$DIR/keys" "$PG_PORT"
  wait_log postgres "PostgreSQL ready"
}

start_redis() {
  if ! command -v redis-server >/dev/null; then
    echo "Installing redis-server from Debian..."
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q redis-server >/dev/null; else sudo apt-get install -y -q redis-server >/dev/null; fi
  fi
  launch redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
  wait_log redis "Ready to accept connections"
}

start_kafka() {
  launch kafka "$JAVA_HOME/bin/java" -cp "$(cat "$DIR/kafka.classpath"):$ROOT/testkit/target/classes" \
    dev.parley.testkit.KafkaBroker --dir "$DIR/kafka" --port "$KAFKA_PORT" --controller-port "$KAFKA_CONTROLLER_PORT"
  wait_log kafka "bootstrap.servers="
}

start_s3() {
  launch s3 "$JAVA_HOME/bin/java" -cp "$JAR" dev.parley.server.tools.S3Main "$DIR/objects" "$DIR/keys" "$S3_PORT"
  wait_log s3 "S3 ready"
}

start_node() { # name
  local name=$1 role=${1%-*}
  secrets
  local env=(
    PARLEY_NODE_ROLE="$role" PARLEY_NODE_INSTANCE_ID="$name" PARLEY_NODE_DATA_DIR="$DIR/data/$name"
    PARLEY_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" PARLEY_DATABASE_POOL_SIZE=8
    PARLEY_DATABASE_USER=parley PARLEY_DATABASE_PASSWORD="$(cat "$DIR/keys/postgres-app.password")"
    PARLEY_CLUSTER_REDIS_URI="redis://127.0.0.1:$REDIS_PORT"
    PARLEY_CLUSTER_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
    PARLEY_CLUSTER_USER_SERVICE="static:///127.0.0.1:${GRPC_PORT[user-1]}"
    PARLEY_CLUSTER_MSG_SERVICE="static:///127.0.0.1:${GRPC_PORT[msg-1]},127.0.0.1:${GRPC_PORT[msg-2]}"
    PARLEY_CLUSTER_GRPC_PORT="${GRPC_PORT[$name]}"
    PARLEY_ADMIN_PORT="${ADMIN_PORT[$name]:-0}"
    PARLEY_GATEWAY_PORT="${HTTP_PORT[$name]:-0}"
  )
  local args=()
  if [ -n "${CLUSTER_CONFIG:-}" ]; then args=(--config "$(readlink -f "$CLUSTER_CONFIG")"); fi
  # The msg instances host the file service: they get the S3 server's address and credentials.
  if [ "$role" = msg ] && [ -f "$DIR/keys/s3.env" ]; then
    while IFS= read -r line; do [ -n "$line" ] && env+=("$line"); done < "$DIR/keys/s3.env"
  fi
  launch "$name" env "${env[@]}" "$JAVA_HOME/bin/java" -Xmx384m -jar "$JAR" "${args[@]}"
}

health_url() { # name
  case $1 in
    gateway-*) echo "http://127.0.0.1:${HTTP_PORT[$1]}/readyz" ;;
    postgres|redis|kafka|s3) echo "" ;;
    *) echo "http://127.0.0.1:${ADMIN_PORT[$1]}/readyz" ;;
  esac
}

start_all() {
  pick_jdk; build
  start_postgres; start_redis; start_kafka; start_s3
  # user and msg first: they migrate the schemas; then the rest.
  for n in "${NODES[@]}"; do start_node "$n"; done
  for n in "${NODES[@]}"; do wait_http "$n" "$(health_url "$n")"; done
  status
  echo
  echo "Clients: http://127.0.0.1:8080 and http://127.0.0.1:8081, e.g."
  echo "  ./parley cli --server http://127.0.0.1:8081 code alice@example.com"
  echo "  (codes are logged by the user instance: grep 'Verification code' $DIR/logs/user-1.log)"
}

stop_one() {
  local name=$1
  alive "$name" || { rm -f "$DIR/pids/$name.pid"; return; }
  local pid; pid=$(cat "$DIR/pids/$name.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$DIR/pids/$name.pid"
  echo "stopped $name"
}

stop_all() {
  # Every gateway that has a pid file (however many CLUSTER_GATEWAYS started), then the rest.
  local gateways=()
  for f in "$DIR"/pids/gateway-*.pid; do [ -e "$f" ] && gateways+=("$(basename "$f" .pid)"); done
  for n in "${gateways[@]}" push-1 msg-2 msg-1 user-1 s3 kafka redis postgres; do stop_one "$n"; done
}

rolling_restart() {
  # What an upgrade looks like: each Parley process in turn is stopped with SIGTERM (a gateway drains:
  # go_away to its clients, who reconnect to another gateway) and started again from the jar as it is now;
  # the next one goes only when this one is ready again, plus ROLLING_PAUSE seconds (default 5) for
  # clients to settle. Gateways first, then msg, user, push. Every process must be running (checked
  # first), so that a role with two instances always has one serving; pass the CLUSTER_GATEWAYS and
  # CLUSTER_CONFIG the cluster was started with.
  pick_jdk
  local order=() n
  for n in "${NODES[@]}"; do case $n in gateway-*) order+=("$n") ;; esac; done
  order+=(msg-1 msg-2 user-1 push-1)
  for n in "${order[@]}"; do alive "$n" || { echo "$n is not running; start the cluster first" >&2; exit 1; }; done
  for n in "${order[@]}"; do
    local t0=$SECONDS
    stop_one "$n"
    start_node "$n"
    wait_http "$n" "$(health_url "$n")"
    echo "$n ready again after $((SECONDS - t0)) s"
    sleep "${ROLLING_PAUSE:-5}"
  done
  status
}

status() {
  printf '%-10s %-8s %-7s %s\n' NAME PID STATE ENDPOINTS
  for n in postgres redis kafka s3 "${NODES[@]}"; do
    local pid="-" state="stopped" url; url=$(health_url "$n")
    if alive "$n"; then
      pid=$(cat "$DIR/pids/$n.pid"); state="running"
      if [ -n "$url" ]; then curl -sf -o /dev/null "$url" && state="ready" || state="starting"; fi
    fi
    local ends=""
    case $n in
      postgres) ends="127.0.0.1:$PG_PORT" ;;
      redis) ends="127.0.0.1:$REDIS_PORT" ;;
      kafka) ends="127.0.0.1:$KAFKA_PORT" ;;
      s3) ends="http://127.0.0.1:$S3_PORT" ;;
      gateway-*) ends="http://127.0.0.1:${HTTP_PORT[$n]} grpc:${GRPC_PORT[$n]} admin:${ADMIN_PORT[$n]}" ;;
      *) ends="grpc:${GRPC_PORT[$n]} admin:${ADMIN_PORT[$n]}" ;;
    esac
    printf '%-10s %-8s %-7s %s  (log: %s)\n' "$n" "$pid" "$state" "$ends" "$DIR/logs/$n.log"
  done
}

case "${1:-}" in
  start)
    if [ -n "${2:-}" ]; then
      pick_jdk
      case $2 in postgres) start_postgres ;; redis) start_redis ;; kafka) start_kafka ;; s3) start_s3 ;; *) start_node "$2"; wait_http "$2" "$(health_url "$2")" ;; esac
    else
      start_all
    fi ;;
  stop) if [ -n "${2:-}" ]; then stop_one "$2"; else stop_all; fi ;;
  kill)
    [ -n "${2:-}" ] && alive "$2" || { echo "usage: $0 kill NAME (a running process)"; exit 2; }
    kill -KILL "$(cat "$DIR/pids/$2.pid")"; rm -f "$DIR/pids/$2.pid"; echo "killed $2" ;;
  status) status ;;
  rolling-restart) rolling_restart ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
