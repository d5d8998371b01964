#!/usr/bin/env bash
# The production profile on one machine, from Debian packages and PyPI (no Docker):
# PostgreSQL (tracker store + the app's records), Redis (Rasa's lock store), the action
# server, several Rasa servers and nginx in front of them.
#
#   scripts/prod/run_prod.sh [start]   start everything, stay in the foreground; Ctrl-C stops all
#   scripts/prod/run_prod.sh up        start everything and return (stop with `stop`)
#   scripts/prod/run_prod.sh stop      stop everything this profile started
#   scripts/prod/run_prod.sh status
#
# Configuration comes from the environment (defaults in scripts/prod/common.sh):
#   PROD_DIR (var/prod)  NGINX_PORT (5005)  RASA_PORTS ("5006 5007")  ACTION_PORT (5055)
#   PG_PORT (5432)  REDIS_PORT (6379)  DB_USER  TRACKER_DB  RECORDS_DB
#   DB_PASSWORD / REDIS_PASSWORD (else generated into $PROD_DIR/secrets, mode 600)
#   SQL_POOL_SIZE (5) / SQL_MAX_OVERFLOW (10): each Rasa server's tracker-store pool
#   SUPERVISION_CORS_ORIGINS (default: nginx's own origin), RASA_CREDENTIALS (a ready
#   credentials file; default: written by scripts/credentials.py), START_TIMEOUT (300 s)
# Sign-in (see channels/ and actions/identity/): every chat request needs a token. In
# production set SUPERVISION_OIDC_ISSUER / _JWKS_URL / _AUDIENCE (the organisation's
# identity provider). To try the profile on one machine, SUPERVISION_DEV_SIGNIN=1 trusts
# development tokens signed with $PROD_DIR/secrets/dev_token.key:
#   SUPERVISION_DEV_SECRET_FILE=var/prod/secrets/dev_token.key \
#     .venv/bin/python -m actions.identity token SOMEONE
# The Rasa HTTP API is off unless SUPERVISION_RASA_API_TOKEN is set (and nginx never
# exposes it). Socket.io events travel between the Rasa servers through Redis
# (SUPERVISION_SOCKETIO_MESSAGE_QUEUE, default Redis database 2).
set -euo pipefail
# shellcheck source=scripts/prod/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PROJECT_ROOT"

RASA_BIN=${RASA_BIN:-$(dirname "$PYTHON")/rasa}
SUPERVISOR_PID="$RUN_DIR/run_prod.pid"
ENDPOINTS="$PROD_DIR/endpoints.yml"

preflight() {
  [ -x "$PYTHON" ] || die "no Python environment at $PYTHON; run \`make install\` first"
  [ -x "$RASA_BIN" ] || die "no rasa at $RASA_BIN; run \`make install\` first"
  [ -f "$RASA_MODEL" ] || die "no trained model at $RASA_MODEL; run \`make train\` first"
  need_bin setsid "apt-get install -y util-linux"
  need_bin envsubst "apt-get install -y gettext-base"
  local port
  for port in $RASA_PORTS; do
    [[ $port =~ ^[0-9]+$ ]] || die "RASA_PORTS must be port numbers, got '$RASA_PORTS'"
  done
  [ -n "$RASA_PORTS" ] || die "RASA_PORTS is empty"
}

rasa_pidfiles() {
  compgen -G "$RUN_DIR/rasa-*.pid" || true
}

anything_running() {
  local file
  for file in "$RUN_DIR/actions.pid" $(rasa_pidfiles); do
    pid_alive "$file" && return 0
  done
  "$PROD_SCRIPTS/nginx.sh" status >/dev/null 2>&1
}

# spawn NAME LOG CMD...: start CMD in its own session (so Ctrl-C reaches only this
# script, which then stops everything in order), record its pid in $RUN_DIR/NAME.pid.
spawn() {
  local name=$1 log=$2
  shift 2
  setsid "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

write_endpoints() {
  # Non-secret values are written in; ${DB_PASSWORD} and ${REDIS_PASSWORD} stay for
  # Rasa to read from its environment.
  (
    umask 077
    export ACTION_SERVER_URL="http://127.0.0.1:$ACTION_PORT/webhook" DB_PORT="$PG_PORT"
    export DB_HOST TRACKER_DB DB_USER REDIS_HOST REDIS_PORT REDIS_DB
    # shellcheck disable=SC2016 # envsubst's list of names, not shell expansions
    envsubst '${ACTION_SERVER_URL} ${DB_HOST} ${DB_PORT} ${TRACKER_DB} ${DB_USER} ${REDIS_HOST} ${REDIS_PORT} ${REDIS_DB}' \
      <"$PROD_SCRIPTS/endpoints.yml.template" >"$ENDPOINTS"
  )
}

credentials_file() {
  if [ -n "${RASA_CREDENTIALS:-}" ]; then
    [ -f "$RASA_CREDENTIALS" ] || die "RASA_CREDENTIALS=$RASA_CREDENTIALS does not exist"
    echo "$RASA_CREDENTIALS"
  elif [ -f scripts/credentials.py ]; then
    # credentials.yml plus the channels configured in the environment (Teams).
    "$PYTHON" scripts/credentials.py --out "$PROD_DIR/credentials.yml" >&2 \
      || die "scripts/credentials.py failed"
    echo "$PROD_DIR/credentials.yml"
  else
    echo "$PROJECT_ROOT/credentials.yml"
  fi
}

is_true() {
  case "${1,,}" in 1 | true | yes | on) return 0 ;; *) return 1 ;; esac
}

# Sign-in settings shared by the Rasa servers (channels) and the action server.
setup_identity() {
  export SUPERVISION_CORS_ORIGINS=${SUPERVISION_CORS_ORIGINS:-"http://localhost:$NGINX_PORT http://127.0.0.1:$NGINX_PORT"}
  if is_true "${SUPERVISION_DEV_SIGNIN:-0}"; then
    export SUPERVISION_DEV_SECRET_FILE=${SUPERVISION_DEV_SECRET_FILE:-$SECRETS_DIR/dev_token.key}
    "$PYTHON" -m actions.identity secret >/dev/null || die "could not make the dev sign-in secret"
    SIGN_IN="development tokens (SUPERVISION_DEV_SIGNIN=1; never in production):
               SUPERVISION_DEV_SECRET_FILE=$SUPERVISION_DEV_SECRET_FILE \\
                 $PYTHON -m actions.identity token SOMEONE"
  elif [ -n "${SUPERVISION_OIDC_ISSUER:-}" ]; then
    SIGN_IN="tokens from $SUPERVISION_OIDC_ISSUER"
  else
    SIGN_IN="NONE CONFIGURED: every chat request is refused (set SUPERVISION_OIDC_*, or
               SUPERVISION_DEV_SIGNIN=1 to try it on this machine)"
    echo "warning: no sign-in configured (SUPERVISION_OIDC_* or SUPERVISION_DEV_SIGNIN=1);" \
      "every chat request will be refused" >&2
  fi
}

up() {
  local started=$SECONDS port
  "$PROD_SCRIPTS/postgres.sh" start
  "$PROD_SCRIPTS/redis.sh" start

  local records_url db_password redis_password credentials
  records_url=$("$PROD_SCRIPTS/postgres.sh" url records)
  db_password=$(db_password)
  redis_password=$(redis_password)

  info "migrating the records database ($RECORDS_DB)"
  SUPERVISION_DATABASE_URL=$records_url "$PYTHON" -m actions.store migrate \
    >"$LOG_DIR/migrate.log" 2>&1 || {
    cat "$LOG_DIR/migrate.log" >&2
    die "migrations failed (log: $LOG_DIR/migrate.log)"
  }

  write_endpoints
  credentials=$(credentials_file)
  setup_identity

  export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore
  export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}
  # The app's records, for the action server and for the channels (sign-in directory);
  # the tracker database too, whose events the action server's retention purge and
  # erasure clear; agendas (files) in the state directory.
  export SUPERVISION_DATABASE_URL=$records_url
  export SUPERVISION_TRACKER_DATABASE_URL=${SUPERVISION_TRACKER_DATABASE_URL:-$("$PROD_SCRIPTS/postgres.sh" url tracker)}
  export SUPERVISION_AGENDA_DIR=${SUPERVISION_AGENDA_DIR:-$PROD_DIR/agendas}

  info "starting the action server on 127.0.0.1:$ACTION_PORT"
  spawn actions "$LOG_DIR/actions.log" env SANIC_HOST=127.0.0.1 \
    "$PYTHON" -m rasa_sdk --actions actions --port "$ACTION_PORT"

  local cors api=() queue
  read -r -a cors <<<"$SUPERVISION_CORS_ORIGINS"
  if [ -n "${SUPERVISION_RASA_API_TOKEN:-}" ]; then
    api=(--enable-api --auth-token "$SUPERVISION_RASA_API_TOKEN")
  fi
  queue=${SUPERVISION_SOCKETIO_MESSAGE_QUEUE:-redis://:$(urlencode "$redis_password")@$REDIS_HOST:$REDIS_PORT/2}
  local pids=("$(cat "$RUN_DIR/actions.pid")") urls=("http://127.0.0.1:$ACTION_PORT/health")
  local logs=("$LOG_DIR/actions.log")
  for port in $RASA_PORTS; do
    info "starting Rasa on 127.0.0.1:$port"
    spawn "rasa-$port" "$LOG_DIR/rasa-$port.log" env DB_PASSWORD="$db_password" \
      REDIS_PASSWORD="$redis_password" SQL_POOL_SIZE="${SQL_POOL_SIZE:-5}" \
      SQL_MAX_OVERFLOW="${SQL_MAX_OVERFLOW:-10}" SUPERVISION_SOCKETIO_MESSAGE_QUEUE="$queue" \
      "$RASA_BIN" run --model "$RASA_MODEL" --interface 127.0.0.1 --port "$port" \
      --endpoints "$ENDPOINTS" --credentials "$credentials" --cors "${cors[@]}" "${api[@]}"
    pids+=("$(cat "$RUN_DIR/rasa-$port.pid")")
    urls+=("http://127.0.0.1:$port/")
    logs+=("$LOG_DIR/rasa-$port.log")
  done

  "$PYTHON" scripts/wait_for.py "${urls[@]}" --timeout "${START_TIMEOUT:-300}" \
    --pids "${pids[@]}" --logs "${logs[@]}" \
    || die "the production profile did not come up (logs in $LOG_DIR/)"

  # nginx last: a health check on a server still loading would mark it down (10 s).
  "$PROD_SCRIPTS/nginx.sh" start
  "$PYTHON" scripts/wait_for.py "http://127.0.0.1:$NGINX_PORT/health" --timeout 30 \
    --logs "$PROD_DIR/nginx/error.log" || die "nginx does not reach the Rasa servers"

  cat <<MSG

The production profile is running (started in $((SECONDS - started)) s; state in $PROD_DIR).
  web chat:    http://localhost:$NGINX_PORT/chat/
  REST:        POST http://localhost:$NGINX_PORT/webhooks/rest/webhook  {"message": "hi"}
               with  Authorization: Bearer <token>
  socket.io:   http://localhost:$NGINX_PORT/socket.io  (auth: {token})
  sign-in:     $SIGN_IN
  health:      http://localhost:$NGINX_PORT/health  (nginx -> Rasa on ports $RASA_PORTS)
  actions:     http://127.0.0.1:$ACTION_PORT/health
  PostgreSQL:  127.0.0.1:$PG_PORT, databases $TRACKER_DB + $RECORDS_DB (scripts/prod/postgres.sh psql)
  Redis:       127.0.0.1:$REDIS_PORT (lock store)
  logs:        $LOG_DIR/, $PROD_DIR/nginx/, $PROD_DIR/pg/postgres.log
MSG
}

stop_all() {
  "$PROD_SCRIPTS/nginx.sh" stop || true
  local file
  # The Rasa servers and the action server side by side (each takes a few seconds).
  for file in $(rasa_pidfiles); do
    stop_pid "$file" "Rasa ($(basename "$file" .pid))" &
  done
  stop_pid "$RUN_DIR/actions.pid" "the action server" &
  wait
  "$PROD_SCRIPTS/redis.sh" stop || true
  "$PROD_SCRIPTS/postgres.sh" stop || true
}

cmd_stop() {
  # A foreground `start` stops everything itself when told to.
  if pid_alive "$SUPERVISOR_PID" && [ "$(cat "$SUPERVISOR_PID")" != "$$" ]; then
    stop_pid "$SUPERVISOR_PID" "run_prod.sh (foreground)"
  fi
  stop_all
  info "stopped"
}

status() {
  local code=0 file
  "$PROD_SCRIPTS/nginx.sh" status || code=3
  for file in $(rasa_pidfiles); do
    if pid_alive "$file"; then
      echo "$(basename "$file" .pid): running (pid $(cat "$file"))"
    else
      echo "$(basename "$file" .pid): stopped"
      code=3
    fi
  done
  if pid_alive "$RUN_DIR/actions.pid"; then
    echo "actions: running on 127.0.0.1:$ACTION_PORT"
  else
    echo "actions: stopped"
    code=3
  fi
  "$PROD_SCRIPTS/redis.sh" status || code=3
  "$PROD_SCRIPTS/postgres.sh" status || code=3
  return $code
}

# Foreground: stay up while nginx, the action server and at least one Rasa server run
# (a Rasa server that dies is reported; nginx sends its users to the others).
monitor() {
  local reported=' ' file alive name
  while true; do
    sleep 2
    pid_alive "$PROD_DIR/nginx/nginx.pid" || die "nginx stopped; stopping everything"
    pid_alive "$RUN_DIR/actions.pid" || die "the action server stopped; see $LOG_DIR/actions.log"
    alive=0
    for file in $(rasa_pidfiles); do
      name=$(basename "$file" .pid)
      if pid_alive "$file"; then
        alive=$((alive + 1))
      elif [[ $reported != *" $name "* ]]; then
        echo "warning: $name stopped (see $LOG_DIR/$name.log); the others carry on" >&2
        reported+="$name "
      fi
    done
    [ "$alive" -gt 0 ] || die "every Rasa server stopped; see $LOG_DIR/"
  done
}

# Before any trap is set: a second start must not stop the running profile.
check_can_start() {
  preflight
  make_prod_dirs
  if anything_running; then
    die "the production profile is already running ($PROD_DIR); stop it with: $0 stop"
  fi
}

foreground() {
  check_can_start
  echo $$ >"$SUPERVISOR_PID"
  trap 'echo; stop_all; rm -f "$SUPERVISOR_PID"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  up
  echo "Press Ctrl-C (or run: $0 stop) to stop everything."
  monitor
}

detached() {
  check_can_start
  # If starting fails half-way, stop what did start.
  trap 'stop_all' EXIT
  up
  trap - EXIT
  echo "Stop everything with: $0 stop"
}

case "${1:-start}" in
  start) foreground ;;
  up) detached ;;
  stop) cmd_stop ;;
  status) status ;;
  *)
    echo "usage: $0 {start|up|stop|status}" >&2
    exit 2
    ;;
esac
