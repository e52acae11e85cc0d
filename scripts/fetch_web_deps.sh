#!/usr/bin/env bash
# The widget's JavaScript dependencies, pinned here, fetched with npm (the registry verifies their integrity).
#   scripts/fetch_web_deps.sh           axe-core for the browser tests into .cache/axe-core/ (git-ignored)
#   scripts/fetch_web_deps.sh --vendor  also refresh web/vendor/socket.io.min.js and its licence (committed)
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_CORE_VERSION=4.14.1          # tests/test_widget_browser.py reads this line
SOCKET_IO_CLIENT_VERSION=4.8.4   # web/vendor/socket.io.min.js; tests/test_widget_files.py checks its header

AXE_DIR=.cache/axe-core/$AXE_CORE_VERSION
vendor=0
[ "${1:-}" = "--vendor" ] && vendor=1

if [ -f "$AXE_DIR/axe.min.js" ] && [ "$vendor" = 0 ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch_web_deps: npm is needed to fetch axe-core $AXE_CORE_VERSION (apt-get install npm)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$AXE_DIR/axe.min.js" ]; then
  (cd "$work" && npm pack --silent "axe-core@$AXE_CORE_VERSION" >/dev/null && tar xzf "axe-core-$AXE_CORE_VERSION.tgz")
  mkdir -p "$AXE_DIR"
  cp "$work/package/axe.min.js" "$work/package/LICENSE" "$AXE_DIR/"
  rm -rf "$work/package"
  echo "fetch_web_deps: axe-core $AXE_CORE_VERSION in $AXE_DIR"
fi

if [ "$vendor" = 1 ]; then
  (cd "$work" && npm pack --silent "socket.io-client@$SOCKET_IO_CLIENT_VERSION" >/dev/null \
    && tar xzf "socket.io-client-$SOCKET_IO_CLIENT_VERSION.tgz")
  cp "$work/package/dist/socket.io.min.js" web/vendor/socket.io.min.js
  cp "$work/package/LICENSE" web/vendor/socket.io-client.LICENSE
  echo "fetch_web_deps: socket.io-client $SOCKET_IO_CLIENT_VERSION in web/vendor/"
fi
