"""Rasa's SQL tracker store, read and cleared without Rasa: its one table, ``events``
(``rasa.core.tracker_store.SQLTrackerStore``; timestamps are Unix seconds, ``data`` the
event as JSON, a user's message text included).

The tracker database is Rasa's, and may be the store's own database or another one
(``SUPERVISION_TRACKER_DATABASE_URL``). A SQLite file that does not exist is reported as
absent, never created; so is a database without an ``events`` table (Rasa makes it on
first use). Functions take a connection; ``open_tracker`` yields an engine or None.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, func, select
from sqlalchemy.engine import Connection, Engine, create_engine, make_url

from actions.store.db import SQLITE_BUSY_TIMEOUT_MS, is_sqlite, is_sqlite_memory
from actions.store.models import UTC

logger = logging.getLogger(__name__)

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
MAX_IDS_PER_STATEMENT = 500


def _sqlite_file_missing(url: str) -> bool:
    if not is_sqlite(url) or is_sqlite_memory(url):
        return False
    database = make_url(url).database or ""
    return not database.startswith("file:") and not Path(database).expanduser().exists()


def _engine(url: str) -> Engine:
    if is_sqlite(url):
        # No WAL switch and no BEGIN IMMEDIATE here: this is Rasa's file, left as it is.
        return create_engine(
            url, future=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
    return create_engine(url, future=True, pool_pre_ping=True)


@contextmanager
def open_tracker(url: str) -> Iterator[Engine | None]:
    """An engine on the tracker database, or None when it has no events table."""
    if _sqlite_file_missing(url):
        logger.info("No tracker database at %r", make_url(url))
        yield None
        return
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            present = engine.dialect.has_table(connection, EVENTS.name)
        yield engine if present else None
    finally:
        engine.dispose()


def _seconds(moment: datetime) -> float:
    return moment.timestamp()


def _moment(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def due(connection: Connection, cutoff: datetime) -> tuple[int, datetime | None]:
    """How many events are older than ``cutoff``, and the oldest one's time."""
    where = EVENTS.c.timestamp < _seconds(cutoff)
    query = select(func.count(), func.min(EVENTS.c.timestamp)).where(where)
    count, oldest = connection.execute(query).one()
    return count, _moment(oldest)


def delete_before(connection: Connection, cutoff: datetime, limit: int) -> int:
    """Delete up to ``limit`` of the oldest events older than ``cutoff``."""
    query = (
        select(EVENTS.c.id)
        .where(EVENTS.c.timestamp < _seconds(cutoff))
        .order_by(EVENTS.c.timestamp)
        .limit(limit)
    )
    ids = list(connection.execute(query).scalars())
    if not ids:
        return 0
    return connection.execute(EVENTS.delete().where(EVENTS.c.id.in_(ids))).rowcount or 0


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), MAX_IDS_PER_STATEMENT):
        yield ordered[start : start + MAX_IDS_PER_STATEMENT]


def count_for(connection: Connection, sender_ids: Collection[str]) -> int:
    total = 0
    for chunk in _chunks(sender_ids):
        query = select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id.in_(chunk))
        total += connection.execute(query).scalar_one()
    return total


def delete_for(connection: Connection, sender_ids: Collection[str]) -> int:
    """Delete every event of these conversations."""
    total = 0
    for chunk in _chunks(sender_ids):
        statement = EVENTS.delete().where(EVENTS.c.sender_id.in_(chunk))
        total += connection.execute(statement).rowcount or 0
    return total


def _event_dict(row: Any) -> dict[str, Any]:
    try:
        data = json.loads(row.data) if row.data else None
    except ValueError:
        data = row.data  # kept as stored
    return {
        "conversation": row.sender_id,
        "type": row.type_name,
        "at": _moment(row.timestamp).isoformat() if row.timestamp is not None else None,
        "intent": row.intent_name,
        "action": row.action_name,
        "data": data,
    }


def events_for(connection: Connection, sender_ids: Collection[str]) -> list[dict[str, Any]]:
    """Every event of these conversations, oldest first, JSON-ready."""
    found: list[dict[str, Any]] = []
    for chunk in _chunks(sender_ids):
        query = select(EVENTS).where(EVENTS.c.sender_id.in_(chunk))
        found.extend(_event_dict(row) for row in connection.execute(query))
    return sorted(found, key=lambda event: (event["at"] or "", event["conversation"]))
