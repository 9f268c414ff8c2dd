#!/usr/bin/env bash
# S4 at scale: many authenticated connections over several gateways and several load-generator
# processes on this one machine, then a one-to-one and group load on top (docs/benchmarks.md,
# "S4 at scale"). Defaults: 6 gateways x 16,700 connections = 100,200.
#
#   scripts/bench-100k.sh                        the whole run (about 15 minutes on 2 cores)
#   GATEWAYS=2 PER_GATEWAY=500 scripts/bench-100k.sh   a small rehearsal
#
# Each process stays under the per-process open-file limit (20,000 here), so the connections are
# spread over GATEWAYS gateways and as many generators, bound to 127.0.0.1..127.0.0.8 (one source
# address gives ~28,000 ephemeral ports, shared by every process). Steps:
#   1. start a cluster (scripts/cluster-local.sh, bench configuration), provision accounts;
#   2. read each gateway's live heap after a full GC (jcmd), then open the connections, sampling
#      the authenticated count every 5 s (the ramp);
#   3. when all are open: heap again (memory per connection), then S5 (LOAD_RATE msg/s, 3 minutes)
#      and a 600-connection ping probe at the same time;
#   4. stop everything (KEEP_CLUSTER=1 keeps the cluster). Results in $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. ./scripts/pick-jdk.sh
pick_jdk

GATEWAYS=${GATEWAYS:-6}
PER_GATEWAY=${PER_GATEWAY:-16700}
LOAD_RATE=${LOAD_RATE:-20}
LOAD_DURATION=${LOAD_DURATION:-3m}
RAMP_TIMEOUT=${RAMP_TIMEOUT:-900}
OUT=${OUT:-$ROOT/bench-100k-$(date -u +%Y%m%d-%H%M%S)}
export CLUSTER_GATEWAYS=$GATEWAYS CLUSTER_CONFIG=bench/bench-server.yaml
export CLUSTER_DIR=${CLUSTER_DIR:-/tmp/parley-bench-100k}
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((PER_GATEWAY + 1000)) ]; then
  echo "PER_GATEWAY=$PER_GATEWAY needs more open files than this shell may have ($(ulimit -n))" >&2; exit 2
fi

BENCH=("$ROOT/parley" bench)
generators=()
cleanup() {
  for p in "${generators[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null || true
  if [ -z "${KEEP_CLUSTER:-}" ]; then scripts/cluster-local.sh stop > /dev/null 2>&1 || true; fi
}
trap cleanup EXIT

gateway_pid() { cat "$CLUSTER_DIR/pids/gateway-$1.pid"; }
admin() { echo "http://127.0.0.1:$((9090 + $1))"; }
authenticated() { # gateway number -> its authenticated connections
  curl -s -m 2 "$(admin "$1")/metrics" | awk '/^parley_gateway_connections\{.*authenticated/ {printf "%d", $2}'
}
total_authenticated() {
  local t=0 n
  for i in $(seq 1 "$GATEWAYS"); do n=$(authenticated "$i"); t=$((t + ${n:-0})); done
  echo "$t"
}
heap_kb() { # gateway number -> live heap in KB after a full GC, and RSS in KB
  local pid; pid=$(gateway_pid "$1")
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run > /dev/null
  echo "$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info | grep -o 'used [0-9]*K' | head -n 1 | tr -dc 0-9)" \
    "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
}

# Build the bench now if its sources changed: a rebuild started by one of the many bench processes
# below would race the others.
"${BENCH[@]}" help > /dev/null
echo "== cluster with $GATEWAYS gateways ($CLUSTER_DIR); results in $OUT"
scripts/cluster-local.sh start | tail -n 1
codes="--data-dir $CLUSTER_DIR/data/user-1"
"${BENCH[@]}" provision --server http://127.0.0.1:8080 $codes --users 1000 --out "$OUT/acc-load.json" | tail -n 1
for i in $(seq 1 $((GATEWAYS + 1))); do
  "${BENCH[@]}" provision --server http://127.0.0.1:8080 $codes --users 200 --prefix "g$i" --out "$OUT/acc-g$i.json" | tail -n 1
done

for i in $(seq 1 "$GATEWAYS"); do echo "gateway-$i $(heap_kb "$i")"; done > "$OUT/heap-idle.txt"

echo "== opening $((GATEWAYS * PER_GATEWAY)) connections"
( while true; do echo "$(date +%s) $(total_authenticated) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done ) > "$OUT/ramp.log" &
sampler=$!
for i in $(seq 1 "$GATEWAYS"); do
  BENCH_JAVA_OPTS=-Xmx1g "${BENCH[@]}" s4 --server "http://127.0.0.1:$((8079 + i))" --accounts "$OUT/acc-g$i.json" \
    --connections "$PER_GATEWAY" --hold 60m --ping-rate 10 --threads 1 --source-addresses 8 \
    --metrics "$(admin "$i")/metrics" --server-pid "$(gateway_pid "$i")" --out "$OUT/s4-g$i.json" > "$OUT/s4-g$i.log" 2>&1 &
  generators+=($!)
done
start=$(date +%s); target=$((GATEWAYS * PER_GATEWAY))
# A few connections may be closed by the 10 s authentication deadline when the machine is saturated.
while [ "$(total_authenticated)" -lt $((target - target / 1000)) ]; do
  if [ $(($(date +%s) - start)) -gt "$RAMP_TIMEOUT" ]; then echo "not all open after $RAMP_TIMEOUT s" >&2; exit 1; fi
  sleep 5
done
ramp=$(($(date +%s) - start)); open=$(total_authenticated)
echo "== $open open after $ramp s ($((open / (ramp > 0 ? ramp : 1)))/s, including the generators' start)"

for i in $(seq 1 "$GATEWAYS"); do echo "gateway-$i $(heap_kb "$i") $(authenticated "$i")"; done > "$OUT/heap-full.txt"
paste -d' ' "$OUT/heap-idle.txt" "$OUT/heap-full.txt" |
  awk '{printf "%s: %.2f KB heap, %.2f KB RSS per connection\n", $1, ($5-$2)/$7, ($6-$3)/$7}' | tee "$OUT/memory.txt"

echo "== load on top: S5 at $LOAD_RATE msg/s for $LOAD_DURATION, and a ping probe"
"${BENCH[@]}" s5 --server http://127.0.0.1:8080 --accounts "$OUT/acc-load.json" --users 1000 \
  --duration "$LOAD_DURATION" --rate "$LOAD_RATE" --source-addresses 8 --metrics "$(admin 1)/metrics" \
  --out "$OUT/s5-on-top.json" > "$OUT/s5.log" 2>&1 &
load=$!
probe_gateway=$((GATEWAYS > 1 ? 2 : 1))
"${BENCH[@]}" s4 --server "http://127.0.0.1:$((8079 + probe_gateway))" --accounts "$OUT/acc-g$((GATEWAYS + 1)).json" \
  --connections 600 --hold 150s --ping-rate 100 --source-addresses 8 --metrics "$(admin "$probe_gateway")/metrics" \
  --out "$OUT/s4-probe.json" > "$OUT/probe.log" 2>&1 || true
wait "$load" || true
grep -h -E '^verdict|FAILED|connections=' "$OUT/s5.log" "$OUT/probe.log" || true
for result in s5-on-top s4-probe; do
  if [ ! -f "$OUT/$result.json" ]; then echo "$result did not run: see $OUT/${result%-*}*.log" >&2; exit 1; fi
done
echo "== done: $OUT"
