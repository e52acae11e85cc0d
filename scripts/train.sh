#!/usr/bin/env bash
# Checks the knowledge base against the brochure, then trains models/assistant.tar.gz when its inputs
# changed since the last model (a stamp of their hash).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

.venv/bin/python -m actions.kb_build
MODEL=models/assistant.tar.gz
STAMP=models/.inputs

# What the model is made from: config, domain, training data, and the NLU components with the pure
# modules they import. Channels and actions are left out: changing them needs no retraining.
model_inputs=(config.yml domain.yml components/norwegian_normaliser.py components/written_standard.py components/intent_rules.py
              components/stateless.py
              actions/intent_rules.py actions/payout_inputs.py actions/knowledge.py
              actions/nortext.py actions/norwegian_stem.py)
inputs=$( (cat "${model_inputs[@]}" 2>/dev/null; find data -type f -name '*.yml' | LC_ALL=C sort | xargs cat) \
  | sha256sum | cut -c1-16)

if [ -f "$MODEL" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$inputs" ] && [ "${FORCE_TRAIN:-0}" != 1 ]; then
  echo "train: model is up to date ($MODEL)"
  exit 0
fi
start=$(date +%s)
.venv/bin/rasa train --fixed-model-name assistant --out models --quiet
echo "$inputs" > "$STAMP"
# The benchmark (make bench) reports the last training time from here.
echo "$(( $(date +%s) - start ))" > models/.train-seconds
echo "train: done in $(( $(date +%s) - start )) s"
