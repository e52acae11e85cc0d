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
