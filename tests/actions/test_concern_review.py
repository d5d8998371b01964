"""The review of concerns at the end of a debrief: each decision is saved at once, and a
note added as context reaches the supervisor only when the worker says so."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from actions.concern_review import (
    ActionAskReviewShare,
    ActionStartReview,
    ValidateConcernReviewForm,
)
from actions.debrief_finish import ActionFinishDebrief
from actions.services import concern_review
from tests.actions.action_helpers import answer_problem, prompt, run_action, stored_concerns

REVIEW = "concern_review_form"
PATH = {"child_seen": "yes", "child_seen_alone": "no", "felt_relief": "yes"}
NOTE = "Mum has just been bereaved; the nursery saw him alone on Monday."


@pytest.fixture
def reviewing(walked):
    """A finished debrief whose review has started (its first concern is asked)."""
    conversation = walked(PATH)
    conversation.run(ActionFinishDebrief())
    turn = conversation.run(ActionStartReview())
    assert turn.control_result == "review_started"
    conversation.active_loop = REVIEW
    return conversation


def decide(conversation, slot: str, value: str):
    return conversation.run(ValidateConcernReviewForm(), candidates={slot: value})


def concerns_of(conversation, code: str):
    debrief_id = conversation.slots["review_debrief_id"]
    return [c for c in stored_concerns(debrief_id) if c.code == code]


def required_slots(conversation) -> list[str]:
    tracker = conversation.make_tracker(slots=conversation.slots, active_loop=REVIEW)
    form = ValidateConcernReviewForm()
    return asyncio.run(form.required_slots([], None, tracker, conversation.domain))


def add_context(conversation) -> str:
    """Choose "add context" on the first concern and give the note; returns its code."""
    code = conversation.slots["review_codes"][0]
    decide(conversation, "review_decision", "add_context")
    turn = decide(conversation, "review_note", NOTE)
    assert turn.slots == {"review_note": NOTE, "requested_slot": "review_share"}, (
        "the form goes on to ask about sharing"
    )
    return code


def test_after_adding_context_the_note_is_saved_privately_and_sharing_is_asked(reviewing):
    code = add_context(reviewing)

    for concern in concerns_of(reviewing, code):
        assert concern.worker_note == NOTE
        assert concern.status == "open"
        assert concern.shared_at is None and concern.note_shared_at is None
    assert required_slots(reviewing) == ["review_decision", "review_note", "review_share"]


def test_yes_takes_the_concern_to_supervision_with_the_note(reviewing):
    code = add_context(reviewing)
    pending = list(reviewing.slots["review_codes"])

    turn = decide(reviewing, "review_share", "yes")

    for concern in concerns_of(reviewing, code):
        assert concern.status == "for_supervision"
        assert concern.shared_at is not None and concern.note_shared_at is not None
    assert turn.slots["review_codes"] == pending[1:], "on to the next concern"
    assert turn.texts == [prompt("review_note_shared")]
    assert turn.slots["review_share"] is None and turn.slots["review_decision"] is None
    assert turn.control_result == "reviewed"


@pytest.mark.parametrize("answer", ["no", "not_sure", "I'd rather think about it first"])
def test_anything_but_yes_keeps_the_concern_and_note_private(reviewing, answer):
    code = add_context(reviewing)

    turn = decide(reviewing, "review_share", answer)

    for concern in concerns_of(reviewing, code):
        assert (concern.status, concern.worker_note) == ("open", NOTE)
        assert concern.shared_at is None and concern.note_shared_at is None
    assert turn.control_result == "reviewed"
    assert turn.texts == [prompt("review_note_private")], "the worker hears it stays private"


def test_an_unreadable_reply_asks_again(reviewing):
    add_context(reviewing)
    turn = decide(reviewing, "review_share", "??")
    assert turn.slots["review_share"] is None
    assert turn.texts == [answer_problem("yes_no")]


def test_taking_a_concern_to_supervision_shares_it_without_a_note(reviewing):
    code = reviewing.slots["review_codes"][0]
    decide(reviewing, "review_decision", "for_supervision")
    for concern in concerns_of(reviewing, code):
        assert concern.shared_at is not None
        assert concern.worker_note is None and concern.note_shared_at is None


def test_a_reason_it_does_not_apply_is_never_shared_and_nothing_more_is_asked(reviewing):
    code = reviewing.slots["review_codes"][0]
    decide(reviewing, "review_decision", "not_applicable")
    turn = decide(reviewing, "review_note", "The nursery saw him alone.")
    assert turn.control_result == "reviewed"
    for concern in concerns_of(reviewing, code):
        assert concern.status == "not_applicable"
        assert concern.shared_at is None and concern.note_shared_at is None


def test_records_unavailable_when_sharing_keeps_the_note_and_asks_again(reviewing, monkeypatch):
    code = add_context(reviewing)

    def unavailable(*args):
        raise OperationalError("UPDATE ...", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(concern_review, "share_with_note", unavailable)
    turn = decide(reviewing, "review_share", "yes")

    assert turn.slots == {"review_share": None, "requested_slot": "review_share"}
    assert turn.texts == [prompt("records_unavailable")]
    for concern in concerns_of(reviewing, code):
        assert (concern.worker_note, concern.shared_at) == (NOTE, None)


def test_the_share_question_says_private_is_the_default_and_offers_two_buttons(
    make_tracker, domain
):
    turn = run_action(ActionAskReviewShare(), make_tracker(active_loop=REVIEW), domain)
    (message,) = turn.messages
    assert message["text"] == prompt("review_share_note")
    assert "private" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
