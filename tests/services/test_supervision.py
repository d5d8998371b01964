"""The supervisor's side: supervisees, preparation, questions with evidence, the
session record (notes, decisions, actions, carrying forward) and the agenda."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from actions.reports.model import Agenda, AgendaCase, SupervisionQuestion
from actions.services import my_view, supervision
from actions.services.access import AccessDenied
from actions.store import people
from actions.store.db import session_scope
from actions.store.models import Concern, Person, utc_now
from actions.store.repository import InvalidValue
from actions.store.supervision import SessionClosed
from tests.store_fixtures import add_debrief, add_person, share_concern

# --- supervisees ---------------------------------------------------------------------------


def test_list_supervisees_gives_current_supervisees_only(world):
    assert [p.username for p in supervision.list_supervisees(world.sam)] == ["jo.b", "jody.r"]
    assert [p.username for p in supervision.list_supervisees(world.pat)] == ["lee.m"]


@pytest.mark.parametrize("text", ["jo.b", "JO BELL", "  Jo   Bell ", "@jo.b", "Jo"])
def test_find_supervisee_by_username_full_or_first_name(world, text):
    match = supervision.find_supervisee(world.sam, text)
    assert match.person is not None and match.person.username == "jo.b"


def test_find_supervisee_lists_candidates_when_ambiguous(world):
    with session_scope() as s:
        sam = s.get(Person, world.sam)
        people.assign_supervisor(s, sam, add_person(s, "jo.w", "Jo Wren"))

    match = supervision.find_supervisee(world.sam, "jo")
    assert match.person is None and match.ambiguous
    assert {p.username for p in match.candidates} == {"jo.b", "jo.w"}
    assert supervision.find_supervisee(world.sam, "Jo Wren").person.username == "jo.w"


def test_find_supervisee_finds_no_one_outside_the_supervisors_list(world):
    match = supervision.find_supervisee(world.sam, "Lee")
    assert (match.person, match.candidates, match.ambiguous) == (None, (), False)


# --- preparing -------------------------------------------------------------------------------


def test_prepare_summarises_what_was_shared(world, jo_records):
    summary = supervision.prepare(world.sam, world.jo)

    assert (summary.worker.name, summary.supervisor.name, summary.since) == (
        "Jo Bell",
        "Sam Kerr",
        None,
    )
    [case] = summary.cases
    assert case.reference == "CP-100"
    assert [d.id for d in case.debriefs] == [jo_records["first"], jo_records["second"]]
    hostility = next(c for c in case.concerns if c.code == "hostility")
    assert hostility.evidence == "Dad blocked the door and shouted."
    assert hostility.worker_note == "It was the second time this month."
    assert "manager" in hostility.guidance.lower()
    assert summary.worker_asked_about_impact is True
    assert [a.text for a in summary.shared_notes] == ["The door being blocked on the way out."]


def test_prepare_lists_urgent_concerns_with_days_open(world, jo_records):
    summary = supervision.prepare(world.sam, world.jo)

    [urgent] = summary.urgent
    assert (urgent.code, urgent.urgent, urgent.open_days) == ("worker_fear", True, 20)
    assert urgent.raised_on == (utc_now() - timedelta(days=20)).date()


def test_prepare_counts_reckoner_ticks_per_visit(world, jo_records):
    reckoner = supervision.prepare(world.sam, world.jo).cases[0].reckoner

    assert [(v.visit_date, v.reckoner_ticks) for v in reckoner.per_visit] == [
        (date(2026, 3, 2), 2),
        (date(2026, 3, 17), 3),
    ]
    assert [v.shared_concerns for v in reckoner.per_visit] == [2, 1]
    assert (reckoner.total, reckoner.case_total) == (5, 5)
    assert reckoner.action  # the portfolio's action for five ticks


def test_a_worker_with_nothing_shared_has_an_empty_summary(world):
    summary = supervision.prepare(world.sam, world.jody)
    assert (summary.cases, summary.urgent, summary.worker_asked_about_impact) == ((), (), False)


# --- questions ----------------------------------------------------------------------------


def test_the_ten_questions_come_with_the_evidence_that_bears_on_them(world, jo_records):
    questions = supervision.questions_for_case(world.sam, world.jo, jo_records["case"])

    assert [q.question_id for q in questions] == [f"sup_q{n}" for n in range(1, 11)]
    fearful = questions[3]
    assert fearful.text == "Is the worker intimidated or fearful?"
    assert fearful.evidence == (
        "Hostility or threats towards staff: Dad blocked the door and shouted.",
        "Worker feeling unsafe: The worker was threatened on this visit.",
    )
    complaints = questions[7]
    assert complaints.evidence == ()


def test_team_and_organisation_questions_on_request(world, jo_records):
    questions = supervision.questions_for_case(
        world.sam, world.jo, jo_records["case"], ("team_around_child", "organisation")
    )
    sets = [q.set_id for q in questions]
    assert sets.count("supervision") == 10
    assert sets.count("team_around_child") == 5
    assert sets.count("organisation") == 4
    with pytest.raises(ValueError):
        supervision.questions_for_case(world.sam, world.jo, None, ("feelings",))


def test_questions_for_a_case_with_nothing_shared_have_no_evidence(world, jo_records):
    questions = supervision.questions_for_case(world.sam, world.jo, jo_records["other_case"])
    assert all(q.evidence == () for q in questions)


# --- the session record -------------------------------------------------------------------


@pytest.fixture
def session_id(world, jo_records):
    return supervision.start_session(world.sam, world.jo).id


def test_starting_twice_returns_the_open_session(world, session_id):
    again = supervision.start_session(world.sam, world.jo)
    assert again.id == session_id and again.status == "open"


def test_notes_are_kept_per_question_and_case_and_replaced(world, jo_records, session_id):
    case = jo_records["case"]
    supervision.record_note(world.sam, session_id, "sup_q4", "Agreed joint visits.", case)
    supervision.record_note(world.sam, session_id, "sup_q4", "Joint visits till May.", case)
    supervision.record_note(world.sam, session_id, "org_q1", "Raise lone working policy.")

    notes = supervision.session_view(world.sam, session_id).notes
    assert [(n.question_id, n.case_reference, n.note) for n in notes] == [
        ("sup_q4", "CP-100", "Joint visits till May."),
        ("org_q1", None, "Raise lone working policy."),
    ]
    agenda = supervision.build_agenda(world.sam, world.jo)
    assert agenda.cases[0].questions[3].note == "Joint visits till May."


def test_notes_are_checked(world, jo_records, session_id):
    with pytest.raises(InvalidValue):
        supervision.record_note(world.sam, session_id, "felt_afraid", "Not a supervision one.")
    with pytest.raises(InvalidValue):
        supervision.record_note(world.sam, session_id, "sup_q1", "   ")
    with session_scope() as s:
        lees = add_debrief(s, s.get(Person, world.lee), "LM-1")
    with pytest.raises(AccessDenied):
        supervision.record_note(world.sam, session_id, "sup_q1", "Wrong case.", lees.case_id)
    with pytest.raises(AccessDenied):
        supervision.record_note(world.pat, session_id, "sup_q1", "Not my session.")


def test_concerns_are_discussed_then_closed_or_carried_forward(world, jo_records, session_id):
    ids = jo_records["concerns"]
    discussed = supervision.mark_discussed(
        world.sam, session_id, [ids["worker_fear"], ids["hostility"], ids["avoidance"]]
    )
    assert {d.outcome for d in discussed} == {"discussed"}
    supervision.close_concern(world.sam, session_id, ids["hostility"])
    supervision.carry_forward_concern(world.sam, session_id, ids["avoidance"])

    done = supervision.complete_session(world.sam, session_id)

    outcomes = {c.code: c.outcome for c in done.concerns}
    # worker_fear was discussed but not decided: completing carries it forward
    assert outcomes == {
        "worker_fear": "carried_forward",
        "hostility": "closed",
        "avoidance": "carried_forward",
    }
    with session_scope() as s:
        statuses = {c.code: c.status for c in (s.get(Concern, i) for i in ids.values())}
    assert statuses["hostility"] == "closed"
    assert statuses["worker_fear"] == statuses["avoidance"] == "for_supervision"


def test_unshared_concerns_cannot_be_brought_into_a_session(world, jo_records, session_id):
    with pytest.raises(AccessDenied):
        supervision.mark_discussed(world.sam, session_id, [jo_records["concerns"]["drift"]])
    with pytest.raises(AccessDenied):
        supervision.close_concern(
            world.sam, session_id, jo_records["concerns"]["disguised_compliance"]
        )


def test_agreed_actions_have_owner_due_date_and_status(world, jo_records, session_id):
    action = supervision.add_action(
        world.sam, session_id, "Book a joint visit", world.jo, "2026-04-01", jo_records["case"]
    )
    mine = supervision.add_action(world.sam, session_id, "Ask legal for advice", world.sam)
    assert (action.owner, action.due_on, action.status, action.case_reference) == (
        "Jo Bell",
        date(2026, 4, 1),
        "open",
        "CP-100",
    )
    with pytest.raises(InvalidValue):
        supervision.add_action(world.sam, session_id, "Someone else's", world.lee)
    with pytest.raises(InvalidValue):
        supervision.add_action(world.sam, session_id, "Bad date", world.jo, "next week")

    supervision.set_action_status(world.sam, mine.id, "carried_forward")
    agenda = supervision.build_agenda(world.sam, world.jo)
    assert [a.text for a in agenda.cases[0].actions] == ["Book a joint visit"]
    assert [(a.text, a.status) for a in agenda.actions] == [
        ("Ask legal for advice", "carried_forward")
    ]


def test_a_completed_session_no_longer_changes(world, jo_records, session_id):
    supervision.complete_session(world.sam, session_id)
    with pytest.raises(SessionClosed):
        supervision.record_note(world.sam, session_id, "sup_q1", "Too late.")
    with pytest.raises(SessionClosed):
        supervision.complete_session(world.sam, session_id)


def test_the_next_preparation_covers_what_was_shared_since(world, jo_records, session_id):
    ids = jo_records["concerns"]
    supervision.mark_discussed(world.sam, session_id, [ids["worker_fear"], ids["hostility"]])
    supervision.close_concern(world.sam, session_id, ids["hostility"])
    supervision.add_action(world.sam, session_id, "Book a joint visit", world.jo)
    supervision.complete_session(world.sam, session_id)
    with session_scope() as s:
        jo = s.get(Person, world.jo)
        later = add_debrief(s, jo, "CP-300", concerns=[("drift", "Three plans, no change.")])
        share_concern(s, later, "drift")

    summary = supervision.prepare(world.sam, world.jo)

    assert summary.since is not None
    concerns = {c.code: c for case in summary.cases for c in case.concerns}
    assert set(concerns) == {"worker_fear", "avoidance", "drift"}  # hostility was closed
    assert concerns["worker_fear"].carried_forward and not concerns["drift"].carried_forward
    assert summary.shared_notes == ()  # shared before the last session
    assert summary.worker_asked_about_impact is False
    assert [a.text for a in summary.open_actions] == ["Book a joint visit"]
    agenda = supervision.build_agenda(world.sam, world.jo)
    statuses = {c.code: c.status for case in agenda.cases for c in case.concerns}
    assert statuses == {
        "worker_fear": "carried_forward",
        "avoidance": "carried_forward",
        "drift": "for_supervision",
    }


# --- the agenda ---------------------------------------------------------------------------


def test_build_agenda_fills_the_report_model(world, jo_records):
    agenda = supervision.build_agenda(world.sam, world.jo, sets=("team_around_child",))

    assert isinstance(agenda, Agenda)
    assert (agenda.supervisee, agenda.supervisor, agenda.period_start) == (
        "Jo Bell",
        "Sam Kerr",
        None,
    )
    assert agenda.worker_asked_about_impact is True
    assert agenda.shared_notes == (
        "To take to supervision (CP-100): The door being blocked on the way out.",
    )
    [case] = agenda.cases
    assert isinstance(case, AgendaCase)
    assert (case.reference, case.debrief_count, case.reckoner_total) == ("CP-100", 2, 5)
    assert [c.code for c in case.concerns] == ["worker_fear", "hostility", "avoidance"]
    assert case.concerns[0].urgent and case.concerns[0].open_days == 20
    assert [(v.label, v.concerns, v.reckoner_ticks) for v in case.visits] == [
        ("2 Mar 2026", 2, 2),
        ("17 Mar 2026", 1, 3),
    ]
    assert all(isinstance(q, SupervisionQuestion) for q in case.questions)
    assert [q.set_id for q in case.questions].count("team_around_child") == 5
    assert agenda.questions == ()  # organisation questions only on request


def test_an_agenda_for_a_completed_session_shows_its_decisions(world, jo_records, session_id):
    ids = jo_records["concerns"]
    supervision.mark_discussed(world.sam, session_id, [ids["hostility"]])
    supervision.close_concern(world.sam, session_id, ids["hostility"])
    supervision.complete_session(world.sam, session_id)

    agenda = supervision.build_agenda(world.sam, world.jo, session_id=session_id)
    assert {c.code: c.status for c in agenda.cases[0].concerns}["hostility"] == "closed"
    with pytest.raises(AccessDenied):
        supervision.build_agenda(world.sam, world.jody, session_id=session_id)


# --- outcomes for the worker -------------------------------------------------------------------


def test_the_worker_sees_the_outcomes(world, jo_records, session_id):
    supervision.record_note(world.sam, session_id, "sup_q1", "Talked it through.")
    supervision.add_action(world.sam, session_id, "Book a joint visit", world.jo)
    supervision.complete_session(world.sam, session_id)

    [outcome] = my_view.outcomes_since_last_look(world.jo)
    assert [n.note for n in outcome.notes] == ["Talked it through."]
    assert [a.text for a in outcome.actions] == ["Book a joint visit"]
    assert my_view.outcomes_since_last_look(world.jo) == ()
    assert supervision.session_view(world.jo, session_id).status == "completed"
    with pytest.raises(AccessDenied):
        supervision.session_view(world.jody, session_id)
