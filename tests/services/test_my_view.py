"""The worker's own view: what is open for me, what I said last time, outcomes."""

from __future__ import annotations

import pytest

from actions.services import my_view, supervision
from actions.services.access import AccessDenied
from actions.store import repository
from actions.store.db import session_scope
from actions.store.models import Person
from tests.store_fixtures import add_debrief


def test_open_for_me_lists_my_concerns_not_closed_and_actions_i_own(world, jo_records):
    ids = jo_records["concerns"]
    with session_scope() as s:
        repository.set_concern_status(s, ids["drift"], "not_applicable", "Moved away.")
    session = supervision.start_session(world.sam, world.jo)
    supervision.mark_discussed(world.sam, session.id, [ids["hostility"]])
    supervision.close_concern(world.sam, session.id, ids["hostility"])
    supervision.add_action(world.sam, session.id, "Book a joint visit", world.jo, "2026-04-01")
    supervision.add_action(world.sam, session.id, "Speak to legal", world.sam)

    mine = my_view.open_for_me(world.jo)

    assert [c.code for c in mine.concerns] == [
        "worker_fear",  # urgent first
        "unseen_child",
        "avoidance",
        "disguised_compliance",
    ]
    assert [(c.code, c.shared) for c in mine.concerns][:1] == [("worker_fear", True)]
    assert [a.text for a in mine.actions] == ["Book a joint visit"]
    assert [a.text for a in my_view.open_for_me(world.sam).actions] == ["Speak to legal"]


def test_what_did_i_say_about_a_case_last_time(world, jo_records):
    last = my_view.last_said_about(world.jo, "  cp-100 ")

    assert last.id == jo_records["second"]
    assert {a.question_id: a.value for a in last.answers}["rr_deflect_to_adults"] == "yes"
    assert {c.code for c in last.concerns} == {"avoidance", "disguised_compliance"}
    assert my_view.last_said_about(world.jo, "XX-1") is None


def test_last_time_ignores_a_debrief_in_progress(world, jo_records):
    with session_scope() as s:
        add_debrief(s, s.get(Person, world.jo), "CP-100", status="in_progress")
    assert my_view.last_said_about(world.jo, "CP-100").id == jo_records["second"]


def test_outcomes_are_shown_once(world, jo_records):
    session = supervision.start_session(world.sam, world.jo)
    assert my_view.outcomes_since_last_look(world.jo) == ()  # not completed yet
    supervision.complete_session(world.sam, session.id)

    assert [o.id for o in my_view.outcomes_since_last_look(world.jo, mark_seen=False)] == [
        session.id
    ]
    assert [o.supervisor.name for o in my_view.outcomes_since_last_look(world.jo)] == ["Sam Kerr"]
    assert my_view.outcomes_since_last_look(world.jo) == ()


def test_the_owner_marks_an_action_done_and_no_one_else_can(world, jo_records):
    session = supervision.start_session(world.sam, world.jo)
    action = supervision.add_action(world.sam, session.id, "Book a joint visit", world.jo)

    with pytest.raises(AccessDenied):
        my_view.mark_action_done(world.jody, action.id)
    with pytest.raises(AccessDenied):
        supervision.set_action_status(world.jo, action.id, "closed")  # the owner: done only
    assert my_view.mark_action_done(world.jo, action.id).status == "done"
    assert my_view.open_for_me(world.jo).actions == ()


def test_my_cases_are_the_cases_i_debriefed_most_recent_first(world, jo_records):
    with session_scope() as s:
        add_debrief(s, s.get(Person, world.jo), "CP-300", status="in_progress")  # not yet
    cases = my_view.my_cases(world.jo)

    assert [c.reference for c in cases] == ["CP-200", "CP-100"]  # CP-200 was today
    assert cases[0].last_debrief > cases[1].last_debrief
    assert my_view.my_cases(world.sam) == ()


def test_latest_outcomes_are_shown_seen_or_not_and_marked_nothing(world, jo_records):
    assert my_view.latest_outcomes(world.jo) == ()
    assert my_view.has_unseen_outcomes(world.jo) is False
    ids = []
    for _ in range(4):
        session = supervision.start_session(world.sam, world.jo)
        supervision.complete_session(world.sam, session.id)
        ids.append(session.id)
    assert my_view.has_unseen_outcomes(world.jo) is True
    assert len(my_view.outcomes_since_last_look(world.jo)) == 4  # now seen
    assert my_view.has_unseen_outcomes(world.jo) is False

    latest = my_view.latest_outcomes(world.jo)
    assert [o.id for o in latest] == ids[::-1][:3]  # newest first, three
    assert [o.id for o in my_view.latest_outcomes(world.jo, limit=1)] == ids[-1:]
    assert my_view.latest_outcomes(world.jody) == ()  # only my own
