"""Store fixtures shared by the test folders that need a database: import the ones a
folder uses into its conftest.py (or test module)."""

from __future__ import annotations

import os
import warnings
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import RemovedIn20Warning
from sqlalchemy.orm import sessionmaker

from actions.settings import get_settings
from actions.store import db, people, repository, sharing
from actions.store.models import Base, Concern, Person, utc_now


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


@pytest.fixture
def service_db(monkeypatch, fresh_store_state):
    """The configured database is a fresh in-memory one with the models' schema, so the
    services (which open their own sessions) use it; yields its URL.

    With SUPERVISION_TEST_POSTGRES_URL set, a scratch PostgreSQL database is used
    instead (its tables are made for each test and dropped after it).
    """
    url = os.environ.get("SUPERVISION_TEST_POSTGRES_URL") or "sqlite://"
    monkeypatch.setenv("SUPERVISION_DATABASE_URL", url)
    get_settings.cache_clear()
    db.reset_engine()
    Base.metadata.create_all(db.get_engine())
    yield url
    if not db.is_sqlite(url):
        db.reset_engine()
        engine = db.make_engine(url)
        Base.metadata.drop_all(engine)
        engine.dispose()


# --- invented records for the people and supervision tests ----------------------------

DAY = timedelta(days=1)


def add_person(s, username: str, name: str, role: str = "worker", **extra) -> Person:
    return people.create_person(s, username, name, role, **extra)


def add_debrief(
    s,
    worker: Person,
    reference: str,
    *,
    answers: dict[str, str | tuple[str, str]] | None = None,
    concerns: list[tuple[str, str]] | None = None,
    urgent: tuple[str, ...] = (),
    visit_date: date | None = None,
    days_ago: int = 0,
    status: str = "completed",
):
    """A debrief of ``worker`` about ``reference``. ``answers``: question id -> value, or
    (value, free text); ``concerns``: (code, evidence) pairs, ``urgent`` naming codes;
    ``days_ago`` dates the debrief and its concerns back."""
    case = repository.get_or_create_case(s, reference, worker)
    debrief = repository.start_debrief(s, worker, case, f"sender-{worker.username}")
    for question_id, answer in (answers or {}).items():
        value, text = answer if isinstance(answer, tuple) else (answer, None)
        repository.record_answer(s, debrief.id, question_id, value, text)
    if visit_date is not None:
        repository.record_visit_details(s, debrief.id, visit_date=visit_date)
    for code, evidence in concerns or []:
        repository.record_concern(
            s, debrief.id, code, "structured", evidence, f"test:{code}", urgent=code in urgent
        )
    repository.set_debrief_status(s, debrief.id, status)
    if days_ago:
        back = utc_now() - days_ago * DAY
        debrief.started_at = debrief.updated_at = back
        debrief.completed_at = back if debrief.completed_at else None
        for concern in debrief.concerns:
            concern.created_at = concern.updated_at = back
    s.flush()
    return debrief


def concern_of(debrief, code: str) -> Concern:
    return next(c for c in debrief.concerns if c.code == code)


def share_concern(s, debrief, code: str, note: str | None = None) -> Concern:
    """The worker takes the concern to supervision (and shares the note, if given)."""
    concern = concern_of(debrief, code)
    repository.set_concern_status(s, concern.id, "for_supervision", worker_note=note)
    if note is not None:
        sharing.share_concern_note(s, concern)
    return concern
