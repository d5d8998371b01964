"""The Alembic migration creates exactly the schema the models describe."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError

from actions.settings import PROJECT_ROOT
from actions.store import db
from actions.store.models import Base

TABLES = {
    "people",
    "chat_identities",
    "cases",
    "visits",
    "debriefs",
    "answers",
    "answer_revisions",
    "concerns",
    "teams",
    "team_members",
    "supervisor_assignments",
    "supervision_sessions",
    "supervision_notes",
    "session_concerns",
    "agreed_actions",
    "audit_log",
}


def schema_differences(url: str) -> list:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_upgrade_head_creates_the_models_schema(sqlite_file_url):
    db.upgrade_database(sqlite_file_url)

    engine = db.make_engine(sqlite_file_url)
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) >= TABLES
    index_names = {ix["name"] for ix in inspector.get_indexes("debriefs")}
    assert "ix_debriefs_person_id_status" in index_names
    unique = {uq["name"] for uq in inspector.get_unique_constraints("cases")}
    assert "uq_cases_owner_id_reference_key" in unique
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        assert version.scalar_one() == "0003"
    engine.dispose()

    assert schema_differences(sqlite_file_url) == []


def test_upgrade_twice_is_harmless_and_downgrade_removes_everything(sqlite_file_url):
    from alembic import command

    db.upgrade_database(sqlite_file_url)
    db.upgrade_database(sqlite_file_url)
    command.downgrade(db.alembic_config(sqlite_file_url), "base")

    engine = db.make_engine(sqlite_file_url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()


def test_migrate_command_uses_the_configured_database(sqlite_file_url, tmp_path):
    env = {"SUPERVISION_DATABASE_URL": sqlite_file_url, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "actions.store", "migrate"],
        cwd=tmp_path,  # any working directory will do
        env={**env, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert schema_differences(sqlite_file_url) == []


def test_a_failed_migration_leaves_nothing_behind(sqlite_file_url):
    engine = db.make_engine(sqlite_file_url)
    with engine.begin() as connection:  # a clash half-way through 0001
        connection.exec_driver_sql("CREATE TABLE concerns (x INTEGER)")

    with pytest.raises(OperationalError):
        db.upgrade_database(sqlite_file_url)

    assert inspect(engine).get_table_names() == ["concerns"]
    engine.dispose()
