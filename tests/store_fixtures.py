"""Store fixtures shared by the test folders that need a database: import the ones a
folder uses into its conftest.py (or test module)."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy.exc import RemovedIn20Warning
from sqlalchemy.orm import sessionmaker

from actions.settings import get_settings
from actions.store import db
from actions.store.models import Base


@pytest.fixture(autouse=True)
def fresh_store_state():
    """Each test starts with no cached settings or engines, and leaves none behind; any
    use of an API that SQLAlchemy 2.0 removes fails the test."""
    get_settings.cache_clear()
    db.reset_engine()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedIn20Warning)
        yield
    db.reset_engine()
    get_settings.cache_clear()


@pytest.fixture
def engine():
    """An in-memory database with the schema made from the models (fast)."""
    engine = db.make_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    factory = sessionmaker(engine, future=True, expire_on_commit=False)
    session = factory()
    yield session
    session.rollback()
    session.close()
