# Two commands do everything on a fresh machine:
#   make run    set up (venv, pinned packages, migrations, model) and serve the bot
#   make test   the same set-up, then the whole test suite
# Each step is skipped when its inputs have not changed, so a second run starts in seconds.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/current.tar.gz
STAMP := $(VENV)/.installed
TRAINING_INPUTS := config.yml $(wildcard components/*.py) $(wildcard domain/*.yml) $(shell find data -name '*.yml' 2>/dev/null)
BANK_FILES := $(wildcard actions/bank/questions/*.yml)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: run shell test setup install domain migrate train validate lint format lock clean help run-prod stop-prod

help:
	@echo "make run     set up when needed, then serve the bot (REST + socket.io) on localhost"
	@echo "make shell   chat with the bot in this terminal"
	@echo "make test    set up when needed, then run the whole test suite"
	@echo "make lint    ruff check; make format to reformat"
	@echo "make domain  regenerate domain/debrief.yml from the question bank"

$(STAMP): constraints.txt requirements.in requirements-dev.in
	@python=$$(scripts/find_python.sh) && \
	  { [ -x $(PY) ] || { echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); }; }
	$(PY) -m pip install --quiet --upgrade pip wheel
	$(PY) -m pip install --quiet -r requirements.in -r requirements-dev.in -c constraints.txt
	@touch $@

install: $(STAMP)

domain/debrief.yml: $(BANK_FILES) actions/bank/schema.py actions/bank/gen_domain.py | $(STAMP)
	$(PY) -m actions.bank.gen_domain

domain: domain/debrief.yml

migrate: $(STAMP)
	@mkdir -p var
	$(PY) -m actions.store migrate

$(MODEL): $(TRAINING_INPUTS) domain/debrief.yml | $(STAMP)
	@echo "Training the model (inputs changed or no model yet) ..."
	$(RASA) train --domain domain --data data --config config.yml --out models \
	  --fixed-model-name current

train: $(MODEL)

setup: install domain migrate train

run: setup
	@scripts/run.sh

shell: setup
	@scripts/shell.sh

validate: install domain
	$(RASA) data validate --domain domain --data data --config config.yml --fail-on-warnings

test: setup
	@scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Re-pin every package after changing requirements*.in (needs the registry).
lock:
	rm -rf .lock-venv && "$$(scripts/find_python.sh)" -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in -r requirements-dev.in
	.lock-venv/bin/pip freeze --exclude-editable > constraints.txt && rm -rf .lock-venv

clean:
	rm -rf models var .pytest_cache results

# The production profile on this machine: PostgreSQL, Redis, two Rasa servers behind
# nginx, the action server (Debian packages; see docs/DEPLOYMENT.md). Ctrl-C stops it.
run-prod: install domain train
	@scripts/prod/run_prod.sh start

stop-prod:
	@scripts/prod/run_prod.sh stop
