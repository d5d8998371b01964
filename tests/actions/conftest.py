"""Fixtures for the rasa_sdk action tests.

Trackers are built directly (as the action server receives them from Rasa) by the
``make_tracker`` factory; ``conversation`` carries slots from one action to the next the
way Rasa does, so a test can walk part of a debrief and then look at the database. Every
test gets its own migrated SQLite file (SUPERVISION_DATABASE_URL points at it).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from sqlalchemy.engine import make_url

from actions.settings import get_settings
from actions.store import db
from tests.actions.action_helpers import (
    CHANNEL,
    FORM,
    SENDER,
    Conversation,
    TrackerFactory,
    load_domain,
)

# --- the database -------------------------------------------------------------------


def copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite file (and its WAL files, if a connection left any)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        origin = source.with_name(source.name + suffix)
        if origin.exists():
            shutil.copyfile(origin, target.with_name(target.name + suffix))


@contextmanager
def settings_pointing_at(path: Path) -> Iterator[str]:
    """SUPERVISION_DATABASE_URL set to ``path``, with the settings and engine caches
    cleared on the way in and on the way out."""
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUPERVISION_DATABASE_URL", url)
        get_settings.cache_clear()
        db.reset_engine()
        try:
            yield url
        finally:
            db.reset_engine()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """One SQLite file migrated to head (``alembic upgrade head``) for the whole run;
    each test gets a copy, which is much faster than migrating per test."""
    path = tmp_path_factory.mktemp("template") / "supervision.db"
    with settings_pointing_at(path) as url:
        db.upgrade_database(url)
    return path


@pytest.fixture(autouse=True)
def database(tmp_path, migrated_template) -> Iterator[str]:
    """A fresh, migrated SQLite file for this test, which the actions reach through the
    settings; nothing is cached from one test to the next."""
    path = tmp_path / "supervision.db"
    copy_database(migrated_template, path)
    with settings_pointing_at(path) as url:
        yield url


# --- the domain and trackers --------------------------------------------------------


@pytest.fixture
def domain() -> dict:
    """domain/core.yml and the generated domain/debrief.yml, merged as Rasa sends them."""
    return load_domain()


def build_tracker(
    domain: dict,
    slots: dict[str, Any] | None = None,
    *,
    text: str | None = None,
    intent: str | None = None,
    requested_slot: str | None = None,
    active_loop: str | None = FORM,
    candidates: dict[str, Any] | None = None,
    sender_id: str = SENDER,
    channel: str = CHANNEL,
) -> Tracker:
    all_slots: dict[str, Any] = {name: None for name in domain["slots"]}
    all_slots.update(copy.deepcopy(slots or {}))
    if requested_slot is not None:
        all_slots["requested_slot"] = requested_slot
    all_slots.setdefault("requested_slot", None)
    all_slots.update(candidates or {})
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": [],
        "intent_ranking": [],
    }
    events: list[dict[str, Any]] = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": latest_message, "input_channel": channel},
    ]
    if active_loop:
        events.append({"event": "action", "name": active_loop})
    events += [
        {"event": "slot", "name": name, "value": value}
        for name, value in (candidates or {}).items()
    ]
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest_message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=active_loop or "action_listen",
    )


@pytest.fixture
def make_tracker(domain) -> TrackerFactory:
    """Build a ``rasa_sdk.Tracker`` from a few facts, e.g.
    ``make_tracker(slots={...}, text="yes", intent="affirm", requested_slot="child_seen")``.

    ``slots``: slot values (every other domain slot is None); ``candidates``: slots the
    form extracted from this message, which Rasa appends as the last ``slot`` events so
    that ``tracker.slots_to_validate()`` returns them; ``active_loop``: the form, unless
    None.
    """
    return partial(build_tracker, domain)


# --- conversations ------------------------------------------------------------------


@pytest.fixture
def conversation(make_tracker, domain) -> Conversation:
    return Conversation(make_tracker, domain)


@pytest.fixture
def new_conversation(make_tracker, domain) -> Callable[..., Conversation]:
    """Another chat (a later session, or another worker with ``sender_id``)."""

    def make(sender_id: str = SENDER) -> Conversation:
        return Conversation(make_tracker, domain, sender_id=sender_id)

    return make


@pytest.fixture(scope="session")
def _walks(migrated_template, tmp_path_factory) -> Callable[[dict], tuple]:
    """Whole debriefs walked through the form, once per set of answers per run: a walk
    is some forty validations, each committed to the database."""
    done: dict[tuple, tuple] = {}

    def walk(answers: dict[str, str]) -> tuple:
        key = tuple(sorted(answers.items()))
        if key not in done:
            path = tmp_path_factory.mktemp("walk") / "supervision.db"
            copy_database(migrated_template, path)
            domain = load_domain()
            with settings_pointing_at(path):
                walker = Conversation(partial(build_tracker, domain), domain)
                walker.walk(answers)
            done[key] = (path, walker.slots, walker.asked, walker.active_loop)
        return done[key]

    return walk


@pytest.fixture
def walked(conversation, database, _walks) -> Callable[..., Conversation]:
    """``walked({question: answer})``: the conversation after answering every question
    on the path through ValidateDebriefForm (``answers`` first, quiet answers otherwise),
    with that walk's database copied into this test's database."""

    def make(answers: dict[str, str] | None = None) -> Conversation:
        path, slots, asked, active_loop = _walks(dict(answers or {}))
        db.reset_engine()
        copy_database(path, Path(make_url(database).database))
        conversation.slots = copy.deepcopy(slots)
        conversation.asked = list(asked)
        conversation.active_loop = active_loop
        return conversation

    return make
