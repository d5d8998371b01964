# shellcheck shell=bash
# Shared by scripts/prod/*.sh (sourced, not run). Every setting comes from the
# environment, with the defaults below; secrets are generated into $PROD_DIR/secrets
# (mode 600, never committed) unless DB_PASSWORD / REDIS_PASSWORD are set.

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
PROD_SCRIPTS="$PROJECT_ROOT/scripts/prod"

# Where the profile keeps its state: clusters, logs, pid files, secrets, generated config.
PROD_DIR=${PROD_DIR:-$PROJECT_ROOT/var/prod}
case "$PROD_DIR" in /*) ;; *) PROD_DIR="$PROJECT_ROOT/$PROD_DIR" ;; esac
LOG_DIR="$PROD_DIR/log"
RUN_DIR="$PROD_DIR/run"
SECRETS_DIR="$PROD_DIR/secrets"

PG_PORT=${PG_PORT:-5432}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_USER=${DB_USER:-supervision}
TRACKER_DB=${TRACKER_DB:-tracker}
RECORDS_DB=${RECORDS_DB:-records}
PG_MAX_CONNECTIONS=${PG_MAX_CONNECTIONS:-100}

REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
REDIS_DB=${REDIS_DB:-1}

NGINX_PORT=${NGINX_PORT:-5005}
RASA_PORTS=${RASA_PORTS:-5006 5007}
ACTION_PORT=${ACTION_PORT:-5055}

PYTHON=${PYTHON:-$PROJECT_ROOT/.venv/bin/python}
RASA_MODEL=${RASA_MODEL:-$PROJECT_ROOT/models/current.tar.gz}

die() {
  echo "error: $*" >&2
  exit 1
}

info() {
  echo "[prod] $*"
}

# need_bin NAME HINT: the command must exist, else say which package provides it.
need_bin() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found; install it with: $2"
}

is_root() {
  [ "$(id -u)" -eq 0 ]
}

# service_user NAME: the system user a server runs as when this script runs as root
# (empty when not root: everything then runs as the invoking user).
service_user() {
  if ! is_root; then
    return 0
  fi
  id -u "$1" >/dev/null 2>&1 \
    || die "running as root, but there is no system user '$1' to run the server as;" \
      "create it (useradd --system --no-create-home --shell /usr/sbin/nologin $1)" \
      "or run these scripts as an ordinary user"
  echo "$1"
}

# as_user USER CMD...: run CMD as USER (if USER is set), else as ourselves.
as_user() {
  local user=$1
  shift
  if [ -n "$user" ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

# own_dir USER DIR: DIR exists, belongs to USER (when set) and is private to it.
own_dir() {
  mkdir -p "$2"
  if [ -n "$1" ]; then
    chown "$1:" "$2"
  fi
  chmod 700 "$2"
}

# The state directory's parents must let a service user through.
check_reachable() {
  local user=$1 dir=$2
  if [ -n "$user" ] && ! runuser -u "$user" -- test -x "$dir"; then
    die "user '$user' cannot reach $dir; set PROD_DIR to a directory whose parents" \
      "are world-searchable (chmod o+x), e.g. PROD_DIR=/srv/supervision"
  fi
}

make_prod_dirs() {
  mkdir -p "$PROD_DIR" "$LOG_DIR" "$RUN_DIR"
  chmod 755 "$PROD_DIR"
  (umask 077 && mkdir -p "$SECRETS_DIR")
  chmod 700 "$SECRETS_DIR"
}

# secret NAME ENV_VALUE: ENV_VALUE when given, else $SECRETS_DIR/NAME, generated once.
secret() {
  local name=$1 from_env=${2:-} file="$SECRETS_DIR/$1"
  if [ -n "$from_env" ]; then
    printf '%s' "$from_env"
    return 0
  fi
  make_prod_dirs
  if [ ! -s "$file" ]; then
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$file")
  fi
  chmod 600 "$file"
  cat "$file"
}

db_password() { secret db_password "${DB_PASSWORD:-}"; }
redis_password() { secret redis_password "${REDIS_PASSWORD:-}"; }

# urlencode TEXT: percent-encode everything but unreserved characters.
urlencode() {
  local LC_ALL=C text=$1 out='' c i
  for ((i = 0; i < ${#text}; i++)); do
    c=${text:i:1}
    case "$c" in
      [a-zA-Z0-9.~_-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# pid_alive FILE: the pid in FILE names a running process.
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# stop_pid FILE NAME [SIGNAL]: signal the process in FILE, wait up to 30 s, then KILL.
stop_pid() {
  local file=$1 name=$2 signal=${3:-TERM} pid i
  if ! pid_alive "$file"; then
    rm -f "$file"
    return 0
  fi
  pid=$(cat "$file")
  info "stopping $name (pid $pid)"
  kill -s "$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "warning: $name (pid $pid) did not stop in 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
