#!/usr/bin/env bash
# Start the action server (port 5055) and the Rasa server (port 5005) on localhost,
# wait until both answer, say where to talk to the bot, and stop both on Ctrl-C.
#
# Every chat request must carry a signed token (channels/, actions/identity/). This
# script turns on the development sign-in (SUPERVISION_DEV_SIGNIN=1: short-lived tokens
# for people in the database, signed with a secret generated into var/secrets/); set
# SUPERVISION_DEV_SIGNIN=0 and SUPERVISION_OIDC_* to trust only the organisation's
# identity provider. The Rasa HTTP API is not exposed unless SUPERVISION_RASA_API_TOKEN
# is set (then every API call needs ?token=...).
set -euo pipefail
cd "$(dirname "$0")/.."

ACTION_PORT=${ACTION_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
MODEL=${MODEL:-models/current.tar.gz}
LOG_DIR=${LOG_DIR:-var/log}
CREDENTIALS=${CREDENTIALS:-var/credentials.yml}
export SUPERVISION_DEV_SIGNIN=${SUPERVISION_DEV_SIGNIN:-1}
export SUPERVISION_CORS_ORIGINS=${SUPERVISION_CORS_ORIGINS:-"http://localhost:$RASA_PORT http://127.0.0.1:$RASA_PORT"}
mkdir -p "$LOG_DIR"

# The channels (and Microsoft Teams only when SUPERVISION_TEAMS_APP_ID is set).
.venv/bin/python scripts/credentials.py --out "$CREDENTIALS"
case "${SUPERVISION_DEV_SIGNIN,,}" in
  1 | true | yes | on) .venv/bin/python -m actions.identity secret >/dev/null ;;
esac

api_args=()
if [ -n "${SUPERVISION_RASA_API_TOKEN:-}" ]; then
  api_args=(--enable-api --auth-token "$SUPERVISION_RASA_API_TOKEN")
fi
read -r -a cors_origins <<<"$SUPERVISION_CORS_ORIGINS"

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo
    echo "Stopping the servers ..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all INT TERM EXIT

# The action server listens on localhost only (it has no authentication of its own).
SANIC_HOST=127.0.0.1 .venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" \
  >"$LOG_DIR/actions.log" 2>&1 &
pids+=($!)
.venv/bin/rasa run --model "$MODEL" "${api_args[@]}" --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials "$CREDENTIALS" --cors "${cors_origins[@]}" \
  >"$LOG_DIR/rasa.log" 2>&1 &
pids+=($!)

.venv/bin/python scripts/wait_for.py "http://127.0.0.1:$ACTION_PORT/health" \
  "http://127.0.0.1:$RASA_PORT/webhooks/rest/" --timeout 180 --pids "${pids[@]}" \
  --logs "$LOG_DIR/actions.log" "$LOG_DIR/rasa.log"

api_line="not exposed (set SUPERVISION_RASA_API_TOKEN to expose it with a token)"
if [ ${#api_args[@]} -gt 0 ]; then
  api_line="http://localhost:$RASA_PORT/status?token=\$SUPERVISION_RASA_API_TOKEN"
fi
cat <<MSG

The assistant is running (logs in $LOG_DIR/).
  Web chat:   http://localhost:$RASA_PORT/chat/   (development sign-in: people in the database)
  REST:       POST http://localhost:$RASA_PORT/webhooks/rest/webhook  {"message": "hi"}
              with  Authorization: Bearer \$(.venv/bin/python -m actions.identity token PERSON_ID)
  socket.io:  http://localhost:$RASA_PORT/socket.io  (auth: {token})
  HTTP API:   $api_line
  Actions:    http://localhost:$ACTION_PORT/health (this machine only)
Try it in a terminal with:  make shell        Press Ctrl-C to stop both servers.
MSG
wait -n "${pids[@]}"
echo "A server stopped unexpectedly; see $LOG_DIR/." >&2
exit 1
