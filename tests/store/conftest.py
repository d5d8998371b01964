"""Fixtures for the store tests: a fast in-memory database and file databases."""

from __future__ import annotations

import os

# Report any use of SQLAlchemy APIs that 2.0 removes. Read when SQLAlchemy is first
# imported, so it must be set before the imports below.
os.environ.setdefault("SQLALCHEMY_WARN_20", "1")


import pytest

from actions.settings import get_settings
from actions.store import db, repository
from tests.store_fixtures import engine, fresh_store_state, session  # noqa: F401 - fixtures


@pytest.fixture
def sqlite_file_url(tmp_path):
    """URL of a SQLite file in a directory that does not exist yet."""
    return f"sqlite:///{tmp_path / 'var' / 'supervision.db'}"


@pytest.fixture
def configured_database(monkeypatch, sqlite_file_url):
    """Point the settings at a fresh, migrated SQLite file; returns its URL."""
    monkeypatch.setenv("SUPERVISION_DATABASE_URL", sqlite_file_url)
    get_settings.cache_clear()
    db.upgrade_database()
    return sqlite_file_url


@pytest.fixture
def person(session):
    return repository.get_or_create_person_for_sender(session, "rest", "sender-1")


@pytest.fixture
def case(session, person):
    return repository.get_or_create_case(session, "AB 123", person)


@pytest.fixture
def debrief(session, person, case):
    return repository.start_debrief(session, person, case, "sender-1")
