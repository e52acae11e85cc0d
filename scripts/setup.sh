#!/usr/bin/env bash
# Creates .venv with the pinned working set. Idempotent: a stamp of the requirement files skips
# the work when nothing changed. Rasa 3.6 declares Python <3.11; requirements/constraints.txt
# holds the pins that make it install and run on 3.11 (README, "Python 3.11").
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=.venv
STAMP=$VENV/.installed
want=$(cat requirements/requirements.txt requirements/lock.txt requirements/constraints.txt | sha256sum | cut -c1-16)

# The widget's browser tests (`make test` sets SETUP_BROWSER=1): Debian's Chromium, driven by Playwright, and
# axe-core from npm. Checked before the stamp, since a machine set up by `make run` lacks them. Without them the
# browser tests fail with a message saying so; they never skip.
if [ "${SETUP_BROWSER:-0}" = 1 ]; then
  if ! dpkg -s chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "setup: installing chromium with apt-get (for the widget's browser tests)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: the widget's browser tests need Debian's chromium: apt-get install chromium" >&2
    fi
  fi
  scripts/fetch_web_deps.sh || echo "setup: could not fetch axe-core; the accessibility test will fail" >&2
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  exit 0
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup: $PYTHON not found. Install Python 3.11 (or set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

# System libraries for the matplotlib 3.5.3 source build (pip's cache keeps the built wheel).
missing=()
for pkg in libfreetype-dev libqhull-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
fi

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade "pip==24.0" "setuptools==70.3.0" "wheel==0.45.1" 2>&1 \
  | { grep -v "^WARNING: Location 'file:" || true; }
echo "setup: installing the pinned Python packages into $VENV (first run: a few minutes; the matplotlib build is cached by pip)"
# grep drops the machine's notes about an absent local mirror; pip's own errors still show.
set -o pipefail
MPLSETUPCFG="$PWD/requirements/mplsetup.cfg" "$VENV/bin/python" -m pip install -q \
  --ignore-requires-python -c requirements/lock.txt -r requirements/requirements.txt 2>&1 \
  | { grep -v "^WARNING: Location 'file:" || true; }
echo "$want" > "$STAMP"
echo "setup: done"
