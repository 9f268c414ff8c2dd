#!/bin/bash
set -u
cd /tmp/g
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
./srch.sh base1 /tmp/base
# pg_stat_statements for the profiles (takes effect at the next start)
. /work/main/docs/bench-results/search/yield/server.sh
PARLEY_MSG_SEARCH_INDEXER_ENABLED=false
start_server /tmp/base false server-alter.log
export PGPASSWORD=$(cat /tmp/s8/data/keys/postgres-superuser.password)
psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
kill $pid; wait $pid
./profile.sh on base-1600 1600 /tmp/base
./profile.sh on gath-1600 1600 /tmp/gath
echo chain1 done
