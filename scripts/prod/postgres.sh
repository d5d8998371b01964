#!/usr/bin/env bash
# A PostgreSQL cluster of the profile's own under $PROD_DIR/pg (default var/prod/pg),
# from the Debian binaries in /usr/lib/postgresql/<version>/bin.
#
#   scripts/prod/postgres.sh start    initdb on first use, start, create role + databases
#   scripts/prod/postgres.sh stop     fast shutdown
#   scripts/prod/postgres.sh status
#   scripts/prod/postgres.sh url [records|tracker]   SQLAlchemy URL (contains the password)
#   scripts/prod/postgres.sh psql [records|tracker] [psql args]   as the application role
#
# Listens on 127.0.0.1:$PG_PORT (default 5432) and on a unix socket in $PROD_DIR/pg/run.
# Password authentication (scram-sha-256) everywhere. The superuser "postgres" gets a
# generated password in $PROD_DIR/secrets/db_admin_password; the application role
# $DB_USER (default "supervision") owns both databases, $TRACKER_DB (Rasa's tracker
# store) and $RECORDS_DB (the app's records), with its password from DB_PASSWORD or
# $PROD_DIR/secrets/db_password. Run as root, the server runs as the system user
# "postgres" (PostgreSQL refuses to run as root).
set -euo pipefail
# shellcheck source=scripts/prod/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_DIR="$PROD_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"

find_pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/initdb" ] || die "PG_BIN=$PG_BIN has no initdb"
    echo "$PG_BIN"
    return 0
  fi
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    die "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin;" \
      "install them with: apt-get install -y postgresql (or set PG_BIN)"
  fi
  echo "$dir"
}

PG_BIN=$(find_pg_bin)
need_bin psql "apt-get install -y postgresql-client"
need_bin runuser "apt-get install -y util-linux"
PG_USER=$(service_user postgres)

pg_ctl() {
  (cd "$PG_DIR" && as_user "$PG_USER" "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@")
}

is_running() {
  [ -s "$PG_DATA/PG_VERSION" ] && pg_ctl status >/dev/null 2>&1
}

admin_password() { secret db_admin_password "${DB_ADMIN_PASSWORD:-}"; }

init_cluster() {
  info "creating the PostgreSQL cluster in $PG_DATA"
  local pwfile="$PG_DIR/.initdb-password"
  (umask 077 && admin_password >"$pwfile")
  [ -z "$PG_USER" ] || chown "$PG_USER:" "$pwfile"
  if ! (cd "$PG_DIR" && as_user "$PG_USER" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres \
    --pwfile="$pwfile" --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
    --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1); then
    rm -f "$pwfile"
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed (log above, also in $PG_DIR/initdb.log)"
  fi
  rm -f "$pwfile"
  # Only these two ways in, both with a password.
  cat >"$PG_DATA/pg_hba.conf" <<'HBA'
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
HBA
  [ -z "$PG_USER" ] || chown "$PG_USER:" "$PG_DATA/pg_hba.conf"
}

# Run SQL on stdin as the superuser, over the unix socket.
admin_psql() {
  PGPASSWORD=$(admin_password) psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" \
    -p "$PG_PORT" -U postgres -d postgres
}

ensure_role_and_databases() {
  # Values reach psql through the environment (\getenv), never the command line.
  PROD_APP_USER=$DB_USER PROD_APP_PASSWORD=$(db_password) PROD_TRACKER_DB=$TRACKER_DB \
    PROD_RECORDS_DB=$RECORDS_DB admin_psql <<'SQL'
\getenv app_user PROD_APP_USER
\getenv app_password PROD_APP_PASSWORD
\getenv tracker_db PROD_TRACKER_DB
\getenv records_db PROD_RECORDS_DB
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
SELECT format('CREATE DATABASE %I OWNER %I', db, :'app_user')
  FROM unnest(ARRAY[:'tracker_db', :'records_db']) AS db
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = db) \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db)
  FROM unnest(ARRAY[:'tracker_db', :'records_db']) AS db \gexec
SQL
}

start() {
  make_prod_dirs
  check_reachable "$PG_USER" "$PROD_DIR"
  own_dir "$PG_USER" "$PG_DIR"
  own_dir "$PG_USER" "$PG_SOCKET_DIR"
  [ -s "$PG_DATA/PG_VERSION" ] || init_cluster
  if is_running; then
    info "PostgreSQL already running ($PG_DATA)"
  else
    info "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    if ! pg_ctl -l "$PG_LOG" -w -t 60 start -o "-c listen_addresses=127.0.0.1 -p $PG_PORT \
-c unix_socket_directories=$PG_SOCKET_DIR -c max_connections=$PG_MAX_CONNECTIONS" \
      >/dev/null; then
      tail -n 20 "$PG_LOG" >&2 || true
      die "PostgreSQL did not start (log: $PG_LOG)"
    fi
  fi
  ensure_role_and_databases
}

stop() {
  if is_running; then
    info "stopping PostgreSQL"
    pg_ctl -m fast -w -t 60 stop >/dev/null
  fi
}

status() {
  if is_running; then
    echo "PostgreSQL: running on 127.0.0.1:$PG_PORT ($PG_DATA)"
  else
    echo "PostgreSQL: stopped"
    return 3
  fi
}

database_name() {
  case "${1:-records}" in
    records) echo "$RECORDS_DB" ;;
    tracker) echo "$TRACKER_DB" ;;
    *) die "unknown database '$1' (records or tracker)" ;;
  esac
}

url() {
  local name
  name=$(database_name "${1:-records}")
  printf 'postgresql+psycopg2://%s:%s@%s:%s/%s\n' "$(urlencode "$DB_USER")" \
    "$(urlencode "$(db_password)")" "$DB_HOST" "$PG_PORT" "$name"
}

app_psql() {
  local name
  name=$(database_name "${1:-records}")
  shift || true
  PGPASSWORD=$(db_password) exec psql -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$DB_USER" \
    -d "$name" "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url "${2:-records}" ;;
  psql)
    shift
    app_psql "$@"
    ;;
  *)
    echo "usage: $0 {start|stop|status|url [records|tracker]|psql [records|tracker] [args]}" >&2
    exit 2
    ;;
esac
