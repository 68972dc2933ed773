#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the sync tests, on loopback only.
#   scripts/postgres-test.sh start   → prints the URL to export as FIELDBOOK_TEST_POSTGRES_URL
#   scripts/postgres-test.sh stop
# Runs the server as the `postgres` user when started as root (initdb refuses root).
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${PG_TEST_DIR:-/tmp/fieldbook-pg-test}
PORT=${PG_TEST_PORT:-55432}
URL="postgresql://fieldbook@127.0.0.1:${PORT}/fieldbook"

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  start)
    if [ -f "$DIR/data/postmaster.pid" ] && as_owner "'$BIN/pg_ctl' -D '$DIR/data' status" >/dev/null 2>&1; then
      echo "$URL"; exit 0
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_owner "'$BIN/initdb' -D '$DIR/data' -U fieldbook --auth=trust -E UTF8 >'$DIR/initdb.log' 2>&1"
    as_owner "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DIR' -c fsync=off\" start >/dev/null"
    as_owner "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U fieldbook fieldbook"
    echo "$URL"
    ;;
  stop)
    if [ -d "$DIR/data" ]; then as_owner "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop >/dev/null" || true; fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
