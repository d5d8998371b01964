"""Fixtures for retention, erasure and subject access: a fresh in-memory store, a
tracker store (a SQLite file with Rasa's ``events`` table), an agenda folder, and a
click runner. Nothing here touches var/."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from actions.people.cli import cli
from actions.services import access
from actions.settings import RETENTION_PREFIX, get_settings
from actions.store import people, sharing, tracker
from actions.store.db import session_scope
from actions.store.models import ChatIdentity, utc_now
from tests.retention.world import add_events, add_session, debrief_with_revision
from tests.store_fixtures import (  # noqa: F401 - fixtures
    add_person,
    fresh_store_state,
    service_db,
    share_concern,
)


@pytest.fixture(autouse=True)
def database(service_db, monkeypatch, tmp_path):  # noqa: F811 - the imported fixture
    """The store, and settings that point every other path into tmp_path."""
    for name in list(os.environ):
        if name.startswith(RETENTION_PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUPERVISION_AGENDA_DIR", str(tmp_path / "agendas"))
    monkeypatch.setenv("SUPERVISION_TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    get_settings.cache_clear()
    return service_db


@pytest.fixture
def tracker_url(tmp_path, monkeypatch):
    """A tracker store with an empty ``events`` table, as Rasa makes it."""
    url = f"sqlite:///{tmp_path / 'rasa_tracker.db'}"
    engine = create_engine(url, future=True)
    tracker.EVENTS.metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("SUPERVISION_TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    return url


@pytest.fixture
def agenda_dir(tmp_path):
    folder = tmp_path / "agendas"
    folder.mkdir()
    return folder


@pytest.fixture
def invoke():
    """Run ``python -m actions.people ARGS``; returns click's Result."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, list(args), prog_name="python -m actions.people")

    return run


# --- an office: a supervisor, two supervisees, an administrator -----------------------

JO_WORDS = ("zebra", "jo.zeb", "aad-zb-77")  # nothing else in the office contains these
SAM_WORDS = ("Sam", "Kerr", "sam.k", "sam@example.org", "Pelican")
LEE_WORDS = ("lee.m", "Lee Moss", "Heron", "LEE-CASE")


@pytest.fixture
def office(tracker_url):
    """Sam supervises Jo and Lee. Jo's records carry "zebra" everywhere; Lee's carry
    "Heron"; the notes Sam writes carry "Pelican". Sam has read Jo's shared records."""
    with session_scope() as s:
        ana = add_person(s, "ana.a", "Ana Admin", "administrator")
        sam = add_person(s, "sam.k", "Sam Kerr", "supervisor", email="sam@example.org")
        jo = add_person(
            s, "jo.zeb", "Jo Zebrafinch", email="jo.zebra@example.org", external_id="aad-zb-77"
        )
        lee = add_person(s, "lee.m", "Lee Moss")
        s.add(ChatIdentity(channel="rest", sender_id="zebra-chat", person_id=jo.id))
        team = people.create_team(s, "North Team")
        for person in (sam, jo, lee):
            people.add_member(s, team, person)
        people.assign_supervisor(s, sam, jo)
        people.assign_supervisor(s, sam, lee)
        jo_debrief = debrief_with_revision(
            s, jo, "ZEBRA-CASE-1", "Zebra words now.", "Zebra words before.", "Zebra shouted."
        )
        share_concern(s, jo_debrief, "hostility", note="My zebra note.")
        sharing.share_answer(s, jo_debrief.id, "feelings_now")
        lee_debrief = debrief_with_revision(
            s, lee, "LEE-CASE", "Heron words.", "Heron before.", "Heron evidence."
        )
        share_concern(s, lee_debrief, "hostility", note="Heron note.")
        add_session(
            s, sam, jo, completed=None, note="Pelican thoughts on the zebra visit.",
            case_id=jo_debrief.case_id, concerns=jo_debrief.concerns,
            actions=(
                ("Jo to reread the zebra plan.", jo), ("Sam to ask Kim about Jo's cover.", sam),
            ),
        )  # fmt: skip
        add_session(
            s, sam, lee, completed=None, note="Pelican thoughts on Heron.",
            case_id=lee_debrief.case_id, concerns=lee_debrief.concerns,
            actions=(("Lee to book Heron training.", lee), ("Sam Kerr to chase the school.", sam)),
        )  # fmt: skip
        access.audit_read(s, sam, jo.id, "prepare")  # as supervision.prepare does
        ids = {name: p.id for name, p in (("ana", ana), ("sam", sam), ("jo", jo), ("lee", lee))}
        ids["jo_debrief"], ids["lee_debrief"] = jo_debrief.id, lee_debrief.id
    add_events(tracker_url, "zebra-chat", [_recent()], "zebra chat text")
    add_events(tracker_url, "sender-jo.zeb", [_recent()], "zebra debrief chat")
    add_events(tracker_url, ids["jo"], [_recent()], "zebra token chat")
    add_events(tracker_url, "lee-chat", [_recent()], "Heron chat text")
    return ids


def _recent():
    return utc_now() - timedelta(hours=1)
