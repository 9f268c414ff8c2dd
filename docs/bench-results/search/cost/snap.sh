# snap NAME: machine ticks, server ticks, pg stats into snap-NAME.txt
snap() {
  export PGPASSWORD="$(head -1 /tmp/s8/data/keys/postgres-superuser.password)"
  local P="psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres -At"
  {
    echo "machine $(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)"
    echo "iowait $(awk '/^cpu /{print $6}' /proc/stat)"
    echo "server $(awk '{print $14+$15}' /proc/$pid/stat)"
    pgt=0; for p in $(pgrep -f 'postgres'); do t=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null); pgt=$((pgt+${t:-0})); done
    echo "pgprocs $pgt"
    $P -F ' ' -c "select 'wal_records', wal_records from pg_stat_wal union all select 'wal_fpi', wal_fpi from pg_stat_wal union all select 'wal_bytes', wal_bytes from pg_stat_wal union all select 'ckpt_timed', num_timed from pg_stat_checkpointer union all select 'ckpt_req', num_requested from pg_stat_checkpointer union all select 'ckpt_buffers', buffers_written from pg_stat_checkpointer"
    $P -F ' ' -c "select 'av_'||relname, autovacuum_count+autoanalyze_count from pg_stat_user_tables where schemaname='msg' and relname in ('search_docs','entries','feed','search_progress','conversations')"
    $P -F ' ' -c "select 'blks_read', sum(blks_read) from pg_stat_database union all select 'blks_hit', sum(blks_hit) from pg_stat_database"
    echo "indexed $(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}')"
  } > snap-$1.txt 2>&1
}
# detail NAME: LSN now, pg_stat_statements reset or dump
lsn() { psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres -Atc "select pg_current_wal_lsn()"; }
