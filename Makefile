# The two commands: `make run` and `make test`. Each does its own set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help setup kb train run shell test test-fast validate eval bench teams-package report retention clean

help:
	@echo "make run     set up, train if needed, start the assistant on http://127.0.0.1:$${RASA_PORT:-5005}"
	@echo "make test    set up, train if needed, run the whole test suite"
	@echo "make train   train the model when data or config changed"
	@echo "make shell   talk to the assistant in the terminal"
	@echo "make kb      build and check the knowledge base against the brochure"
	@echo "make eval    evaluate the NLU on the held-out test set and the test stories"
	@echo "make bench   measure latency, throughput, memory against a bare Rasa bot; writes BENCHMARKS.md"
	@echo "make teams-package  build teams/build/forsikringsassistenten.zip (docs/teams.md)"
	@echo "make report  HR's report on the conversations (ARGS=\"--since 2025-01-01\"; docs/privacy-and-reporting.md)"
	@echo "make retention  delete conversations and HR cases older than RETENTION_DAYS (90)"

setup:
	@scripts/setup.sh

kb: setup
	@$(PY) -m actions.kb_build

train: setup
	@scripts/train.sh

run: train
	@scripts/run.sh

shell: train
	@source scripts/env.sh && ( $(PY) -m rasa_sdk --actions actions --port $$ACTION_PORT >$$STATE_DIR/actions-shell.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; $(VENV)/bin/rasa shell --model models/assistant.tar.gz --endpoints endpoints.yml )

validate: setup
	@source scripts/env.sh && $(VENV)/bin/rasa data validate --fail-on-warnings

# The browser tests need Chromium (apt) and axe-core (npm): setup.sh fetches them only for the full test run.
test: export SETUP_BROWSER := 1
test: train
	@source scripts/env.sh && $(PY) -m pytest

test-fast: setup
	@source scripts/env.sh && $(PY) -m pytest -m "not slow"

eval: train
	@source scripts/env.sh && $(PY) scripts/nlu_report.py

# Needs a trained model; not `train` as a prerequisite, so a benchmark never starts a training run by itself.
# BENCH_ARGS=--train also times a full training (minutes, and it competes for the CPU).
bench: setup
	@$(PY) scripts/bench/run_bench.py $(BENCH_ARGS)

teams-package: setup
	@$(PY) scripts/teams_package.py

# HR's deflection report from the conversations' database: a terminal table and reports/hr-rapport*.html.
report: setup
	@source scripts/env.sh && $(PY) -m reporting $(ARGS)

# Deletes conversations and HR cases older than RETENTION_DAYS (default 90); ARGS=--dry-run to only count.
retention: setup
	@source scripts/env.sh && $(PY) -m reporting.retention --days $${RETENTION_DAYS:-90} $(ARGS)

clean:
	rm -rf models results reports .rasa kb/build .pytest_cache
