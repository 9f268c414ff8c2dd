#!/bin/bash
# unlog.sh: search_docs and its GIN index without WAL, on the S8 data (measurement only)
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
C=/tmp/s8nice; export PARLEY_MSG_SEARCH_INDEXER_NICE=0
. /work/main/docs/bench-results/search/yield/server.sh
start_server $C false server-unlog.log
export PGPASSWORD=$(cat /tmp/s8/data/keys/postgres-superuser.password)
P="psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres"
$P -c "select pg_size_pretty(pg_total_relation_size('msg.search_docs'))"
time $P -c "ALTER TABLE msg.search_docs SET UNLOGGED"
$P -c "select relname, relpersistence from pg_class where relname like 'search_docs%'"
kill $pid; wait $pid
echo unlogged >> ladder2.txt
