"""ActionFinishDebrief: concerns from the stored answers, the summary slots, and a debrief
that ended early."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from actions.debrief_finish import ActionFinishDebrief
from actions.services import debriefs
from actions.store.db import session_scope
from actions.store.models import Answer, Concern, Debrief
from actions.store.sharing import SHAREABLE_QUESTIONS
from tests.actions.action_helpers import (
    CASE_REFERENCE,
    bank_yaml,
    catalogue_titles,
    count,
    debrief_row,
    prompt,
    run_action,
    stored_concerns,
)

NEXT_STEPS = {
    "next_steps": "Joint visit with the health visitor to see Child A alone",
    "next_steps_who": "Me and my manager",
    "next_steps_by_when": "2099-01-31",
}
COMPLETED_PATH = {
    "child_seen": "yes",
    "child_seen_alone": "no",
    "felt_relief": "yes",
    **NEXT_STEPS,
}


def summary_labels() -> dict[str, str]:
    questions, _ = bank_yaml()
    return {qid: q["summary_label"] for qid, q in questions.items() if q.get("summary_label")}


def test_a_completed_debrief_stores_its_concerns_and_is_marked_completed(walked):
    conversation = walked(COMPLETED_PATH)
    assert conversation.requested is None, "every question on the path was answered"
    debrief_id = conversation.slots["debrief_id"]

    turn = conversation.run(ActionFinishDebrief())

    assert turn.control_result == "summary"
    debrief = debrief_row(debrief_id)
    assert debrief.status == "completed"
    assert debrief.completed_at is not None
    stored = stored_concerns(debrief_id)
    concerns = {(c.code, c.rule_id): c for c in stored if c.source == "structured"}
    assert set(concerns) == {
        ("unseen_child", "answer:child_seen_alone:unseen_child"),
        ("worker_relief", "answer:felt_relief:worker_relief"),
    }
    # The worker's own words raise concerns too, each tied to its answer, with offsets
    # into that answer's text.
    for concern in (c for c in stored if c.source == "free_text"):
        question_id = concern.rule_id.split(":")[1]
        words = conversation.slots[question_id]
        assert words[concern.evidence_start : concern.evidence_end] == concern.evidence
    for concern in concerns.values():
        assert concern.source == "structured"
        assert concern.urgent is False
        assert concern.status == "open"
        assert concern.case_id == debrief.case_id
        assert concern.evidence


def test_the_summary_slots_name_answers_concerns_and_next_steps(walked):
    conversation = walked(COMPLETED_PATH)
    turn = conversation.run(ActionFinishDebrief())
    slots = turn.slots

    answer_lines = slots["summary_answers"].splitlines()
    assert all(line.startswith("- ") for line in answer_lines)
    labels = summary_labels()
    shown = [line[2:].split(": ", 1)[0] for line in answer_lines]
    assert set(shown) <= set(labels.values()), "only questions with a summary_label"
    asked_with_label = [q for q in conversation.asked if q in labels]
    assert len(answer_lines) == len(asked_with_label)
    assert f"- {labels['case_reference']}: {CASE_REFERENCE}" in answer_lines
    assert f"- {labels['child_seen_alone']}: No" in answer_lines
    assert f"- {labels['child_seen']}: Yes" in answer_lines

    titles = catalogue_titles()
    concerns = slots["summary_concerns"]
    assert f"- {titles['unseen_child']}:" in concerns
    assert f"- {titles['worker_relief']}:" in concerns
    assert titles["worker_fear"] not in concerns

    assert slots["summary_next_steps"].splitlines() == [f"- {v}" for v in NEXT_STEPS.values()]
    assert slots["debrief_id"] is None, "the next debrief starts afresh"
    assert conversation.slots["case_reference"] == CASE_REFERENCE, "kept for the summary"


def test_a_debrief_with_no_concerns_says_so(walked):
    conversation = walked()
    turn = conversation.run(ActionFinishDebrief())
    assert turn.control_result == "summary"
    assert turn.slots["summary_concerns"] == f"- {prompt('no_concerns')}"
    assert count(Concern) == 0


def test_finishing_twice_stores_each_concern_once(walked, make_tracker, domain):
    conversation = walked(COMPLETED_PATH)
    slots = dict(conversation.slots)
    run_action(ActionFinishDebrief(), make_tracker(slots=slots), domain)
    first = count(Concern)
    again = run_action(ActionFinishDebrief(), make_tracker(slots=slots), domain)
    assert again.control_result == "summary"
    assert first >= 2
    assert count(Concern) == first


def test_an_early_end_pauses_the_debrief_and_keeps_its_concerns(conversation):
    conversation.walk({"threatened_or_hurt": "yes", "continue_after_safety": "no"})
    assert conversation.requested is None
    debrief_id = conversation.slots["debrief_id"]

    turn = conversation.run(ActionFinishDebrief())

    assert turn.slots == {"control_result": "ended_early", "review_debrief_id": None}
    assert debrief_row(debrief_id).status == "paused"
    concerns = {c.code: c for c in stored_concerns(debrief_id)}
    assert set(concerns) == {"worker_fear", "hostility"}
    assert concerns["worker_fear"].urgent is True
    assert concerns["hostility"].urgent is False
    assert conversation.slots["debrief_id"] == debrief_id, "kept so it can be resumed"


def test_finish_with_no_debrief(make_tracker, domain):
    turn = run_action(ActionFinishDebrief(), make_tracker(slots={}), domain)
    assert turn.slots == {"control_result": "no_debrief", "review_debrief_id": None}
    assert turn.messages == []


def test_finish_when_the_records_are_unavailable(walked, monkeypatch):
    conversation = walked(COMPLETED_PATH)
    debrief_id = conversation.slots["debrief_id"]

    def unavailable(*args):
        raise OperationalError("SELECT ...", {}, sqlite3.OperationalError("unable to open"))

    monkeypatch.setattr(debriefs, "finish_debrief", unavailable)
    turn = conversation.run(ActionFinishDebrief())
    assert turn.slots == {"control_result": "records_unavailable", "review_debrief_id": None}
    assert debrief_row(debrief_id).status == "in_progress"
    assert conversation.slots["debrief_id"] == debrief_id


def shared_rows(debrief_id: str) -> tuple[set[str], bool]:
    """(ids of the shared answers, whether the worker asked to talk about the impact)."""
    with session_scope() as session:
        query = select(Answer).where(Answer.debrief_id == debrief_id)
        shared = {a.question_id for a in session.execute(query).scalars() if a.shared_at}
        return shared, session.get(Debrief, debrief_id).impact_requested_at is not None


def test_finishing_shares_what_the_worker_chose(walked):
    conversation = walked({**COMPLETED_PATH, "share_answers": "all", "impact_talk": "yes"})
    debrief_id = conversation.slots["debrief_id"]
    answered = {q for q in conversation.asked if q in SHAREABLE_QUESTIONS}
    assert "for_supervision" in answered

    turn = conversation.run(ActionFinishDebrief())

    assert turn.control_result == "summary"
    assert shared_rows(debrief_id) == (answered, True)
    labels = summary_labels()
    lines = turn.slots["summary_answers"].splitlines()
    assert f"- {labels['share_answers']}: Share all of these" in lines
    assert f"- {labels['impact_talk']}: Yes" in lines


def test_only_what_to_take_to_supervision_is_shared(walked):
    conversation = walked({"share_answers": "for_supervision", "impact_talk": "no"})
    debrief_id = conversation.slots["debrief_id"]
    conversation.run(ActionFinishDebrief())
    assert shared_rows(debrief_id) == ({"for_supervision"}, False)


@pytest.mark.parametrize("share, impact", [("none", "no"), ("skipped", "skipped")])
def test_keeping_it_private_shares_nothing(walked, share, impact):
    conversation = walked({"share_answers": share, "impact_talk": impact})
    debrief_id = conversation.slots["debrief_id"]
    conversation.run(ActionFinishDebrief())
    assert shared_rows(debrief_id) == (set(), False)


def test_an_early_end_shares_nothing(conversation):
    conversation.walk({"threatened_or_hurt": "yes", "continue_after_safety": "no"})
    debrief_id = conversation.slots["debrief_id"]
    conversation.run(ActionFinishDebrief())
    assert shared_rows(debrief_id) == (set(), False)
