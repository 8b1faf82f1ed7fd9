#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1, for the test suite and the quiz load benchmark.
#   bash scripts/pg.sh start DIR [fast]   initdb + start in the empty folder DIR, print the SQLAlchemy URL
#                                         (fast: fsync off — for tests, where durability does not matter)
#   bash scripts/pg.sh stop DIR           stop that cluster and remove DIR
# Root installs Debian's postgresql when it is missing and runs the server as the `postgres` user
# (initdb refuses root); anyone else needs the server binaries already installed.
# Exit 3 from start: no PostgreSQL can be had here (the message says why); DIR is left for stop.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MARK=.learn-throwaway-postgres

bindir() {
  local dirs
  dirs=$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V || true)
  [ -n "$dirs" ] && dirname "$(tail -n 1 <<<"$dirs")"
}

# as_owner CMD...: run a server command as the cluster's owner (postgres when we are root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local dir="$1" mode="${2:-}" bin port pw opts tries
  [ -d "$dir" ] || { echo "pg.sh: $dir is not a folder" >&2; exit 2; }
  touch "$dir/$MARK"
  bin=$(bindir) || true
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ]; then
    # shellcheck source=scripts/apt.sh
    . "$here/apt.sh"
    apt_install postgresql >&2 || true
    bin=$(bindir) || true
  fi
  if [ -z "$bin" ]; then
    echo "pg.sh: no PostgreSQL server installed (run as root to install Debian's postgresql, or set LEARN_TEST_PG_URL)" >&2
    exit 3
  fi
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "pg.sh: no postgres user to run the server as" >&2; exit 3; }
    chown postgres "$dir"
    runuser -u postgres -- test -w "$dir" \
      || { echo "pg.sh: the postgres user cannot reach $dir (a folder of its own under /tmp works)" >&2; exit 3; }
  fi
  chmod 700 "$dir"
  pw=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$pw" >"$dir/pw"
  [ "$(id -u)" != 0 ] || chown postgres "$dir/pw"
  as_owner "$bin/initdb" -D "$dir/data" -U learn --pwfile="$dir/pw" --auth=scram-sha-256 \
    -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { echo "pg.sh: initdb failed: $(tail -n 1 "$dir/initdb.log")" >&2; exit 3; }
  rm -f "$dir/pw"
  opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=200"
  [ "$mode" != fast ] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  for tries in 1 2 3 4 5; do       # a port found free can be taken before the server binds it
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "$opts -c port=$port" start >/dev/null 2>&1; then
      PGPASSWORD="$pw" "$bin/createdb" -h 127.0.0.1 -p "$port" -U learn learn >&2
      echo "postgresql+psycopg://learn:$pw@127.0.0.1:$port/learn"
      return 0
    fi
  done
  echo "pg.sh: the server did not start: $(tail -n 1 "$dir/server.log" 2>/dev/null)" >&2
  exit 3
}

stop() {
  local dir="$1" bin pid
  [ -d "$dir" ] || return 0
  [ -e "$dir/$MARK" ] || { echo "pg.sh: $dir was not made by pg.sh start; not touching it" >&2; exit 2; }
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=$(bindir) || true
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: pg.sh start DIR [fast]}" "${3:-}" ;;
  stop) stop "${2:?usage: pg.sh stop DIR}" ;;
  *) echo "usage: bash scripts/pg.sh start DIR [fast] | stop DIR" >&2; exit 2 ;;
esac
