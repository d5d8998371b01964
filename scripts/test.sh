#!/usr/bin/env bash
# The whole test suite, run by `make test` (and so by .ci/run) after set-up.
# pytest runs last so that its closing line is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore

echo "== domain/debrief.yml matches the question bank"
.venv/bin/python -m actions.bank.gen_domain --check

echo "== the concern classifier was fitted on the labelled files it lists"
.venv/bin/python -m actions.concerns.classifier_train --check

echo "== rasa data validate (warnings fail)"
.venv/bin/rasa data validate --domain domain --data data --config config.yml \
  --fail-on-warnings --quiet

echo "== conversation tests (tests/test_stories.yml)"
rm -rf results/stories && mkdir -p results
.venv/bin/rasa test core --model models/current.tar.gz --stories tests/test_stories.yml \
  --endpoints endpoints.yml --e2e --fail-on-prediction-errors --out results/stories --quiet \
  >results/stories.log 2>&1 || { tail -n 40 results/stories.log; cat results/stories/failed_test_stories.yml 2>/dev/null; exit 1; }
grep -h "Correct:" results/stories.log | head -n 3 || true

echo "== pytest"
.venv/bin/python -m pytest "$@"
