#!/bin/bash
# run.sh JARDIR on|off TAG [RATE]: fixed-rate S1 on the S8 data; CPU, WAL and checkpoints per message,
# counted from the start of the measured step until the indexer has caught up.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=$1; mode=$2; tag=$3; RATE=${4:-1600}; DUR=${DUR:-40}
enabled=true; [ "$mode" = off ] && enabled=false
. /work/main/docs/bench-results/search/yield/server.sh
. /tmp/cost/snap.sh
start_server $C $enabled server-$tag.log
if [ $enabled = true ]; then # catch up fully on what earlier runs sent: stable for 12 s
  prev=-1; while true; do cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}'); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 12; done
fi
B=($J -jar $C/bench/target/parley-bench.jar)
S=(--server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts /tmp/s8/accounts.json --users 400)
"${B[@]}" s1 "${S[@]}" --start-rate 1200 --max-rate 1200 --step-duration 30s --p99-limit 10s > warm-$tag.log 2>&1
sleep 5
snap $tag-0
P="psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres"
$P -c "create extension if not exists pg_stat_statements" -c "create extension if not exists pg_walinspect" -c "select pg_stat_statements_reset()" > /dev/null
l0=$($P -Atc "select pg_current_wal_lsn()")
"${B[@]}" s1 "${S[@]}" --start-rate $RATE --max-rate $RATE --step-duration ${DUR}s --p99-limit 10s --drain 5s --out s1-$tag.json > s1-$tag.log 2>&1
prev=-1; while true; do cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}'); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 2; done
snap $tag-1
l1=$($P -Atc "select pg_current_wal_lsn()")
$P -c "select \"resource_manager/record_type\" r, count, round(combined_size_percentage::numeric,1) pct, pg_size_pretty(fpi_size) fpi, pg_size_pretty(combined_size) from pg_get_wal_stats('$l0','$l1', true) where count>0 order by combined_size desc limit 25" > wal-$tag.txt
$P -c "select calls, round(total_exec_time::numeric) ms, round((total_exec_time/calls)::numeric,3) per, rows, shared_blks_dirtied dirt, wal_records, wal_fpi, pg_size_pretty(wal_bytes) wal, left(regexp_replace(query,'\s+',' ','g'),110) q from pg_stat_statements order by total_exec_time desc limit 25" > stmt-$tag.txt
kill $pid; wait $pid 2>/dev/null
python3 /tmp/cost/report.py $tag >> results.txt; tail -1 results.txt
