# A private PostgreSQL server for tests and benchmarks: installed from Debian's packages when
# missing, initialised in a temporary folder (UTF-8, C.UTF-8), listening only on a Unix socket
# there, stopped and removed by pg_stop. Exports JIANGHUA_TEST_POSTGRES_URL.

_pg_as_owner() {
  # PostgreSQL refuses to run as root: run its programs as the postgres user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed; run: sudo apt-get install postgresql" >&2
      return 1
    fi
    echo "== installing PostgreSQL from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_DIR="$(mktemp -d /tmp/jianghua-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  _pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Durability is not needed for throwaway test data; speed is.
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o \
    "-c listen_addresses='' -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
  export JIANGHUA_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/postgres?host=$PG_DIR"
  # Tests start a streaming read replica of this server with these programs.
  export JIANGHUA_TEST_POSTGRES_BIN="$PG_BIN"
  echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $PG_DIR"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
