"""The tracker store named in endpoints.yml loads as Rasa loads it, pings its pool's
connections, and keeps conversations like Rasa's own SQL store: a kept tracker is
always the one Rasa's store would read back from the database."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig

from components.tracker_store import CachingSQLTrackerStore

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


def _run(coroutine):
    return asyncio.run(coroutine)


def _caching_store(db: Path, cache_size: int = 8) -> CachingSQLTrackerStore:
    return CachingSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(db), cache_size=cache_size
    )


def _rasa_store(db: Path) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))


def _state(tracker: DialogueStateTracker | None):
    return None if tracker is None else tracker.current_state(EventVerbosity.ALL)


def _new_tracker(sender_id: str, *events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender_id, list(events), DOMAIN.slots)


@pytest.mark.parametrize(
    "endpoints_file",
    ["endpoints.yml", "scripts/prod/endpoints.yml.template"],
)
def test_endpoints_name_a_store_rasa_can_import(endpoints_file, tmp_path):
    # Rasa falls back to an in-memory store, with only a warning, on a bad import.
    store = _store_from(PROJECT_ROOT / endpoints_file, tmp_path / "tracker.db")
    assert type(store) is CachingSQLTrackerStore
    assert store.engine.pool._pre_ping is True
    assert store.cache_size > 0


def test_a_conversation_saved_is_read_back_with_a_fresh_engine(tmp_path):
    store = _store_from(PROJECT_ROOT / "endpoints.yml", tmp_path / "tracker.db")
    tracker = _new_tracker(
        "worker-1", UserUttered("the visit went badly"), SlotSet("case_reference", "C-12")
    )
    _run(store.save(tracker))
    store.engine.dispose()  # as after a database restart: no connection is kept
    again = _run(store.retrieve("worker-1"))
    assert again.get_slot("case_reference") == "C-12"
    assert again.latest_message.text == "the visit went badly"


def test_rasa_sqlite_file_is_written_ahead(tmp_path):
    store = _caching_store(tmp_path / "tracker.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_kept_tracker_is_handed_back_without_reading_the_events(tmp_path):
    store = _caching_store(tmp_path / "tracker.db")
    tracker = _new_tracker("w", UserUttered("hello"))
    _run(store.save(tracker))
    assert _run(store.retrieve("w")) is tracker


def _random_turn(rng: random.Random, tracker: DialogueStateTracker, turn: int) -> None:
    tracker.update(UserUttered(f"answer {turn}", intent={"name": "inform"}))
    tracker.update(ActionExecuted("debrief_form"))
    if rng.random() < 0.5:
        tracker.update(SlotSet("case_reference", f"C-{turn}"))
    tracker.update(BotUttered(f"question {turn}"))
    tracker.update(ActionExecuted("action_listen"))
    if rng.random() < 0.08:
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
    if rng.random() < 0.05:
        tracker.update(Restarted())


@pytest.mark.parametrize("seed", range(6))
def test_every_read_equals_rasa_own_read(tmp_path, seed):
    # Turns, failed turns, new sessions and restarts in random order: after each, this
    # store's read and Rasa's own read of the same database agree.
    rng = random.Random(seed)
    db = tmp_path / "tracker.db"
    store, rasa_store = _caching_store(db), _rasa_store(db)
    for turn in range(40):
        tracker = _run(store.retrieve("w")) or _new_tracker("w")
        _random_turn(rng, tracker, turn)
        if rng.random() < 0.15:
            continue  # the turn failed before it was saved
        _run(store.save(tracker))
        assert _state(_run(store.retrieve("w"))) == _state(_run(rasa_store.retrieve("w")))


def test_rows_another_server_added_are_applied_to_the_kept_tracker(tmp_path):
    db = tmp_path / "tracker.db"
    here, there = _caching_store(db), _caching_store(db)
    tracker = _new_tracker("w", UserUttered("first"))
    _run(here.save(tracker))
    elsewhere = _run(there.retrieve("w"))
    elsewhere.update(SlotSet("case_reference", "C-7"))
    _run(there.save(elsewhere))
    again = _run(here.retrieve("w"))
    assert again is tracker  # brought up to date, not rebuilt
    assert again.get_slot("case_reference") == "C-7"
    assert _state(again) == _state(_run(_rasa_store(db).retrieve("w")))


def test_a_new_session_started_elsewhere_is_read_afresh(tmp_path):
    db = tmp_path / "tracker.db"
    here, there = _caching_store(db), _caching_store(db)
    tracker = _new_tracker("w", UserUttered("first"), SlotSet("case_reference", "C-1"))
    _run(here.save(tracker))
    elsewhere = _run(there.retrieve("w"))
    elsewhere.update(ActionExecuted("action_session_start"))
    elsewhere.update(SessionStarted())
    _run(there.save(elsewhere))
    again = _run(here.retrieve("w"))
    assert again is not tracker
    assert _state(again) == _state(_run(_rasa_store(db).retrieve("w")))


def test_a_conversation_deleted_by_retention_is_not_handed_back(tmp_path):
    db = tmp_path / "tracker.db"
    store = _caching_store(db)
    _run(store.save(_new_tracker("w", UserUttered("private words"))))
    with sa.create_engine(f"sqlite:///{db}").begin() as connection:
        connection.exec_driver_sql("DELETE FROM events WHERE sender_id = 'w'")
    assert _run(store.retrieve("w")) is None


def test_a_partly_deleted_conversation_is_read_afresh(tmp_path):
    db = tmp_path / "tracker.db"
    store = _caching_store(db)
    tracker = _new_tracker("w", UserUttered("old words"), UserUttered("new words"))
    _run(store.save(tracker))
    with sa.create_engine(f"sqlite:///{db}").begin() as connection:
        connection.exec_driver_sql("DELETE FROM events WHERE data LIKE '%old words%'")
    again = _run(store.retrieve("w"))
    assert [e.text for e in again.events] == ["new words"]


def test_events_never_saved_are_not_handed_back(tmp_path):
    store = _caching_store(tmp_path / "tracker.db")
    tracker = _new_tracker("w", UserUttered("saved"))
    _run(store.save(tracker))
    tracker = _run(store.retrieve("w"))
    tracker.update(UserUttered("lost when the turn failed"))
    again = _run(store.retrieve("w"))
    assert [e.text for e in again.events] == ["saved"]


def test_no_more_conversations_are_kept_than_the_cache_size(tmp_path):
    store = _caching_store(tmp_path / "tracker.db", cache_size=3)
    trackers = [_new_tracker(f"w{i}", UserUttered("hi")) for i in range(5)]
    for tracker in trackers:
        _run(store.save(tracker))
    assert _run(store.retrieve("w4")) is trackers[4]
    assert _run(store.retrieve("w0")) is not trackers[0]  # the oldest was let go
    assert len(store._kept) == 3


def test_cache_size_zero_is_rasa_own_store(tmp_path):
    store = _caching_store(tmp_path / "tracker.db", cache_size=0)
    tracker = _new_tracker("w", UserUttered("hi"))
    _run(store.save(tracker))
    again = _run(store.retrieve("w"))
    assert again is not tracker and _state(again) == _state(tracker)
    assert not store._kept


def test_a_new_domain_lets_kept_trackers_go(tmp_path):
    store = _caching_store(tmp_path / "tracker.db")
    tracker = _new_tracker("w", UserUttered("hi"))
    _run(store.save(tracker))
    store.domain = DOMAIN  # as when Rasa loads a new model
    assert _run(store.retrieve("w")) is not tracker


def test_the_cache_size_in_endpoints_reaches_the_store(tmp_path):
    # Rasa hands the tracker_store section's other keys to the store as arguments.
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store")
    config.kwargs["db"] = str(tmp_path / "tracker.db")
    store = TrackerStore.create(config, DOMAIN)
    store = store._tracker_store if isinstance(store, FailSafeTrackerStore) else store
    assert (
        store.cache_size
        == yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())["tracker_store"][
            "cache_size"
        ]
    )
