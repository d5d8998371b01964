"""Engine, session and SQLite set-up."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.pool import StaticPool

from actions.store import db
from actions.store.models import Base, ChatIdentity, Person


def test_engine_is_made_once_per_url_and_from_settings(configured_database):
    engine = db.get_engine()

    assert db.get_engine() is engine
    assert db.get_engine(configured_database) is engine
    assert str(engine.url) == configured_database
    assert db.get_sessionmaker() is db.get_sessionmaker(configured_database)


def test_reset_engine_makes_a_new_engine_next_time(configured_database):
    first = db.get_engine()
    db.reset_engine()
    assert db.get_engine() is not first


def test_file_database_gets_its_directory_and_pragmas(tmp_path):
    url = f"sqlite:///{tmp_path / 'not' / 'yet' / 'there.db'}"
    engine = db.get_engine(url)
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    assert (tmp_path / "not" / "yet").is_dir()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000}


def test_memory_database_is_shared_by_every_session():
    url = "sqlite://"
    engine = db.get_engine(url)
    assert isinstance(engine.pool, StaticPool)
    Base.metadata.create_all(engine)
    with db.session_scope(url) as s:
        s.add(Person())
    with db.session_scope(url) as s:
        assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 1


def test_session_scope_commits_on_success_and_rolls_back_on_error(configured_database):
    with db.session_scope() as s:
        s.add(Person(display_name="kept"))
    with pytest.raises(RuntimeError), db.session_scope() as s:
        s.add(Person(display_name="discarded"))
        s.flush()
        raise RuntimeError("boom")

    with db.session_scope() as s:
        names = s.execute(select(Person.display_name)).scalars().all()
    assert names == ["kept"]


def test_foreign_keys_are_enforced(session):
    session.add(ChatIdentity(channel="rest", sender_id="x", person_id="no-such-person"))
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        session.flush()


def test_datetimes_come_back_in_utc(session):
    paris_noon = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    person = Person(created_at=paris_noon)
    session.add(person)
    session.flush()
    session.expire(person)

    assert person.created_at == paris_noon
    assert person.created_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(session):
    session.add(Person(created_at=datetime(2024, 5, 1, 12, 0)))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()
