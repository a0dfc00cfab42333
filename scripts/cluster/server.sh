#!/usr/bin/env bash
# A real Temporal server (not the dev server) on the project's PostgreSQL, frontend on loopback.
#
#   scripts/cluster/server.sh start            databases + schema (idempotent), start, namespace + search attributes
#   scripts/cluster/server.sh stop [SIGNAL]    stop it (SIGTERM by default; SIGKILL is a crash)
#   scripts/cluster/server.sh restart [SIGNAL] stop, then start on the same databases
#   scripts/cluster/server.sh status           print the frontend address, exit 0 if it answers, 3 if not
#   scripts/cluster/server.sh address          print the frontend address
#
# Only the address goes to stdout. TEMPORAL_CLUSTER_PORT picks the frontend port (default
# 17233, away from the dev servers' 7233); the other services take the next ports up.
# PostgreSQL is scripts/postgres.sh's (PGPORT), with a `temporal` role owning `temporal` and
# `temporal_visibility`, as the compose stack has. State lives in .data/temporal-cluster.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
state="$root/.data/temporal-cluster"
port="${TEMPORAL_CLUSTER_PORT:-17233}"
address="127.0.0.1:$port"
namespace="${TEMPORAL_NAMESPACE:-default}"

say() { printf 'server.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

temporal_cli() {
  if [ -x "$root/.tools/py/bin/temporal" ]; then echo "$root/.tools/py/bin/temporal"; return; fi
  command -v temporal || die "no temporal CLI: run npm run setup"
}

answers() { "$(temporal_cli)" operator cluster health --address "$address" >/dev/null 2>&1; }

pid_alive() { [ -f "$state/server.pid" ] && kill -0 "$(cat "$state/server.pid")" 2>/dev/null; }

# The connection to PostgreSQL the server uses; psql runs as the trusted superuser.
pg_env() {
  local url
  url="$(bash "$root/scripts/postgres.sh" start)"
  pg_port="$(printf '%s' "$url" | sed -E 's#.*:([0-9]+)/.*#\1#')"
  psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres)
}

prepare_databases() {
  "${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'temporal'" | grep -q 1 ||
    "${psql[@]}" -c "CREATE ROLE temporal LOGIN PASSWORD 'temporal'" >&2
  local db
  for db in temporal temporal_visibility; do
    "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
      "${psql[@]}" -c "CREATE DATABASE $db OWNER temporal" >&2
  done
  # The same job the compose stack's temporal-schema service runs, with the same script.
  env POSTGRES_SEEDS=127.0.0.1 DB_PORT="$pg_port" POSTGRES_USER=temporal SQL_PASSWORD=temporal \
    TEMPORAL_SCHEMA_ROOT="$tools/schema/postgresql/v12" PATH="$tools:$PATH" \
    sh "$root/deploy/temporal/setup-schema.sh" >"$state/schema.log" 2>&1 ||
    { tail -n 20 "$state/schema.log" >&2; die "schema setup failed (see $state/schema.log)"; }
}

start() {
  mkdir -p "$state"
  tools="$(bash "$root/scripts/cluster/install.sh")"
  [ -f "$tools/temporal-sql-tool" ] || die "install.sh gave no temporal-sql-tool in $tools"
  pg_env
  if pid_alive && answers; then
    say "already running at $address"
    echo "$address"
    return
  fi
  prepare_databases
  say "starting temporal-server $(cat "$tools/VERSION") at $address (log: $state/server.log)"
  (
    cd "$root"
    export TEMPORAL_DB_PORT="$pg_port" TEMPORAL_PORT="$port" TEMPORAL_BIND_IP=127.0.0.1
    export TEMPORAL_HTTP_PORT=$((port + 10)) TEMPORAL_HISTORY_PORT=$((port + 1))
    export TEMPORAL_MATCHING_PORT=$((port + 2)) TEMPORAL_WORKER_PORT=$((port + 6))
    export TEMPORAL_FRONTEND_MEMBERSHIP_PORT=$((port + 100)) TEMPORAL_HISTORY_MEMBERSHIP_PORT=$((port + 101))
    export TEMPORAL_MATCHING_MEMBERSHIP_PORT=$((port + 102)) TEMPORAL_WORKER_MEMBERSHIP_PORT=$((port + 106))
    export TEMPORAL_METRICS_PORT="${TEMPORAL_CLUSTER_METRICS_PORT:-$((port + 767))}"
    # setsid: its own session, so the caller's signals and exit do not reach it.
    setsid "$tools/temporal-server" --config-file deploy/temporal/cluster.yaml --allow-no-auth start \
      >>"$state/server.log" 2>&1 </dev/null &
    echo $! >"$state/server.pid"
  )
  local i
  for i in $(seq 1 240); do
    answers && break
    pid_alive || { tail -n 30 "$state/server.log" >&2; die "temporal-server exited (see $state/server.log)"; }
    sleep 0.5
  done
  answers || die "temporal-server did not answer at $address within 120 s (see $state/server.log)"
  # The compose stack's temporal-setup job, with the same script: namespace + search attributes.
  env TEMPORAL_ADDRESS="$address" TEMPORAL_NAMESPACE="$namespace" \
    PATH="$(dirname "$(temporal_cli)"):$PATH" sh "$root/deploy/temporal/setup-namespace.sh" >"$state/setup.log" 2>&1 ||
    { tail -n 20 "$state/setup.log" >&2; die "namespace setup failed (see $state/setup.log)"; }
  say "ready after $((i / 2)) s"
  echo "$address"
}

stop() {
  local signal="${1:-TERM}" pid
  signal="${signal#SIG}"
  pid_alive || { rm -f "$state/server.pid"; return 0; }
  pid="$(cat "$state/server.pid")"
  say "stopping pid $pid with SIG$signal"
  kill -s "$signal" "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -0 "$pid" 2>/dev/null && kill -s KILL "$pid"
  rm -f "$state/server.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-TERM}" ;;
  restart)
    stop "${2:-TERM}"
    start
    ;;
  status) if pid_alive && answers; then echo "$address"; else exit 3; fi ;;
  address) echo "$address" ;;
  *) die "usage: $0 start|stop [SIGNAL]|restart [SIGNAL]|status|address" ;;
esac
