#!/bin/bash
# Server CPU per message at a fixed rate (docs/benchmarks.md "Tracing overhead", CPU per message):
#   measure.sh CHECKOUT MODE TAG        MODE: off | r1 (sampling 1.0) | r001 (sampling 0.01)
# Starts the server of a built CHECKOUT, runs bench S1 at $RATE msg/s (600) for 40 s of warm-up,
# then $DUR s (40) measured, and appends to results.txt the server's CPU seconds (utime+stime from
# /proc) over the measured step, with and without the JIT compiler and search-indexer threads
# (the noisiest: still compiling, catching up), and the whole machine's busy CPU (/proc/stat: the
# server, PostgreSQL, the bench and the sink). thr0/thr1-TAG.txt hold the per-thread ticks.
# INDEXER=false turns the search indexer off (its PostgreSQL work would count in the machine's CPU).
# Needs the sink: python3 bench/otlp-sink.py 34318 & echo $! > sink.pid
set -u
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
C=$1; mode=$2; tag=$3
RATE=${RATE:-600}; DUR=${DUR:-40}; DATA=${DATA:-/tmp/tp-data}
. "$(dirname "$0")/../tracing-env.sh"
env "${env_extra[@]}" PARLEY_MSG_SEARCH_INDEXER_ENABLED=${INDEXER:-true} PARLEY_NODE_DATA_DIR=$DATA PARLEY_GATEWAY_PORT=38080 PARLEY_ADMIN_PORT=39090 \
  PARLEY_DATABASE_EMBEDDED_PORT=35433 \
  "$J" -Xmx1g ${JFR:+-XX:StartFlightRecording=filename=$tag.jfr,settings=profile,delay=45s,duration=${DUR}s} \
  -jar "$C/server/target/parley-server.jar" --config "$C/bench/bench-server.yaml" > server-$tag.log 2>&1 &
pid=$!
for _ in $(seq 1 180); do curl -sf http://127.0.0.1:39090/readyz > /dev/null 2>&1 && break; sleep 1; done
B=("$J" -jar "$C/bench/target/parley-bench.jar")
S=(--server http://127.0.0.1:38080 --metrics http://127.0.0.1:39090/metrics --server-pid $pid
  --accounts accounts.json --data-dir $DATA --users 400 --start-rate $RATE --max-rate $RATE
  --p99-limit 10s)
[ -f accounts.json ] || "${B[@]}" provision --server http://127.0.0.1:38080 --data-dir $DATA \
  --users 400 --out accounts.json > provision.log 2>&1
"${B[@]}" s1 "${S[@]}" --step-duration 40s --out warm-$tag.json > warm-$tag.log 2>&1
threads() { # ticks per thread name (digits dropped: a pool is one row)
  for t in /proc/$1/task/*; do
    echo "$(tr -d '0-9' < $t/comm 2> /dev/null | tr ' ' '_') $(sed 's/.*) //' $t/stat 2> /dev/null | awk '{print $12+$13}')"
  done | awk 'NF == 2 {a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
machine() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; } # busy ticks, all cores, all processes
s0=$(cpu $pid); m0=$(machine); threads $pid > thr0-$tag.txt
"${B[@]}" s1 "${S[@]}" --step-duration ${DUR}s --drain 5s --out s1-$tag.json > s1-$tag.log 2>&1
s1=$(cpu $pid); m1=$(machine); threads $pid > thr1-$tag.txt
kill $pid; wait $pid 2> /dev/null
python3 - "$tag" "$mode" "$s0" "$s1" "$(getconf CLK_TCK)" "$m0" "$m1" >> results.txt << 'PY'
import json, sys
tag, mode, s0, s1, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
m0, m1 = int(sys.argv[6]), int(sys.argv[7])
load = lambda f: {l.split()[0]: int(l.split()[1]) for l in open(f) if l.strip()}
a, b = load(f"thr0-{tag}.txt"), load(f"thr1-{tag}.txt")
noisy = sum(b[k] - a.get(k, 0) for k in b if k.startswith(("C_Compiler", "search-indexer")))
sent = sum(p["sent"] for p in json.load(open(f"s1-{tag}.json"))["phases"])
print(f"{tag} mode={mode} sent={sent} server_cpu_s={(s1 - s0) / hz:.2f} "
      f"us_per_msg={(s1 - s0) / hz / sent * 1e6:.0f} "
      f"us_per_msg_without_jit_and_indexer={(s1 - s0 - noisy) / hz / sent * 1e6:.0f} "
      f"machine_us_per_msg={(m1 - m0) / hz / sent * 1e6:.0f}")
PY
tail -1 results.txt
