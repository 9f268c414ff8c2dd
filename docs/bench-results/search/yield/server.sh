# Sourced by s1-yield.sh and findable.sh: start_server JARDIR ENABLED LOG starts the S8 server on
# /tmp/s8/data (ports 18080/19090/15433) with the search indexer on or off, sets $pid, waits until it
# is ready and, when it indexes, until it has caught up with what earlier runs sent.
start_server() {
  PARLEY_MSG_SEARCH_INDEXER_ENABLED=$2 PARLEY_NODE_DATA_DIR=/tmp/s8/data PARLEY_GATEWAY_PORT=18080 PARLEY_ADMIN_PORT=19090 PARLEY_DATABASE_EMBEDDED_PORT=15433 \
    $J -Xmx2g -jar $1/server/target/parley-server.jar --config $1/bench/bench-server.yaml > $3 2>&1 &
  pid=$!
  for i in $(seq 1 180); do curl -sf http://127.0.0.1:19090/readyz >/dev/null 2>&1 && break; sleep 1; done
  local prev=-1 cur
  while true; do
    cur=$(curl -s http://127.0.0.1:19090/metrics | grep '^parley_search_indexed_entries_total' | awk '{print $2}')
    [ "$cur" = "$prev" ] && break; prev=$cur; sleep 3
  done
}
