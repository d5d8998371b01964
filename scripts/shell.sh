#!/usr/bin/env bash
# Chat with the bot in this terminal: starts the action server in the background and
# stops it again when the shell ends.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log
SANIC_HOST=127.0.0.1 .venv/bin/python -m rasa_sdk --actions actions --port "${ACTION_PORT:-5055}" \
  >var/log/actions-shell.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
.venv/bin/python scripts/wait_for.py "http://127.0.0.1:${ACTION_PORT:-5055}/health" --pids $actions_pid \
  --logs var/log/actions-shell.log
# Localhost only: the terminal channel trusts its sender id, so it is for local use alone.
.venv/bin/rasa shell --model models/current.tar.gz --endpoints endpoints.yml --interface 127.0.0.1
