"""Rasa's SQL tracker store, made to survive a database restart and to keep the
conversations it has just handled.

``PingingSQLTrackerStore``: Rasa 3.6's ``SQLTrackerStore`` pools its connections without
checking them. After PostgreSQL restarts, the first request takes a pooled connection
the server has closed, fails, and Rasa's ``FailSafeTrackerStore`` hands the conversation
an empty in-memory tracker: the worker's answer is then read as the start of a new
conversation. With ``pool_pre_ping`` SQLAlchemy tests each connection as it leaves the
pool and replaces a dead one, so the first message after a restart is understood.
On SQLite it also switches Rasa's file to write-ahead logging, which commits with one
sync instead of several (and lets the retention and export tools read while it writes).

``CachingSQLTrackerStore``: the store Rasa runs with. Reading a conversation back from
SQL and replaying it was the largest cost of a turn (a finished debrief is 300-400
events: ~30 ms to read and rebuild, and ~12 ms more to recompute the rebuilt tracker's
applied events; README, Performance). So each process keeps the trackers it last saved
or read, and every read still asks the database first: one indexed query for the
conversation's row count and highest row id. The kept tracker is used only when both
are what this process saw and the tracker holds no event it has not saved; rows another
server has added since are read and applied on top (when they start no new session);
anything else (rows deleted by retention, a new session, a failed turn) reads the
conversation afresh, as Rasa does. Rasa's lock store already lets one process handle a
conversation at a time, so a kept tracker is never handed to two turns at once.

Named in endpoints.yml as ``type: components.tracker_store.CachingSQLTrackerStore``
with the keys of ``type: SQL`` and ``cache_size`` (conversations kept per process;
0 turns the cache off). Rasa falls back to an in-memory store, with only a warning,
when a custom type cannot be imported; ``tests/components`` loads it the way Rasa does
so that a broken import fails the tests instead.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
DEFAULT_CACHE_SIZE = 128


class PingingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose pool checks each connection before handing it out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The parent builds its engine inside __init__ (creating the tables and waiting
        # for the database); swap it for one with the same URL and pool that pings.
        url = self.engine.url
        self.engine.dispose()
        is_sqlite = url.get_backend_name() == "sqlite"
        options: dict[str, Any] = {"pool_pre_ping": True, **create_engine_kwargs(url)}
        if is_sqlite:
            # SQLAlchemy 1.4 opens a new SQLite connection for every session (NullPool);
            # Rasa's server uses the store from its one event-loop thread, so a pool of
            # connections shared across threads is safe, and saves a connect a query.
            options.update(poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        self.engine = sa.create_engine(url, **options)
        if is_sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
        self.sessionmaker = sessionmaker(bind=self.engine)
        logger.debug("Tracker store pool checks connections before use (%r).", url)


def _sqlite_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first, so switching to WAL waits for a writer rather than failing.
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


@dataclass(frozen=True)
class StoredRows:
    """What the events table held for one conversation when this process last read or
    wrote it: its row count and highest row id, and how many of the kept tracker's
    events those rows are (the tracker holds the current session only)."""

    rows: int
    last_id: int
    events: int


class CachingSQLTrackerStore(PingingSQLTrackerStore):
    """``PingingSQLTrackerStore`` that keeps recent trackers, checked against the
    database on every read (module docstring)."""

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = max(0, int(cache_size))
        self._kept: OrderedDict[str, tuple[DialogueStateTracker, StoredRows]] = OrderedDict()

    @SQLTrackerStore.domain.setter
    def domain(self, domain: Domain | None) -> None:
        # Kept trackers hold the old domain's slots: a new model starts afresh.
        SQLTrackerStore.domain.fset(self, domain)
        if getattr(self, "_kept", None):
            self._kept.clear()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if not self.cache_size:
            return await super().retrieve(sender_id)
        kept = self._kept.pop(sender_id, None)
        with self.session_scope() as session:
            rows, last_id = self._count_rows(session, sender_id)
            if rows == 0:
                return None
            tracker = self._brought_up_to_date(session, sender_id, kept, rows, last_id)
            if tracker is None:
                tracker = self._read_afresh(session, sender_id, rows, last_id)
        return tracker

    def _count_rows(self, session: Any, sender_id: str) -> tuple[int, int]:
        event = self.SQLEvent
        query = sa.select(sa.func.count(event.id), sa.func.max(event.id)).where(
            event.sender_id == sender_id
        )
        rows, last_id = session.execute(query).one()
        return rows, last_id or 0

    def _brought_up_to_date(
        self,
        session: Any,
        sender_id: str,
        kept: tuple[DialogueStateTracker, StoredRows] | None,
        rows: int,
        last_id: int,
    ) -> DialogueStateTracker | None:
        """The kept tracker, with any rows added since applied; None when it cannot be
        trusted (nothing kept, unsaved events on it, rows deleted or a new session)."""
        if kept is None:
            return None
        tracker, stored = kept
        if len(tracker.events) != stored.events or rows < stored.rows:
            return None
        if (rows, last_id) != (stored.rows, stored.last_id):
            added = self._rows_after(session, sender_id, stored.last_id)
            if len(added) != rows - stored.rows or any(
                type_name == SessionStarted.type_name for type_name, _ in added
            ):
                return None
            for event in deserialise_events([json.loads(data) for _, data in added]):
                tracker.update(event)
        self._keep(tracker, StoredRows(rows, last_id, len(tracker.events)))
        return tracker

    def _rows_after(self, session: Any, sender_id: str, row_id: int) -> list[tuple[str, str]]:
        """(type name, data) of this conversation's rows after ``row_id``, in order."""
        event = self.SQLEvent
        query = (
            sa.select(event.type_name, event.data)
            .where(event.sender_id == sender_id, event.id > row_id)
            .order_by(event.id)
        )
        return list(session.execute(query).all())

    def _read_afresh(
        self, session: Any, sender_id: str, rows: int, last_id: int
    ) -> DialogueStateTracker | None:
        """Rasa's own read (the events of the latest session), then kept."""
        serialised = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        events = [json.loads(row.data) for row in serialised.all()]
        if not events or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        self._keep(tracker, StoredRows(rows, last_id, len(tracker.events)))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not self.cache_size:
            return await super().save(tracker)
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        kept = self._kept.pop(sender_id, None)
        with self.session_scope() as session:
            rows, last_id = self._count_rows(session, sender_id)
            already = self._events_stored(session, tracker, kept, rows, last_id)
            new_events = list(itertools.islice(tracker.events, already, None))
            if new_events:
                new_rows = [self._row_for(sender_id, event) for event in new_events]
                session.execute(sa.insert(self.SQLEvent.__table__), new_rows)
                rows, last_id = self._count_rows(session, sender_id)
            session.commit()
        logger.debug("Tracker with sender_id '%s' stored to database", sender_id)
        new_session = any(isinstance(event, SessionStarted) for event in new_events)
        # A tracker that began a session holds the old one too, which a read does not:
        # the next read starts afresh instead.
        if not new_session:
            self._keep(tracker, StoredRows(rows, last_id, len(tracker.events)))

    def _events_stored(
        self,
        session: Any,
        tracker: DialogueStateTracker,
        kept: tuple[DialogueStateTracker, StoredRows] | None,
        rows: int,
        last_id: int,
    ) -> int:
        """How many of the tracker's events are already rows: known when this is the
        tracker kept and the rows are as it left them, else counted as Rasa counts."""
        if kept is not None and kept[0] is tracker:
            stored = kept[1]
            if (rows, last_id) == (stored.rows, stored.last_id):
                return stored.events
        return self._event_query(
            session, tracker.sender_id, fetch_events_from_all_sessions=False
        ).count()

    @staticmethod
    def _row_for(sender_id: str, event: Any) -> dict[str, Any]:
        """The events-table row Rasa's ``SQLTrackerStore.save`` writes for ``event``."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _keep(self, tracker: DialogueStateTracker, stored: StoredRows) -> None:
        self._kept[tracker.sender_id] = (tracker, stored)
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > self.cache_size:
            self._kept.popitem(last=False)
