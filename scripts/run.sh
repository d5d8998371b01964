#!/usr/bin/env bash
# Start the action server (port 5055) and the Rasa server (port 5005) on localhost,
# wait until both answer, say where to talk to the bot, and stop both on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTION_PORT=${ACTION_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
MODEL=${MODEL:-models/current.tar.gz}
LOG_DIR=${LOG_DIR:-var/log}
mkdir -p "$LOG_DIR"

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

SANIC_HOST=127.0.0.1 .venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" \
  >"$LOG_DIR/actions.log" 2>&1 &
pids+=($!)
.venv/bin/rasa run --model "$MODEL" --enable-api --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml --cors "http://localhost:$RASA_PORT" \
  >"$LOG_DIR/rasa.log" 2>&1 &
pids+=($!)

.venv/bin/python scripts/wait_for.py "http://127.0.0.1:$ACTION_PORT/health" \
  "http://127.0.0.1:$RASA_PORT/status" --timeout 180 --pids "${pids[@]}" \
  --logs "$LOG_DIR/actions.log" "$LOG_DIR/rasa.log"

cat <<MSG

The assistant is running (logs in $LOG_DIR/).
  REST:       POST http://localhost:$RASA_PORT/webhooks/rest/webhook  {"sender": "me", "message": "hi"}
  socket.io:  http://localhost:$RASA_PORT/socket.io
  HTTP API:   http://localhost:$RASA_PORT/status
  Actions:    http://localhost:$ACTION_PORT/health
Try it in a terminal with:  make shell        Press Ctrl-C to stop both servers.
MSG
wait -n "${pids[@]}"
echo "A server stopped unexpectedly; see $LOG_DIR/." >&2
exit 1
