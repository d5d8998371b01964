"""ValidateDebriefForm: the path through the bank, saving each answer at once, reading
answers, urgent safety messages and a database that is briefly unavailable."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions.debrief_form import ValidateDebriefForm
from actions.services import debriefs
from actions.store.models import Answer, AnswerRevision, Case, Concern, Debrief, Person
from tests.actions.action_helpers import (
    CASE_REFERENCE,
    CHANNEL,
    SENDER,
    all_debriefs,
    answer_problem,
    bank_yaml,
    cases_of,
    count,
    debrief_row,
    person_for,
    prompt,
    revisions,
    run_action,
    set_question_ids,
    stored_answers,
    stored_concerns,
)

SAFETY = ["worker_safe_now", "threatened_or_hurt"]


def required_slots(make_tracker, domain, slots: dict) -> list[str]:
    form = ValidateDebriefForm()
    tracker = make_tracker(slots=slots)
    domain_slots = form.domain_slots(domain)
    return asyncio.run(form.required_slots(domain_slots, CollectingDispatcher(), tracker, domain))


def debrief_order() -> list[str]:
    questions, sets = bank_yaml()
    in_debrief = sorted((s for s in sets.values() if s["in_debrief"]), key=lambda s: s["order"])
    return [qid for s in in_debrief for qid in s["question_ids"]]


def unconditional() -> list[str]:
    questions, sets = bank_yaml()
    return [
        qid
        for qid in debrief_order()
        if "ask_when" not in questions[qid] and "ask_when" not in sets[questions[qid]["set_id"]]
    ]


# --- required_slots: the path follows the bank ----------------------------------------


def test_the_form_lists_every_debrief_question_in_bank_order(domain):
    assert ValidateDebriefForm().domain_slots(domain) == debrief_order()


def test_with_no_answers_only_the_core_path_is_required(make_tracker, domain):
    path = required_slots(make_tracker, domain, {})
    assert path[:3] == SAFETY + ["case_reference"], "safety comes before the case"
    assert path == unconditional()
    for deeper in ("continue_after_safety", "child_seen_alone", "bedroom_seen"):
        assert deeper not in path
    for closed_set in (
        "unseen_child",
        "hostility_support",
        "ready_reckoner",
        "relationship_reflection",
    ):
        assert not set(set_question_ids(closed_set)) & set(path), closed_set


@pytest.mark.parametrize(
    ("answers", "opened", "after"),
    [
        ({"threatened_or_hurt": "yes"}, ["continue_after_safety"], "threatened_or_hurt"),
        ({"worker_safe_now": "not_sure"}, ["continue_after_safety"], "threatened_or_hurt"),
        ({"child_seen": "yes"}, ["child_seen_alone", "bedroom_seen"], "child_seen"),
        ({"child_seen": "own_words"}, ["child_seen_alone", "bedroom_seen"], "child_seen"),
        (
            {"child_seen": "yes", "child_seen_alone": "no"},
            set_question_ids("unseen_child"),
            "child_seen_alone",
        ),
        ({"child_seen": "no"}, set_question_ids("unseen_child"), "child_seen"),
        ({"felt_afraid": "yes"}, set_question_ids("hostility_support"), "felt_afraid"),
        (
            {"resistance_type": "none,disguised_compliance"},
            set_question_ids("ready_reckoner"),
            "resistance_type",
        ),
        (
            {"offer_deeper_reflection": "yes"},
            set_question_ids("relationship_reflection") + ["assess_usual_practice"],
            "offer_deeper_reflection",
        ),
        ({"closure_considered": "yes"}, ["multi_agency_discussed"], "closure_considered"),
    ],
)
def test_deeper_questions_appear_only_when_an_earlier_answer_calls_for_them(
    make_tracker, domain, answers, opened, after
):
    before = required_slots(make_tracker, domain, {})
    path = required_slots(make_tracker, domain, answers)
    assert not set(opened) & set(before)
    assert set(opened) <= set(path)
    assert all(path.index(q) > path.index(after) for q in opened), "asked after the trigger"
    assert path == [q for q in debrief_order() if q in path], "bank order is kept"


def test_the_perpetrator_question_needs_deeper_reflection_and_violence(make_tracker, domain):
    deeper_only = required_slots(make_tracker, domain, {"offer_deeper_reflection": "yes"})
    with_violence = required_slots(
        make_tracker, domain, {"offer_deeper_reflection": "yes", "resistance_type": "violence"}
    )
    assert "assess_perpetrator_engaged" not in deeper_only
    assert "assess_perpetrator_engaged" in with_violence


def test_not_carrying_on_after_the_safety_check_ends_the_path(make_tracker, domain):
    answers = {"worker_safe_now": "yes", "threatened_or_hurt": "yes"}
    path = required_slots(make_tracker, domain, {**answers, "continue_after_safety": "no"})
    assert path == SAFETY + ["continue_after_safety"]


def test_the_form_requests_the_next_question_on_the_path(conversation):
    conversation.start_form()
    assert conversation.requested == "worker_safe_now"
    conversation.answer("yes")
    assert conversation.requested == "threatened_or_hurt"
    conversation.answer("yes")
    assert conversation.requested == "continue_after_safety"


# --- the case reference opens the debrief -------------------------------------------


def test_case_reference_opens_a_debrief_for_the_sender(make_tracker, domain):
    tracker = make_tracker(
        requested_slot="case_reference", candidates={"case_reference": CASE_REFERENCE}
    )
    turn = run_action(ValidateDebriefForm(), tracker, domain)

    debrief_id = turn.slots["debrief_id"]
    assert debrief_id
    assert turn.slots["case_reference"] == CASE_REFERENCE
    assert turn.slots["answered_questions"] == ["case_reference"]
    assert turn.messages == []

    person = person_for(SENDER, CHANNEL)
    assert person is not None, "the sender became a person"
    [case] = cases_of(person.id)
    assert case.reference == CASE_REFERENCE
    debrief = debrief_row(debrief_id)
    assert debrief.status == "in_progress"
    assert debrief.person_id == person.id
    assert debrief.case_id == case.id
    assert debrief.sender_id == SENDER
    assert stored_answers(debrief_id) == {"case_reference": (CASE_REFERENCE, None)}
    assert count(Debrief) == 1


def test_case_named_after_the_safety_answers_joins_the_same_debrief(conversation):
    conversation.start_form()
    first = conversation.answer("yes")
    conversation.answer("no")
    conversation.answer(f"case ref: {CASE_REFERENCE}")

    debrief_id = first.slots["debrief_id"]
    assert count(Debrief) == 1
    assert count(Case) == 1
    assert conversation.slots["case_reference"] == CASE_REFERENCE
    assert set(stored_answers(debrief_id)) == {*SAFETY, "case_reference"}
    assert debrief_row(debrief_id).case_id is not None


def test_a_name_like_case_reference_is_refused_and_nothing_is_stored(make_tracker, domain):
    tracker = make_tracker(
        requested_slot="case_reference", candidates={"case_reference": "Jordan Smith"}
    )
    turn = run_action(ValidateDebriefForm(), tracker, domain)

    assert turn.texts == [answer_problem("case_reference_name")]
    assert turn.slots["case_reference"] is None
    assert "debrief_id" not in turn.slots
    for model in (Person, Case, Debrief, Answer):
        assert count(model) == 0, model.__name__


def test_a_name_like_case_reference_is_asked_again_mid_debrief(conversation):
    conversation.walk(until="case_reference")
    debrief_id = conversation.slots["debrief_id"]
    turn = conversation.answer("Jordan Smith")

    assert turn.texts == [answer_problem("case_reference_name")]
    assert turn.slots["case_reference"] is None
    assert conversation.requested == "case_reference"
    assert count(Case) == 0
    assert debrief_row(debrief_id).case_id is None
    assert "case_reference" not in stored_answers(debrief_id)


# --- every answer is committed at once ----------------------------------------------


def test_each_answer_is_in_the_database_straight_after_its_validation(conversation):
    conversation.start_form()
    turn = conversation.answer("yes")
    debrief_id = turn.slots["debrief_id"]
    assert stored_answers(debrief_id) == {"worker_safe_now": ("yes", None)}

    conversation.answer("no")
    assert stored_answers(debrief_id) == {
        "worker_safe_now": ("yes", None),
        "threatened_or_hurt": ("no", None),
    }
    assert conversation.slots["answered_questions"] == SAFETY


def test_the_same_validation_twice_stores_one_answer_and_no_revision(conversation):
    conversation.start_form()
    conversation.answer("yes")

    # Rasa sends the same answer again (a retried request): the slots now carry the
    # debrief, so no second debrief and no second answer row.
    conversation.answer("yes", "worker_safe_now")
    assert count(Debrief) == 1
    assert count(Answer) == 1
    assert count(AnswerRevision) == 0
    assert conversation.slots["answered_questions"] == ["worker_safe_now"]


def test_a_changed_answer_replaces_the_old_one_and_keeps_it_as_a_revision(conversation):
    conversation.start_form()
    conversation.answer("yes")
    debrief_id = conversation.slots["debrief_id"]

    turn = conversation.answer("no", "worker_safe_now")
    assert turn.slots["worker_safe_now"] == "no"
    assert stored_answers(debrief_id) == {"worker_safe_now": ("no", None)}
    assert revisions(debrief_id, "worker_safe_now") == [("yes", None)]
    assert count(Answer) == 1


# --- reading answers ----------------------------------------------------------------


def test_a_yes_no_answer_in_own_words_keeps_the_words(conversation):
    conversation.walk(until="child_seen")
    words = "Sort of, he was on mum's lap behind the sofa most of the time"
    turn = conversation.answer(words)

    assert turn.slots["child_seen"] == "own_words"
    assert turn.messages == []
    assert stored_answers(conversation.slots["debrief_id"])["child_seen"] == ("own_words", words)
    assert conversation.requested == "child_seen_alone", "own words open the follow-up"


def test_an_unreadable_date_gets_the_date_prompt_and_is_asked_again(conversation):
    conversation.walk(until="visit_date")
    debrief_id = conversation.slots["debrief_id"]
    turn = conversation.answer("the day the boiler broke")

    assert turn.texts == [answer_problem("date")]
    assert turn.slots["visit_date"] is None
    assert conversation.requested == "visit_date"
    assert "visit_date" not in stored_answers(debrief_id)
    assert "visit_date" not in conversation.slots["answered_questions"]


def test_a_readable_date_is_stored_as_iso_with_the_words(conversation):
    conversation.walk(until="visit_date")
    turn = conversation.answer("2020-03-04")
    assert turn.slots["visit_date"] == "2020-03-04"
    assert stored_answers(conversation.slots["debrief_id"])["visit_date"] == ("2020-03-04", None)


def test_a_free_text_answer_is_the_slot_and_is_stored_as_text(conversation):
    conversation.walk(until="who_present")
    words = "Mum, mum's partner and a male visitor I hadn't met"
    turn = conversation.answer(words)
    assert turn.slots["who_present"] == words
    stored = stored_answers(conversation.slots["debrief_id"])["who_present"]
    assert stored == (debriefs.FREE_TEXT_VALUE, words)


# --- urgent concerns ----------------------------------------------------------------


def test_threatened_or_hurt_says_the_safety_message_at_once_and_stores_the_concern(
    conversation,
):
    conversation.start_form()
    conversation.answer("yes")
    turn = conversation.answer("yes")

    assert turn.texts == [prompt("safety_first")]
    concerns = stored_concerns(conversation.slots["debrief_id"])
    by_code = {c.code: c for c in concerns}
    assert by_code["worker_fear"].urgent is True
    assert by_code["worker_fear"].source == "structured"
    assert by_code["worker_fear"].rule_id == "answer:threatened_or_hurt:worker_fear"
    assert by_code["worker_fear"].status == "open"
    # Hostility is not urgent in the bank: it is stored when the debrief ends (see
    # test_debrief_finish), so only the urgent concern is stored at this point.
    assert [c.code for c in concerns if c.urgent] == ["worker_fear"]


def test_not_being_safe_now_also_gets_the_safety_message(conversation):
    conversation.start_form()
    turn = conversation.answer("not sure")
    assert turn.texts == [prompt("safety_first")]
    assert [c.code for c in stored_concerns(conversation.slots["debrief_id"])] == ["worker_fear"]


def test_a_safe_worker_hears_no_safety_message(conversation):
    conversation.start_form()
    assert conversation.answer("yes").messages == []
    assert conversation.answer("no").messages == []
    assert count(Concern) == 0


def test_the_urgent_message_is_said_again_but_the_concern_is_stored_once(conversation):
    conversation.start_form()
    conversation.answer("yes")
    conversation.answer("yes")
    turn = conversation.answer("yes", "threatened_or_hurt")
    assert turn.texts == [prompt("safety_first")]
    assert count(Concern) == 1


# --- the database is briefly unavailable --------------------------------------------


def _unavailable(*args, **kwargs):
    raise OperationalError(
        "INSERT INTO answers ...", {}, sqlite3.OperationalError("database is locked")
    )


def test_an_answer_that_cannot_be_saved_is_asked_again_and_nothing_is_lost(
    conversation, monkeypatch
):
    conversation.start_form()
    conversation.answer("yes")
    debrief_id = conversation.slots["debrief_id"]

    monkeypatch.setattr(debriefs, "save_answer", _unavailable)
    turn = conversation.answer("yes")

    assert turn.texts == [prompt("records_unavailable")]
    assert turn.slots["threatened_or_hurt"] is None
    assert conversation.requested == "threatened_or_hurt", "the same question again"
    assert conversation.slots["answered_questions"] == ["worker_safe_now"]
    assert stored_answers(debrief_id) == {"worker_safe_now": ("yes", None)}

    monkeypatch.undo()
    turn = conversation.answer("yes")
    assert turn.slots["threatened_or_hurt"] == "yes"
    assert stored_answers(debrief_id)["threatened_or_hurt"] == ("yes", None)


def test_no_debrief_is_opened_while_the_database_is_down(conversation, monkeypatch):
    monkeypatch.setattr(debriefs, "open_debrief", _unavailable)
    conversation.start_form()
    turn = conversation.answer("yes")

    assert turn.texts == [prompt("records_unavailable")]
    assert turn.slots["worker_safe_now"] is None
    assert "debrief_id" not in turn.slots
    assert count(Debrief) == 0


def test_a_failed_first_save_keeps_the_debrief_it_opened(conversation, monkeypatch):
    """The debrief row is opened, then the answer cannot be saved: the retry must use
    that debrief, not open a second one that leaves an empty debrief to 'resume'."""
    monkeypatch.setattr(debriefs, "save_answer", _unavailable)
    conversation.start_form()
    turn = conversation.answer("yes")
    assert turn.texts == [prompt("records_unavailable")]
    assert turn.slots["worker_safe_now"] is None

    monkeypatch.undo()
    conversation.answer("yes")
    [debrief] = all_debriefs()
    assert conversation.slots["debrief_id"] == debrief.id
    assert stored_answers(debrief.id) == {"worker_safe_now": ("yes", None)}


def test_an_urgent_concern_that_cannot_be_stored_is_still_said(conversation, monkeypatch):
    conversation.start_form()
    conversation.answer("yes")
    monkeypatch.setattr(debriefs, "record_concerns", _unavailable)
    turn = conversation.answer("yes")
    assert turn.texts == [prompt("safety_first")]
    assert turn.slots["threatened_or_hurt"] == "yes", "the answer itself was saved"
    assert count(Concern) == 0
