#!/bin/bash
# diag.sh on|off TAG RATE: fixed-rate S1 with vmstat beside it
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
mode=$1; tag=$2; RATE=$3
C=/tmp/s8nice; enabled=true; export PARLEY_MSG_SEARCH_INDEXER_NICE=0
[ "$mode" = off ] && enabled=false
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C $enabled server-$tag.log
t_ready=$(date +%s)
while [ $(( $(date +%s) - t_ready )) -lt 140 ]; do sleep 5; done
B=($J -jar $C/bench/target/parley-bench.jar)
S=(--server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts /tmp/s8/accounts.json --users 400)
"${B[@]}" s1 "${S[@]}" --start-rate 400 --step 400 --step-duration 10s --max-rate 400 > warm-$tag.log 2>&1
vmstat 1 70 > vm-$tag.txt &
P="psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres"
export PGPASSWORD=$(cat /tmp/s8/data/keys/postgres-superuser.password)
$P -Atc "select * from pg_stat_wal" > walstat-$tag.txt
"${B[@]}" s1 "${S[@]}" --start-rate $RATE --max-rate $RATE --step-duration 60s --p99-limit 10s --out s1-$tag.json > s1-$tag.log 2>&1
$P -Atc "select * from pg_stat_wal" >> walstat-$tag.txt
wait
kill $pid; wait $pid 2>/dev/null
