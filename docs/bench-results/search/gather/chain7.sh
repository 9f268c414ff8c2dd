#!/bin/bash
# clean sequence on the fresh gk-loaded S8: each server starts only after the last one and its
# PostgreSQL are gone
set -u
cd /tmp/g
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
wait_free() { while pgrep -f '[p]arley-server.jar' >/dev/null || pgrep -x postgres >/dev/null; do sleep 2; done; sleep 3; }
. /work/main/docs/bench-results/search/yield/server.sh
wait_free
start_server /tmp/gk false server-alter3.log
export PGPASSWORD=$(cat /tmp/s8/data/keys/postgres-superuser.password)
psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
kill $pid; wait $pid; wait_free
./srch.sh dg1 /tmp/dg; wait_free
./srch.sh gk4 /tmp/gk; wait_free
./profile.sh off f-off 1600 /tmp/gk; wait_free
./profile.sh on f-gk 1600 /tmp/gk; wait_free
./profile.sh on f-dg 1600 /tmp/dg; wait_free
./ladder8.sh off offC /tmp/dg; wait_free
./ladder8.sh on dgC /tmp/dg; wait_free
./ladder8.sh on gkC /tmp/gk; wait_free
./ladder8.sh on dgD /tmp/dg; wait_free
echo chain7 done
