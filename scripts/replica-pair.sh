#!/usr/bin/env bash
# A throwaway PostgreSQL streaming pair for the read-replica test (and for trying replicas locally):
#   scripts/replica-pair.sh start DIR   → initdb a primary, pg_basebackup -R a replica from it, start both;
#                                         prints PRIMARY_URL=… and REPLICA_URL=… (postgres databases)
#   scripts/replica-pair.sh stop DIR    → stop both and remove DIR
# Binaries from PG_BIN (default /usr/lib/postgresql/15/bin); run as root, the servers run as the
# postgres user (initdb refuses root). Ports: PRIMARY_PORT/REPLICA_PORT or free ones found here.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  p_port=${PRIMARY_PORT:-$(free_port)}
  r_port=${REPLICA_PORT:-$(free_port)}
  while [ "$r_port" = "$p_port" ]; do r_port=$(free_port); done
  as_postgres "$PG_BIN/initdb" -D "$dir/primary" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  cat >>"$dir/primary/postgresql.conf" <<EOF
port = $p_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
EOF
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$p_port" -U postgres -D "$dir/replica" -R -X stream --no-sync
  echo "port = $r_port" >>"$dir/replica/postgresql.conf"
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null
  for _ in $(seq 1 50); do
    [ "$(psql -X -qAt "postgres://postgres@127.0.0.1:$r_port/postgres" -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] && break
    sleep 0.2
  done
  echo "PRIMARY_URL=postgres://postgres@127.0.0.1:$p_port/postgres"
  echo "REPLICA_URL=postgres://postgres@127.0.0.1:$r_port/postgres"
  ;;
stop)
  for node in replica primary; do
    [ -d "$dir/$node" ] && as_postgres "$PG_BIN/pg_ctl" -D "$dir/$node" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
