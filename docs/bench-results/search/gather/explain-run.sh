#!/bin/bash
# auto_explain of the slow search statements: S8 queries only, base build, then settings reset
set -u
cd /tmp/g; mkdir -p /tmp/g/pglog; chmod 777 /tmp/g/pglog
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
. /work/main/docs/bench-results/search/yield/server.sh
export PGPASSWORD=$(cat /tmp/s8/data/keys/postgres-superuser.password)
P="psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres"
start_server /tmp/base true server-expl0.log
$P -c "ALTER SYSTEM SET logging_collector = on" -c "ALTER SYSTEM SET log_directory = '/tmp/g/pglog'" -c "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'" -c "ALTER SYSTEM SET auto_explain.log_min_duration = '20ms'" -c "ALTER SYSTEM SET auto_explain.log_analyze = on" -c "ALTER SYSTEM SET auto_explain.log_buffers = on"
kill $pid; wait $pid
start_server /tmp/base true server-expl.log
B=($J -jar /tmp/base/bench/target/parley-bench.jar)
"${B[@]}" s8 --server http://127.0.0.1:18080 --metrics http://127.0.0.1:19090/metrics --accounts /tmp/s8/accounts.json --server-pid $pid --seed 14 --skip-load --no-reindex --searches 260 --search-warmup 26 --probes 1 --background-rate 50 --out s8-expl.json > s8-expl.log 2>&1
$P -c "ALTER SYSTEM RESET logging_collector" -c "ALTER SYSTEM RESET log_directory" -c "ALTER SYSTEM RESET session_preload_libraries" -c "ALTER SYSTEM RESET auto_explain.log_min_duration" -c "ALTER SYSTEM RESET auto_explain.log_analyze" -c "ALTER SYSTEM RESET auto_explain.log_buffers"
kill $pid; wait $pid
echo explain done
