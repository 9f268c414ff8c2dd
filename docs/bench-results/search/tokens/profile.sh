#!/bin/bash
# run.sh on|off TAG RATE [jardir]: fixed-rate S1 over S8 with per-thread / per-process CPU and JFR
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
mode=$1; tag=$2; RATE=$3; C=${4:-/tmp/s8duty}
enabled=true; [ "$mode" = off ] && enabled=false
PARLEY_MSG_SEARCH_INDEXER_ENABLED=$enabled PARLEY_NODE_DATA_DIR=/tmp/s8/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
  $J -Xmx2g -jar $C/server/target/parley-server.jar --config $C/bench/bench-server.yaml > server-$tag.log 2>&1 &
pid=$!
for i in $(seq 1 180); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
prev=-1; while true; do cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}'); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 3; done
t_ready=$(date +%s)
while [ $(( $(date +%s) - t_ready )) -lt 140 ]; do sleep 5; done
B=($J -jar $C/bench/target/parley-bench.jar)
S=(--server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --server-pid $pid --accounts /tmp/s8/accounts.json --users 400)
"${B[@]}" s1 "${S[@]}" --start-rate 400 --step 400 --step-duration 10s --max-rate 400 > warm-$tag.log 2>&1
export PGPASSWORD=$(cat /tmp/s8/data/keys/postgres-superuser.password); P="psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres"; $P -qc "CREATE EXTENSION IF NOT EXISTS pg_walinspect" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "select pg_stat_statements_reset()" -c "select pg_stat_reset_shared('wal')" >/dev/null; lsn_a=$($P -Atc "select pg_current_wal_lsn()"); python3 cpu.py $pid > a-$tag.json; grep -h '^parley_search_indexed_entries_total' <(curl -s http://127.0.0.1:19090/metrics) > idx-$tag.txt
vmstat 1 62 > vm-$tag.txt &
"${B[@]}" s1 "${S[@]}" --start-rate $RATE --max-rate $RATE --step-duration 60s --p99-limit 10s --out s1-$tag.json > s1-$tag.log 2>&1
lsn_b=$($P -Atc "select pg_current_wal_lsn()"); python3 cpu.py $pid > b-$tag.json; $P -c "select calls, round(total_exec_time) ms, round(total_exec_time*1000/calls) us_call, rows, wal_records, wal_fpi, pg_size_pretty(wal_bytes) wal, shared_blks_hit hit, shared_blks_read rd, shared_blks_dirtied dirt, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) q from pg_stat_statements order by total_exec_time desc limit 25" -c "select * from pg_stat_wal" > stmts-$tag.txt; grep -h '^parley_search_indexed_entries_total' <(curl -s http://127.0.0.1:19090/metrics) >> idx-$tag.txt
$P -c "select coalesce(c.relname, b.relfilenode::text) rel, b.resource_manager rm, count(*) blocks, count(*) filter (where b.block_fpi_length > 0) fpis, pg_size_pretty(sum(b.block_fpi_length)) fpi_bytes, pg_size_pretty(sum(b.block_data_length)) data_bytes from pg_get_wal_block_info('$lsn_a', '$lsn_b', false) b left join pg_class c on c.relfilenode = b.relfilenode group by 1, 2 order by 4 desc limit 20" > walrel-$tag.txt 2>&1
sleep 5
kill $pid; wait $pid 2>/dev/null
