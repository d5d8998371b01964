"""The controls a worker has at any question: why, skip, go back, pause, stop, start and
resume. Each sets ``control_result`` for the response that follows it."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from actions.debrief_controls import (
    ActionExplainQuestion,
    ActionGoBack,
    ActionPauseDebrief,
    ActionResumeDebrief,
    ActionSkipQuestion,
    ActionStartDebrief,
    ActionStopDebrief,
)
from actions.debrief_finish import ActionFinishDebrief
from actions.services import debriefs
from actions.store.models import Answer, Debrief
from tests.actions.action_helpers import (
    CASE_REFERENCE,
    bank_yaml,
    count,
    debrief_row,
    question_yaml,
    revisions,
    run_action,
    squash,
    stored_answers,
)

FIRST_QUESTIONS = ["worker_safe_now", "threatened_or_hurt", "case_reference"]


def debrief_question_ids() -> list[str]:
    questions, sets = bank_yaml()
    in_debrief = sorted((s for s in sets.values() if s["in_debrief"]), key=lambda s: s["order"])
    return [qid for s in in_debrief for qid in s["question_ids"]]


def assert_debrief_slots_cleared(slots: dict) -> None:
    for question_id in debrief_question_ids():
        assert question_id in slots and slots[question_id] is None, question_id
    assert slots["debrief_id"] is None
    assert slots["answered_questions"] == []
    assert slots["requested_slot"] is None


def _unavailable(*args, **kwargs):
    raise OperationalError("UPDATE debriefs ...", {}, sqlite3.OperationalError("disk I/O error"))


# --- why ----------------------------------------------------------------------------


@pytest.mark.parametrize("question_id", debrief_question_ids())
def test_why_explains_the_requested_question_from_the_bank(make_tracker, domain, question_id):
    tracker = make_tracker(requested_slot=question_id)
    turn = run_action(ActionExplainQuestion(), tracker, domain)
    assert turn.control_result == "explained"
    assert squash(turn.slots["explanation"]) == squash(question_yaml(question_id)["why"])
    assert turn.messages == [], "the rule's utter_explanation says it"


def test_why_with_no_question_waiting(make_tracker, domain):
    turn = run_action(ActionExplainQuestion(), make_tracker(requested_slot=None), domain)
    assert turn.slots == {"control_result": "no_question"}


# --- skip ---------------------------------------------------------------------------


def test_skip_stores_skipped_and_moves_on(conversation):
    conversation.walk(until="visit_type")
    debrief_id = conversation.slots["debrief_id"]
    before = list(conversation.slots["answered_questions"])

    turn = conversation.run(ActionSkipQuestion())

    assert turn.control_result == "skipped"
    assert turn.slots["visit_type"] == "skipped"
    assert turn.slots["answered_questions"] == before + ["visit_type"]
    assert stored_answers(debrief_id)["visit_type"] == ("skipped", None)
    conversation.start_form()
    assert conversation.requested == "access_gained", "the form asks the next question"


def test_skipping_the_first_question_opens_the_debrief(conversation):
    conversation.start_form()
    turn = conversation.run(ActionSkipQuestion())
    assert turn.control_result == "skipped"
    debrief_id = turn.slots["debrief_id"]
    assert stored_answers(debrief_id) == {"worker_safe_now": ("skipped", None)}


def test_the_case_reference_cannot_be_skipped(conversation):
    conversation.walk(until="case_reference")
    answers_before = stored_answers(conversation.slots["debrief_id"])

    turn = conversation.run(ActionSkipQuestion())

    assert turn.slots == {"control_result": "cannot_skip"}
    assert stored_answers(conversation.slots["debrief_id"]) == answers_before
    assert conversation.slots.get("case_reference") is None
    assert conversation.requested == "case_reference"


def test_skip_with_no_question_waiting(make_tracker, domain):
    turn = run_action(ActionSkipQuestion(), make_tracker(requested_slot=None), domain)
    assert turn.slots == {"control_result": "no_question"}
    assert count(Answer) == 0


def test_skip_when_the_records_are_unavailable(conversation, monkeypatch):
    conversation.walk(until="visit_type")
    monkeypatch.setattr(debriefs, "save_answer", _unavailable)
    turn = conversation.run(ActionSkipQuestion())
    assert turn.control_result == "records_unavailable"
    assert "visit_type" not in turn.slots
    assert "visit_type" not in stored_answers(conversation.slots["debrief_id"])


def test_a_failed_first_skip_keeps_the_debrief_it_opened(conversation, monkeypatch):
    conversation.start_form()
    monkeypatch.setattr(debriefs, "save_answer", _unavailable)
    turn = conversation.run(ActionSkipQuestion())
    assert turn.control_result == "records_unavailable"
    assert conversation.slots.get("worker_safe_now") is None

    monkeypatch.undo()
    conversation.run(ActionSkipQuestion())
    assert count(Debrief) == 1, "the retry used the debrief the first try opened"
    assert stored_answers(conversation.slots["debrief_id"]) == {
        "worker_safe_now": ("skipped", None)
    }


# --- go back ------------------------------------------------------------------------


def test_go_back_reopens_the_last_answered_question(conversation):
    conversation.walk(until="visit_date")
    debrief_id = conversation.slots["debrief_id"]
    assert conversation.slots["answered_questions"] == FIRST_QUESTIONS

    turn = conversation.run(ActionGoBack())

    assert turn.control_result == "going_back"
    assert turn.slots["case_reference"] is None
    assert turn.slots["answered_questions"] == FIRST_QUESTIONS[:2]
    assert turn.slots["requested_slot"] == "case_reference"
    # The old answer stays in the record until a new one replaces it.
    assert stored_answers(debrief_id)["case_reference"] == (CASE_REFERENCE, None)

    conversation.answer("CP-9999")
    assert stored_answers(debrief_id)["case_reference"] == ("CP-9999", None)
    assert revisions(debrief_id, "case_reference") == [(CASE_REFERENCE, None)]
    assert conversation.slots["answered_questions"] == FIRST_QUESTIONS
    assert conversation.requested == "visit_date"


def test_go_back_twice_walks_back_through_the_answers(conversation):
    conversation.walk(until="visit_date")
    conversation.run(ActionGoBack())
    turn = conversation.run(ActionGoBack())
    assert turn.slots["requested_slot"] == "threatened_or_hurt"
    assert conversation.slots["answered_questions"] == ["worker_safe_now"]
    assert conversation.slots["threatened_or_hurt"] is None
    assert conversation.slots["case_reference"] is None


def test_nothing_to_go_back_to(conversation):
    conversation.start_form()
    turn = conversation.run(ActionGoBack())
    assert turn.slots == {"control_result": "nothing_to_go_back"}
    assert conversation.requested == "worker_safe_now"


# --- pause and stop -----------------------------------------------------------------


def test_pause_marks_the_debrief_paused_and_leaves_the_form(conversation):
    conversation.walk(until="visit_date")
    debrief_id = conversation.slots["debrief_id"]

    turn = conversation.run(ActionPauseDebrief())

    assert turn.control_result == "paused"
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in turn.events
    ]
    assert conversation.active_loop is None
    assert turn.slots["requested_slot"] is None
    debrief = debrief_row(debrief_id)
    assert debrief.status == "paused"
    assert debrief.current_question == "visit_date"
    assert conversation.slots["debrief_id"] == debrief_id, "the answers stay in the slots"


def test_pause_before_any_answer_still_leaves_the_form(conversation):
    conversation.start_form()
    turn = conversation.run(ActionPauseDebrief())
    assert turn.control_result == "paused"
    assert conversation.active_loop is None
    assert count(Debrief) == 0


def test_pause_still_pauses_when_the_mark_cannot_be_saved(conversation, monkeypatch):
    conversation.walk(until="visit_date")
    monkeypatch.setattr(debriefs, "set_status", _unavailable)
    turn = conversation.run(ActionPauseDebrief())
    assert turn.control_result == "paused"
    assert conversation.active_loop is None


def test_stop_marks_the_debrief_stopped_and_clears_the_slots(conversation):
    conversation.walk(until="visit_date")
    debrief_id = conversation.slots["debrief_id"]

    turn = conversation.run(ActionStopDebrief())

    assert turn.control_result == "stopped"
    assert_debrief_slots_cleared(turn.slots)
    assert debrief_row(debrief_id).status == "stopped"
    assert set(stored_answers(debrief_id)) == set(FIRST_QUESTIONS), "answers are kept"


def test_stop_when_the_records_are_unavailable_keeps_the_debrief(conversation, monkeypatch):
    conversation.walk(until="visit_date")
    debrief_id = conversation.slots["debrief_id"]
    monkeypatch.setattr(debriefs, "set_status", _unavailable)
    turn = conversation.run(ActionStopDebrief())
    assert turn.slots == {"control_result": "records_unavailable"}
    assert conversation.slots["debrief_id"] == debrief_id
    assert debrief_row(debrief_id).status == "in_progress"


# --- start --------------------------------------------------------------------------


def test_start_with_nothing_paused_is_fresh(conversation):
    turn = conversation.run(ActionStartDebrief())
    assert turn.control_result == "fresh"
    assert turn.slots["paused_case"] is None
    assert_debrief_slots_cleared(turn.slots)


def test_start_mentions_a_paused_debrief(conversation, new_conversation):
    conversation.walk(until="visit_date")
    conversation.run(ActionPauseDebrief())

    later = new_conversation()
    turn = later.run(ActionStartDebrief())

    assert turn.control_result == "paused_exists"
    assert turn.slots["paused_case"] == CASE_REFERENCE
    assert_debrief_slots_cleared(turn.slots)


def test_start_ignores_another_workers_paused_debrief(conversation, new_conversation):
    conversation.walk(until="visit_date")
    conversation.run(ActionPauseDebrief())
    turn = new_conversation("worker-2").run(ActionStartDebrief())
    assert turn.control_result == "fresh"
    assert turn.slots["paused_case"] is None


def test_start_while_the_records_are_unavailable_starts_fresh(conversation, monkeypatch):
    monkeypatch.setattr(debriefs, "paused_case_reference", _unavailable)
    turn = conversation.run(ActionStartDebrief())
    assert turn.control_result == "fresh"
    assert_debrief_slots_cleared(turn.slots)


# --- resume -------------------------------------------------------------------------


def test_resume_restores_the_answers_from_the_database(conversation, new_conversation):
    words = "Mum and a male visitor I hadn't met"
    conversation.walk({"who_present": words}, until="child_seen")
    debrief_id = conversation.slots["debrief_id"]
    answered = list(conversation.slots["answered_questions"])
    expected = {qid: conversation.slots[qid] for qid in answered}
    conversation.run(ActionPauseDebrief())

    later = new_conversation()  # a new session: the slots are gone
    turn = later.run(ActionResumeDebrief())

    assert turn.control_result == "resumed"
    slots = turn.slots
    assert slots["debrief_id"] == debrief_id
    assert slots["answered_questions"] == answered
    assert slots["answered_count"] == len(answered)
    assert slots["requested_slot"] is None
    assert {qid: slots[qid] for qid in answered} == expected
    assert slots["who_present"] == words, "free text comes back as the worker's words"
    assert slots["case_reference"] == CASE_REFERENCE
    unanswered = set(debrief_question_ids()) - set(answered)
    assert all(slots[qid] is None for qid in unanswered)
    assert debrief_row(debrief_id).status == "in_progress"

    later.start_form()
    assert later.requested == "child_seen", "the form carries on where it paused"


def test_resume_with_nothing_to_resume(conversation):
    turn = conversation.run(ActionResumeDebrief())
    assert turn.control_result == "nothing_to_resume"
    assert_debrief_slots_cleared(turn.slots)


def test_a_stopped_debrief_is_not_resumed(conversation, new_conversation):
    conversation.walk(until="visit_date")
    conversation.run(ActionStopDebrief())
    turn = new_conversation().run(ActionResumeDebrief())
    assert turn.control_result == "nothing_to_resume"


def test_a_completed_debrief_is_not_resumed(walked, new_conversation):
    conversation = walked()
    assert conversation.run(ActionFinishDebrief()).control_result == "summary"
    turn = new_conversation().run(ActionResumeDebrief())
    assert turn.control_result == "nothing_to_resume"


def test_resume_does_not_restore_the_answer_that_ended_the_debrief(conversation, new_conversation):
    conversation.walk({"threatened_or_hurt": "yes", "continue_after_safety": "no"})
    assert conversation.run(ActionFinishDebrief()).control_result == "ended_early"
    debrief_id = conversation.slots["debrief_id"]
    assert stored_answers(debrief_id)["continue_after_safety"] == ("no", None)

    later = new_conversation()
    turn = later.run(ActionResumeDebrief())

    assert turn.control_result == "resumed"
    assert turn.slots["debrief_id"] == debrief_id
    assert turn.slots["continue_after_safety"] is None
    assert turn.slots["answered_questions"] == ["worker_safe_now", "threatened_or_hurt"]
    assert turn.slots["threatened_or_hurt"] == "yes"
    later.start_form()
    assert later.requested == "continue_after_safety", "asked again on resume"


def test_resume_when_the_records_are_unavailable(conversation, monkeypatch):
    monkeypatch.setattr(debriefs, "find_resumable", _unavailable)
    turn = conversation.run(ActionResumeDebrief())
    assert turn.slots == {"control_result": "records_unavailable"}
