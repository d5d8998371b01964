"""The service and store tests that honour SUPERVISION_TEST_POSTGRES_URL (the
``service_db`` fixture in tests/store_fixtures.py: tests/services, tests/people,
tests/retention), rerun against a PostgreSQL cluster of their own (scripts/prod/
postgres.sh on a free port, temporary directory), plus the Alembic migrations up, down
and up. Skipped, saying what is missing, without the PostgreSQL binaries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.harness import PROJECT_ROOT, PgCluster, postgres_missing

MISSING = postgres_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
FOLDERS = ["tests/services", "tests/people", "tests/retention"]


@pytest.fixture(scope="module")
def pg():
    cluster = PgCluster().start()
    yield cluster
    cluster.destroy()


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISION_")}
    env.update(SUPERVISION_TEST_POSTGRES_URL=url, SQLALCHEMY_SILENCE_UBER_WARNING="1")
    return env


def test_service_tests_pass_on_postgresql(pg):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *FOLDERS],
        cwd=PROJECT_ROOT,
        env=_env(pg.url("tracker")),  # a scratch database: tables made and dropped per test
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_migrations_up_down_up_on_postgresql(pg):
    env = {**_env(""), "SUPERVISION_DATABASE_URL": pg.url("records")}
    for args in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"]):
        done = subprocess.run(
            [str(Path(sys.executable).parent / "alembic"), "-c", "alembic.ini", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"alembic {' '.join(args)}:\n{done.stderr[-3000:]}"
