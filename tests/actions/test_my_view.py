"""The worker's own view through the rasa_sdk actions: what's open for me, what I said
about a case last time, and what came out of supervision. Always the asking worker's
own records, worked out from the chat; never anyone else's."""

from __future__ import annotations

import datetime as dt

import pytest

from actions import supervision_form
from actions.my_view import (
    ActionCaseHistory,
    ActionSupervisionNews,
    ActionSupervisionOutcomes,
    ActionWhatsOpen,
    reference_candidates,
)
from actions.settings import get_settings
from actions.store.models import utc_now
from actions.supervision_form import ActionCompleteSupervision, ValidateSupervisionForm
from actions.supervision_prepare import ActionPrepareSupervision
from actions.supervision_state import day_text
from tests.actions.supervision_helpers import Chat, World, full_domain, seed

FORM = "supervision_form"


def days_ago(days: int) -> str:
    """How the seeded records' dates are said (they are dated back from now)."""
    return day_text(utc_now().date() - dt.timedelta(days=days))


@pytest.fixture
def domain() -> dict:
    return full_domain()


@pytest.fixture
def world() -> World:
    return seed()


@pytest.fixture
def chat(make_tracker, domain):
    def make(sender_id: str) -> Chat:
        return Chat(make_tracker, domain, sender_id)

    return make


def supervise_sam(chat, world: World) -> None:
    """Morag's supervision with Sam: a note, a decision, an action for Sam, completed."""
    morag = chat(world.morag)
    morag.run(
        ActionPrepareSupervision(),
        text="prepare for supervision with Sam",
        intent="prepare_supervision",
    )
    morag.active_loop = FORM

    def say(text: str, intent: str = "inform") -> None:
        morag.run(
            ValidateSupervisionForm(), text=text, intent=intent, candidates={"sup_note": text}
        )

    say("Sam was shaken; joint visits from now on.")
    while morag.slots["sup_queue"][0]["kind"] != "concern":
        say("skip", "skip_question")
    say("close it")
    while morag.slots["sup_queue"][0]["kind"] != "action":
        say("carry forward")
    say("Sam to ring the school by 2099-01-15")
    say("none")
    morag.active_loop = None
    done = morag.run(
        ActionCompleteSupervision(), text="complete the supervision", intent="complete_supervision"
    )
    assert done.control_result == "completed"


# --- what's open -------------------------------------------------------------------------


def test_whats_open_lists_my_concerns_and_my_actions(chat, world, monkeypatch):
    monkeypatch.setattr(supervision_form, "today", lambda: dt.date(2026, 11, 30))
    supervise_sam(chat, world)
    turn = chat(world.sam).run(
        ActionWhatsOpen(), text="what's open for me?", intent="ask_whats_open"
    )

    assert turn.control_result == "found"
    view = turn.slots["my_view"]
    assert "Concerns:" in view and "Actions you agreed to:" in view
    # Carried forward: still open, and shared; closed in supervision: no longer listed.
    assert f"The family cancelled twice. (raised {days_ago(5)}; taken to supervision)" in view
    assert "The worker was threatened on this visit." not in view
    # My own concerns I haven't decided on are mine to see.
    assert (
        f"PRIVATE the child was asleep upstairs. (raised {days_ago(20)}; not yet decided)" in view
    )
    assert "ring the school, due 15 Jan 2099 (case CP-100)" in view
    assert "Lee's family" not in view  # someone else's


def test_nothing_open(chat, world):
    turn = chat(world.jo).run(
        ActionWhatsOpen(), text="what's open for me?", intent="ask_whats_open"
    )
    assert turn.control_result == "nothing_open"


def test_an_unknown_chat_is_not_shown_anything_when_enrolment_is_off(chat, world, monkeypatch):
    monkeypatch.setenv("SUPERVISION_AUTO_ENROL", "false")
    get_settings.cache_clear()
    turn = chat("someone-new").run(
        ActionWhatsOpen(), text="what's open for me?", intent="ask_whats_open"
    )
    assert turn.control_result == "not_enrolled"
    get_settings.cache_clear()


# --- what I said last time -------------------------------------------------------------


def test_what_i_said_about_a_case_last_time(chat, world):
    turn = chat(world.sam).run(
        ActionCaseHistory(),
        text="what did I say about case cp-100 last time?",
        intent="ask_case_history",
    )
    assert turn.control_result == "found"
    view = turn.slots["my_view"]
    assert view.startswith("Case CP-100, debrief of 17 Mar 2026 (finished):")
    assert "The family cancelled twice." in view
    assert "PRIVATE mum agreed to everything again." in view  # my own words, to me


def test_another_workers_case_is_not_found(chat, world):
    turn = chat(world.lee).run(
        ActionCaseHistory(),
        text="what did I say about case CP-100 last time?",
        intent="ask_case_history",
    )
    assert turn.control_result == "not_found"
    assert turn.slots["my_view"] is None


def test_no_reference_asks_which_case(chat, world):
    turn = chat(world.sam).run(
        ActionCaseHistory(),
        text="what did I say last time about this family",
        intent="ask_case_history",
    )
    assert turn.control_result == "which_case"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what did I say about case AB12 last time?", "AB12"),
        ("last debrief for CP 5150", "CP 5150"),
        ("remind me about case ZX-11", "ZX-11"),
        ("what happened at the last visit for ST44", "ST44"),
    ],
)
def test_case_references_are_read_from_the_question(text, expected):
    assert reference_candidates(text)[0] == expected


# --- what came out of supervision ----------------------------------------------------------


def test_what_came_out_of_supervision(chat, world, monkeypatch):
    monkeypatch.setattr(supervision_form, "today", lambda: dt.date(2026, 11, 30))
    supervise_sam(chat, world)
    sam = chat(world.sam)
    turn = sam.run(
        ActionSupervisionOutcomes(),
        text="what came out of supervision?",
        intent="ask_supervision_outcomes",
    )

    assert turn.control_result == "found"
    view = turn.slots["my_view"]
    assert view.startswith("Supervision with Morag Reid, completed")
    assert "closed" in view and "carried forward to the next supervision" in view
    assert "Sam Kerr to ring the school, due 15 Jan 2099 (case CP-100)" in view
    assert "Sam was shaken; joint visits from now on." in view

    again = sam.run(
        ActionSupervisionOutcomes(),
        text="what came out of supervision?",
        intent="ask_supervision_outcomes",
    )
    assert again.control_result == "seen_before"  # nothing new since I looked


def test_supervision_outcomes_are_only_my_own(chat, world, monkeypatch):
    monkeypatch.setattr(supervision_form, "today", lambda: dt.date(2026, 11, 30))
    supervise_sam(chat, world)
    turn = chat(world.jo).run(
        ActionSupervisionOutcomes(),
        text="what came out of supervision?",
        intent="ask_supervision_outcomes",
    )
    assert turn.control_result == "no_supervision"


def test_no_reference_offers_my_cases_as_buttons(chat, world):
    sam = chat(world.sam)
    turn = sam.run(ActionCaseHistory(), text="what did I say last time?", intent="ask_case_history")
    assert turn.control_result == "which_case"
    buttons = [b for m in turn.messages for b in m.get("buttons") or []]
    assert [b["title"].split(" (")[0] for b in buttons] == ["CP-200", "CP-100"]  # latest first
    assert buttons[1]["payload"] == "what did I say about case CP-100 last time?"


def test_no_reference_and_no_cases(chat, world):
    turn = chat(world.jo).run(
        ActionCaseHistory(), text="what did I say last time?", intent="ask_case_history"
    )
    assert turn.control_result == "no_cases"


def test_nothing_new_shows_the_latest_outcomes_seen_before(chat, world, monkeypatch):
    monkeypatch.setattr(supervision_form, "today", lambda: dt.date(2026, 11, 30))
    supervise_sam(chat, world)
    sam = chat(world.sam)
    sam.run(ActionSupervisionOutcomes(), text="what came out?", intent="ask_supervision_outcomes")
    again = sam.run(
        ActionSupervisionOutcomes(), text="what came out?", intent="ask_supervision_outcomes"
    )
    assert again.control_result == "seen_before"
    assert again.slots["my_view"].startswith("Supervision with Morag Reid, completed")


def test_a_greeting_mentions_unseen_outcomes_without_marking_them(chat, world, monkeypatch):
    monkeypatch.setattr(supervision_form, "today", lambda: dt.date(2026, 11, 30))
    sam = chat(world.sam)
    quiet = sam.run(ActionSupervisionNews(), text="hello", intent="greet")
    assert quiet.messages == []
    supervise_sam(chat, world)
    for _ in range(2):  # said again until Sam asks
        news = sam.run(ActionSupervisionNews(), text="hello", intent="greet")
        assert len(news.messages) == 1
        assert news.messages[0]["buttons"] == [
            {"title": "What came out of supervision?", "payload": "/ask_supervision_outcomes"}
        ]
    sam.run(ActionSupervisionOutcomes(), text="what came out?", intent="ask_supervision_outcomes")
    assert sam.run(ActionSupervisionNews(), text="hello", intent="greet").messages == []


def test_a_greeting_from_a_stranger_enrols_no_one_and_says_nothing(chat, world):
    from sqlalchemy import func, select

    from actions.store.db import session_scope
    from actions.store.models import Person

    with session_scope() as s:
        before = s.execute(select(func.count()).select_from(Person)).scalar_one()
    assert (
        chat("someone-new").run(ActionSupervisionNews(), text="hi", intent="greet").messages == []
    )
    with session_scope() as s:
        assert s.execute(select(func.count()).select_from(Person)).scalar_one() == before
