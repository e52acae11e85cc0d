# Sourced by the other scripts: defaults for every setting, each overridable from the environment.
export RASA_PORT=${RASA_PORT:-5005}
export ACTION_PORT=${ACTION_PORT:-5055}
export WIDGET_PORT=${WIDGET_PORT:-8080}
export BIND_ADDRESS=${BIND_ADDRESS:-127.0.0.1}
export SANIC_HOST=$BIND_ADDRESS           # the action server's bind address
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONHASHSEED=0
export STATE_DIR=${STATE_DIR:-$PWD/.rasa}
mkdir -p "$STATE_DIR"

# Conversations: a SQLite file unless DATABASE_URL names a PostgreSQL database.
if [ -n "${DATABASE_URL:-}" ]; then
  # SQLAlchemy 1.4 no longer accepts the short 'postgres://' scheme.
  export TRACKER_STORE_URL=${DATABASE_URL/#postgres:\/\//postgresql://}
else
  export TRACKER_STORE_URL="sqlite:///$STATE_DIR/conversations.db"
fi

# Channels: credentials.yml (REST + socketio) is the offline default. With all three Microsoft values set, an
# effective copy in $STATE_DIR adds the Teams channel (components/teams_channel.py, docs/teams.md). It names the
# variables, not their values: Rasa fills ${...} from the environment, so the secret is never written to disk.
if [ -z "${CREDENTIALS_FILE:-}" ]; then
  if [ -n "${MICROSOFT_APP_ID:-}" ] && [ -n "${MICROSOFT_APP_PASSWORD:-}" ] && [ -n "${MICROSOFT_TENANT_ID:-}" ]; then
    export CREDENTIALS_FILE="$STATE_DIR/credentials.yml"
    { cat credentials.yml; printf '%s\n' '' '# Added by scripts/env.sh because the Microsoft credentials are set.' \
        'components.teams_channel.TeamsInput:' \
        '  app_id: ${MICROSOFT_APP_ID}' \
        '  app_password: ${MICROSOFT_APP_PASSWORD}' \
        '  tenant_id: ${MICROSOFT_TENANT_ID}'; } > "$CREDENTIALS_FILE"
  elif [ -n "${MICROSOFT_APP_ID:-}${MICROSOFT_APP_PASSWORD:-}${MICROSOFT_TENANT_ID:-}" ]; then
    echo "env: Teams stays off: set all of MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_TENANT_ID" >&2
  fi
fi

# Redis lock store, used only with ENDPOINTS_FILE=endpoints.scale.yml (several Rasa servers; docs/scaling.md).
export REDIS_HOST=${REDIS_HOST:-127.0.0.1}
export REDIS_PORT=${REDIS_PORT:-6379}
export REDIS_DB=${REDIS_DB:-1}
export REDIS_PASSWORD=${REDIS_PASSWORD:-}
export REDIS_KEY_PREFIX=${REDIS_KEY_PREFIX:-helsevest}
