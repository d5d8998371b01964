"""The tracker store named in endpoints.yml loads as Rasa loads it, pings its pool's
connections, and keeps conversations like Rasa's own SQL store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from components.tracker_store import PingingSQLTrackerStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.from_dict(
    {"slots": {"case_reference": {"type": "text", "mappings": [{"type": "custom"}]}}}
)


def _store_from(endpoints_file: Path, db: Path) -> TrackerStore:
    # The store's type as named there; the database is a SQLite file, whatever the file
    # names (the production template's keys are filled in from the environment).
    store_type = yaml.safe_load(endpoints_file.read_text())["tracker_store"]["type"]
    config = {"type": store_type, "dialect": "sqlite", "db": str(db)}
    store = TrackerStore.create(EndpointConfig.from_dict(config), DOMAIN)
    return store._tracker_store if isinstance(store, FailSafeTrackerStore) else store


@pytest.mark.parametrize(
    "endpoints_file",
    ["endpoints.yml", "scripts/prod/endpoints.yml.template"],
)
def test_endpoints_name_a_store_rasa_can_import(endpoints_file, tmp_path):
    # Rasa falls back to an in-memory store, with only a warning, on a bad import.
    store = _store_from(PROJECT_ROOT / endpoints_file, tmp_path / "tracker.db")
    assert type(store) is PingingSQLTrackerStore
    assert store.engine.pool._pre_ping is True


def test_a_conversation_saved_is_read_back_with_a_fresh_engine(tmp_path):
    store = _store_from(PROJECT_ROOT / "endpoints.yml", tmp_path / "tracker.db")
    tracker = DialogueStateTracker.from_events(
        "worker-1", [UserUttered("the visit went badly"), SlotSet("case_reference", "C-12")]
    )
    asyncio.run(store.save(tracker))
    store.engine.dispose()  # as after a database restart: no connection is kept
    again = asyncio.run(store.retrieve("worker-1"))
    assert again.get_slot("case_reference") == "C-12"
    assert again.latest_message.text == "the visit went badly"
