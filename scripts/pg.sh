# A throwaway PostgreSQL cluster for one test run: its own data dir, loopback only, removed afterwards.
# PostgreSQL refuses to run as root, so the server runs as the `postgres` system user when we are root.
pg_start() {
  local bindir
  bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_DIR="$(mktemp -d /tmp/confide-pg.XXXXXX)"
  PG_PORT="${PG_PORT:-$(( 20000 + RANDOM % 20000 ))}"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U confide --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c full_page_writes=off" start >/dev/null
  PG_URL="postgres://confide@127.0.0.1:$PG_PORT"
  PG_BINDIR="$bindir"
  PG_AS=("${as[@]}")
  export PG_URL PG_DIR PG_PORT
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
