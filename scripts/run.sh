#!/usr/bin/env bash
# Starts the action server, the Rasa server (REST + socketio, + Teams when its credentials are set) and the
# widget's sample page (web/ on $WIDGET_PORT) on $BIND_ADDRESS, in the foreground.
# Ctrl-C or SIGTERM stops every process it started; if one of them dies, the others are stopped too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

.venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" &
pids+=($!)

.venv/bin/rasa run --model models/assistant.tar.gz --interface "$BIND_ADDRESS" --port "$RASA_PORT" \
  --credentials "${CREDENTIALS_FILE:-credentials.yml}" --endpoints "${ENDPOINTS_FILE:-endpoints.yml}" \
  --cors "${CORS_ORIGINS:-http://localhost:$WIDGET_PORT}" &
pids+=($!)

.venv/bin/python scripts/widget_server.py --bind "$BIND_ADDRESS" --port "$WIDGET_PORT" &
pids+=($!)

echo "run: action server on $BIND_ADDRESS:$ACTION_PORT, assistant on http://$BIND_ADDRESS:$RASA_PORT," \
  "chat widget sample page on http://localhost:$WIDGET_PORT (Ctrl-C stops all)"
# Return as soon as any child exits, so a crash does not leave the other half running.
wait -n
status=$?
echo "run: a server stopped (exit $status); stopping the rest" >&2
exit "$status"
