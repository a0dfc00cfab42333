#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, in .data/pg (git-ignored).
#
#   scripts/postgres.sh start    install if missing, init once, start, create scoreline_test, print URL
#   scripts/postgres.sh stop     stop the server (no-op if it is not running)
#   scripts/postgres.sh status   print the URL and exit 0 if running, exit 3 if not
#   scripts/postgres.sh url      print the URL
#
# Only the URL goes to stdout, so `url=$(scripts/postgres.sh start)` works; progress goes to
# stderr. Every command is idempotent. PGPORT picks the port (default 54329). The server trusts
# every local connection: it is for tests on this machine, never for data anyone needs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/.data/pg"
port="${PGPORT:-54329}"
db=scoreline_test
superuser=postgres

say() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# Newest server binaries: Debian keeps them in /usr/lib/postgresql/<major>/bin, off the PATH.
find_bin() {
  local dir
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  return 1
}

install_postgres() {
  command -v apt-get >/dev/null ||
    die "pg_ctl/initdb not found and there is no apt-get: install PostgreSQL, or set SCORELINE_TEST_PG_URL"
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "pg_ctl/initdb not found; installing PostgreSQL needs root or sudo"
    sudo=(sudo -n)
  fi
  say "installing Debian's postgresql package (apt-get)"
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

# The server refuses to run as root, so as root every server command runs as the postgres user.
as_owner() {
  if [ "$(id -u)" != 0 ]; then
    "$@"
  elif command -v runuser >/dev/null; then
    runuser -u postgres -- "$@"
  else
    su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
  fi
}

prepare_owner() {
  [ "$(id -u)" = 0 ] || return 0
  id postgres >/dev/null 2>&1 ||
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  as_owner test -x "$root/.data" ||
    die "user postgres cannot reach $root/.data: make its parent directories traversable (chmod o+x)"
}

is_running() { [ -d "$data" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

# The port of the server that is actually running, which may differ from PGPORT.
running_port() { sed -n 4p "$data/postmaster.pid"; }

url() { echo "postgres://$superuser@127.0.0.1:$1/$db"; }

init_cluster() {
  say "initialising a cluster in $data"
  mkdir -p "$data"
  [ "$(id -u)" != 0 ] || chown postgres: "$data"
  chmod 700 "$data"
  # An ICU default collation (like most production databases' en_US) rather than C, so the
  # tests prove the schema's own COLLATE "C" keeps ordering identical to SQLite's.
  local common=(-D "$data" -U "$superuser" --auth=trust --encoding=UTF8 --no-sync)
  if ! as_owner "$bin/initdb" "${common[@]}" --locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US \
    >/dev/null 2>&1; then
    # Before PostgreSQL 15 (or built without ICU): the platform's default locale will do.
    find "$data" -mindepth 1 -delete
    as_owner "$bin/initdb" "${common[@]}" >/dev/null
  fi
  # Test-only durability: nothing here must survive a crash, so skip the fsyncs.
  cat >>"$data/postgresql.conf" <<'EOF'
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start() {
  prepare_owner
  if [ -f "$data/PG_VERSION" ]; then
    local made installed
    made="$(cat "$data/PG_VERSION")"
    installed="$("$bin/pg_ctl" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"
    [ "$made" = "$installed" ] ||
      die "$data was made by PostgreSQL $made, but $bin is $installed: stop any server there and remove $data"
  else
    init_cluster
  fi
  if is_running; then
    say "already running on port $(running_port)"
  else
    say "starting on 127.0.0.1:$port"
    # 9>&-: the server must not inherit the lock's descriptor, or it would hold the lock for life.
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "-p $port" -w -t 60 start >/dev/null 9>&- || {
      tail -n 20 "$data/server.log" >&2 || true
      die "the server did not start (is port $port taken? set PGPORT)"
    }
  fi
  local p
  p="$(running_port)"
  for _ in $(seq 1 60); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$p" && break
    sleep 0.5
  done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$p" || die "the server on port $p is not accepting connections"
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$p" -U "$superuser" -d postgres)
  if [ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE $db" >&2
  fi
  url "$p"
}

stop() {
  if is_running; then
    say "stopping"
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

cmd="${1:-}"
case "$cmd" in
  start | stop | status) ;;
  url)
    if [ -f "$data/postmaster.pid" ]; then url "$(running_port)"; else url "$port"; fi
    exit 0
    ;;
  *) die "usage: $0 start|stop|status|url" ;;
esac

if ! bin="$(find_bin)"; then
  case "$cmd" in
    stop) exit 0 ;; # nothing installed, so nothing running
    status) exit 3 ;;
  esac
  install_postgres
  bin="$(find_bin)" || die "PostgreSQL installed, but pg_ctl/initdb are still not found"
fi

# One start/stop at a time: two test runs starting together must not both run initdb.
mkdir -p "$root/.data"
if command -v flock >/dev/null; then
  exec 9>"$root/.data/pg.lock"
  flock 9
fi

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then url "$(running_port)"; else exit 3; fi ;;
esac
