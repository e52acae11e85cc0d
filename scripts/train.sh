#!/usr/bin/env bash
# Trains models/assistant.tar.gz when its inputs changed since the last model (a stamp of their hash).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
MODEL=models/assistant.tar.gz
STAMP=models/.inputs

inputs=$( (cat config.yml domain.yml; find data components kb -type f \( -name '*.yml' -o -name '*.py' -o -name '*.md' \) \
  -not -path 'kb/build/*' | LC_ALL=C sort | xargs cat) | sha256sum | cut -c1-16)

if [ -f "$MODEL" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$inputs" ] && [ "${FORCE_TRAIN:-0}" != 1 ]; then
  echo "train: model is up to date ($MODEL)"
  exit 0
fi
if [ -f actions/kb_build.py ]; then
  .venv/bin/python -m actions.kb_build
fi
start=$(date +%s)
.venv/bin/rasa train --fixed-model-name assistant --out models --quiet
echo "$inputs" > "$STAMP"
echo "train: done in $(( $(date +%s) - start )) s"
