"""Migration 0003 (``people.erased_at``): up from 0002 with people present, and down."""

from __future__ import annotations

import io

from alembic import command
from sqlalchemy import inspect, text

from actions.store import db


def columns(url: str) -> set[str]:
    engine = db.make_engine(url)
    found = {column["name"] for column in inspect(engine).get_columns("people")}
    engine.dispose()
    return found


def test_upgrade_keeps_people_and_downgrade_drops_the_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    db.upgrade_database(url, "0002")
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO people (id, username, role, active, created_at)"
            " VALUES ('p-1', 'jo.b', 'worker', 1, '2025-01-01 10:00:00')"
        )

    db.upgrade_database(url)

    with engine.connect() as connection:
        rows = connection.execute(text("SELECT username, erased_at FROM people")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("jo.b", None)]
    command.downgrade(db.alembic_config(url), "0002")
    assert "erased_at" not in columns(url) and "username" in columns(url)


def test_the_postgresql_sql_adds_the_column_in_place():
    config = db.alembic_config("postgresql://nobody@localhost/none")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "0002:0003", sql=True)
    sql = config.output_buffer.getvalue()
    assert "ALTER TABLE people ADD COLUMN erased_at TIMESTAMP WITH TIME ZONE" in sql
