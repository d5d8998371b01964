"""Fixtures for the people command line: a fresh in-memory database (the command opens
its own sessions) and a click runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from actions.people.cli import cli
from tests.store_fixtures import fresh_store_state, service_db  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def database(service_db):  # noqa: F811 - the imported fixture
    return service_db


@pytest.fixture
def invoke():
    """Run ``python -m actions.people ARGS``; returns click's Result (exit_code, stdout,
    stderr)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, list(args), prog_name="python -m actions.people")

    return run


@pytest.fixture
def staff(invoke):
    """A team, a supervisor, two workers (one supervised) and an administrator."""
    for args in (
        ("team", "add", "North Team"),
        ("add", "sam.k", "Sam Kerr", "--role", "supervisor", "--team", "North Team"),
        ("add", "jo.b", "Jo Bell", "--email", "jo@example.org", "--team", "north team"),
        ("add", "lee.m", "Lee Moss", "--external-id", "aad-lee-01"),
        ("add", "ana.a", "Ana Admin", "--role", "administrator"),
        ("assign", "sam.k", "jo.b"),
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
