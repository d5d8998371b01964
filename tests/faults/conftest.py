"""Fault tests: servers killed, restarted or loaded while debriefs are under way.

Each module starts its own servers on free ports with temporary databases (SQLite, or a
PostgreSQL cluster of its own from scripts/prod/postgres.sh). PostgreSQL tests are
skipped, saying what is missing, when the server binaries are not installed.
FAULTS_DEBRIEFS (50) and FAULTS_ANSWERS (3) size the concurrent-debrief tests.
"""

from __future__ import annotations

import os

import pytest

from devtools.servers import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "current.tar.gz"
DEBRIEFS = int(os.environ.get("FAULTS_DEBRIEFS", "50"))
ANSWERS = int(os.environ.get("FAULTS_ANSWERS", "3"))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: kills or restarts servers mid-debrief, or loads them (minutes)"
    )


@pytest.fixture(scope="session")
def model():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    return MODEL
