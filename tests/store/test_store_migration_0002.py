"""Migration 0002 (people, teams, supervision, sharing, audit): upgrade from 0001 with
records present, downgrade, and the PostgreSQL SQL it emits."""

from __future__ import annotations

import io
import os

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from actions.store import db
from tests.store.test_store_migrations import schema_differences

OLD_TABLES = {
    "people",
    "chat_identities",
    "cases",
    "visits",
    "debriefs",
    "answers",
    "answer_revisions",
    "concerns",
}
NOW = "2026-03-01 10:00:00+00:00"

# Invented records as 0001 stored them: an admin, a worker with a debrief, two concerns
# (one taken to supervision) and an answer.
SEED_0001 = [
    f"INSERT INTO people (id, display_name, role, active, created_at)"
    f" VALUES ('p-admin', 'Ana', 'admin', 1, '{NOW}')",
    f"INSERT INTO people (id, display_name, role, active, created_at)"
    f" VALUES ('p-jo', NULL, 'worker', 1, '{NOW}')",
    f"INSERT INTO chat_identities (id, channel, sender_id, person_id, created_at)"
    f" VALUES ('i-1', 'rest', 'jo-chat', 'p-jo', '{NOW}')",
    f"INSERT INTO cases (id, reference, reference_key, owner_id, created_at)"
    f" VALUES ('c-1', 'CP-1', 'CP-1', 'p-jo', '{NOW}')",
    f"INSERT INTO debriefs (id, person_id, case_id, sender_id, status, started_at, updated_at)"
    f" VALUES ('d-1', 'p-jo', 'c-1', 'jo-chat', 'completed', '{NOW}', '{NOW}')",
    f"INSERT INTO answers (id, debrief_id, question_id, value, free_text, answered_at,"
    f" updated_at) VALUES ('a-1', 'd-1', 'for_supervision', 'text', 'The door.', '{NOW}',"
    f" '{NOW}')",
    f"INSERT INTO concerns (id, debrief_id, case_id, code, source, rule_id, evidence, urgent,"
    f" status, created_at, updated_at) VALUES ('k-1', 'd-1', 'c-1', 'hostility', 'structured',"
    f" 'r1', 'Shouting.', 0, 'for_supervision', '{NOW}', '{NOW}')",
    f"INSERT INTO concerns (id, debrief_id, case_id, code, source, rule_id, evidence, urgent,"
    f" status, created_at, updated_at) VALUES ('k-2', 'd-1', 'c-1', 'drift', 'structured',"
    f" 'r2', 'No change.', 0, 'open', '{NOW}', '{NOW}')",
]


def run(url: str, *statements: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def rows(url: str, query: str) -> list[tuple]:
    engine = db.make_engine(url)
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(query))]
    engine.dispose()
    return found


def columns(url: str, table: str) -> set[str]:
    engine = db.make_engine(url)
    found = {column["name"] for column in inspect(engine).get_columns(table)}
    engine.dispose()
    return found


@pytest.fixture
def url_at_0001_with_records(sqlite_file_url):
    db.upgrade_database(sqlite_file_url, "0001")
    run(sqlite_file_url, *SEED_0001)
    return sqlite_file_url


def test_upgrade_from_0001_keeps_the_records(url_at_0001_with_records):
    url = url_at_0001_with_records
    db.upgrade_database(url)

    assert schema_differences(url) == []
    assert rows(url, "SELECT id, role, active, username FROM people ORDER BY id") == [
        ("p-admin", "administrator", 1, None),
        ("p-jo", "worker", 1, None),
    ]
    shared = rows(url, "SELECT id, shared_at IS NOT NULL FROM concerns ORDER BY id")
    assert shared == [("k-1", 1), ("k-2", 0)]  # the concern taken to supervision is shared
    assert rows(url, "SELECT free_text, shared_at FROM answers") == [("The door.", None)]
    assert rows(url, "SELECT sender_id FROM chat_identities") == [("jo-chat",)]


def test_after_the_upgrade_roles_and_usernames_are_checked(url_at_0001_with_records):
    url = url_at_0001_with_records
    db.upgrade_database(url)

    with pytest.raises(IntegrityError, match="CHECK"):
        run(url, "UPDATE people SET role = 'admin' WHERE id = 'p-jo'")
    run(url, "UPDATE people SET username = 'jo.b' WHERE id = 'p-jo'")
    with pytest.raises(IntegrityError, match="UNIQUE"):
        run(url, "UPDATE people SET username = 'jo.b' WHERE id = 'p-admin'")


def test_downgrade_to_0001_removes_0002_and_keeps_the_rest(url_at_0001_with_records):
    url = url_at_0001_with_records
    db.upgrade_database(url)
    run(
        url,
        "UPDATE people SET username = 'jo.b', email = 'jo@example.org' WHERE id = 'p-jo'",
        f"INSERT INTO teams (id, name, created_at) VALUES ('t-1', 'North', '{NOW}')",
        f"INSERT INTO audit_log (id, actor_id, subject_id, action, at)"
        f" VALUES ('l-1', 'p-admin', 'p-jo', 'read:prepare', '{NOW}')",
    )

    command.downgrade(db.alembic_config(url), "0001")

    engine = db.make_engine(url)
    assert set(inspect(engine).get_table_names()) == OLD_TABLES | {"alembic_version"}
    engine.dispose()
    assert columns(url, "people") == {"id", "display_name", "role", "active", "created_at"}
    assert "shared_at" not in columns(url, "concerns") | columns(url, "answers")
    assert rows(url, "SELECT id, role FROM people ORDER BY id") == [
        ("p-admin", "admin"),
        ("p-jo", "worker"),
    ]
    assert rows(url, "SELECT count(*) FROM concerns") == [(2,)]
    with pytest.raises(IntegrityError, match="CHECK"):
        run(url, "UPDATE people SET role = 'administrator' WHERE id = 'p-jo'")

    db.upgrade_database(url)  # and up again
    assert schema_differences(url) == []


def test_the_postgresql_sql_alters_people_in_place():
    config = db.alembic_config("postgresql://nobody@localhost/none")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "0001:0002", sql=True)
    sql = config.output_buffer.getvalue()

    assert "ALTER TABLE people ADD COLUMN username VARCHAR(64)" in sql
    assert "ALTER TABLE people ADD CONSTRAINT uq_people_external_id UNIQUE (external_id)" in sql
    assert "UPDATE people SET role='administrator' WHERE people.role = 'admin'" in sql
    assert "CREATE TABLE audit_log" in sql
    assert "_alembic_tmp_" not in sql  # no table rebuilt: PostgreSQL alters in place


POSTGRES_URL = os.environ.get("SUPERVISION_TEST_POSTGRES_URL")


@pytest.mark.skipif(not POSTGRES_URL, reason="set SUPERVISION_TEST_POSTGRES_URL to run")
def test_upgrade_and_downgrade_on_postgresql():
    """Against a scratch PostgreSQL database (it is emptied first and last)."""
    config = db.alembic_config(POSTGRES_URL)
    command.downgrade(config, "base")
    db.upgrade_database(POSTGRES_URL, "0001")
    run(
        POSTGRES_URL,
        *(s.replace(", 1, '", ", true, '").replace(", 0, '", ", false, '") for s in SEED_0001),
    )
    db.upgrade_database(POSTGRES_URL)
    assert schema_differences(POSTGRES_URL) == []
    assert rows(POSTGRES_URL, "SELECT role FROM people WHERE id = 'p-admin'") == [
        ("administrator",)
    ]
    command.downgrade(config, "0001")
    assert rows(POSTGRES_URL, "SELECT role FROM people WHERE id = 'p-admin'") == [("admin",)]
    command.downgrade(config, "base")
