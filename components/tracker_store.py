"""Rasa's SQL tracker store, made to survive a database restart.

Rasa 3.6's ``SQLTrackerStore`` pools its connections without checking them. After
PostgreSQL restarts, the first request takes a pooled connection the server has closed,
fails, and Rasa's ``FailSafeTrackerStore`` hands the conversation an empty in-memory
tracker: the worker's answer is then read as the start of a new conversation. With
``pool_pre_ping`` SQLAlchemy tests each connection as it leaves the pool and replaces a
dead one, so the first message after a restart is understood.

Named in endpoints.yml as ``type: components.tracker_store.PingingSQLTrackerStore``
with the same keys as ``type: SQL``. Rasa falls back to an in-memory store, with only a
warning, when a custom type cannot be imported; ``tests/components`` loads it the way
Rasa does so that a broken import fails the tests instead.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)


class PingingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose pool checks each connection before handing it out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The parent builds its engine inside __init__ (creating the tables and waiting
        # for the database); swap it for one with the same URL and pool that pings.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)
        logger.debug("Tracker store pool checks connections before use (%r).", url)
