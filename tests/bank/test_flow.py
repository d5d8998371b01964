"""Which question comes next: the core path, the deeper sets that open from earlier
answers, ending early for safety, and progress."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.bank.flow import (
    condition_holds,
    debrief_path,
    ended_early,
    next_question,
    progress,
)
from actions.bank.schema import Condition
from tests.bank.bank_helpers import plain_answer, walk

# A 10-15 minute debrief: about 25-40 seconds a question.
CORE_PATH_LIMIT = 35

# Answers that open no deeper set: the worker is safe, was not threatened or afraid, saw
# the child on their own, met no resistance, and does not want the longer reflection.
CALM = {
    "worker_safe_now": "yes",
    "threatened_or_hurt": "no",
    "felt_afraid": "no",
    "resistance_type": "none",
    "offer_deeper_reflection": "no",
    "closure_considered": "no",
}
DEEPER_SETS = (
    "unseen_child",
    "hostility_support",
    "ready_reckoner",
    "relationship_reflection",
)


def calm(question, answers):
    return CALM.get(question.id, plain_answer(question, "yes"))


def answering(overrides, default=calm):
    def policy(question, answers):
        if question.id in overrides:
            return overrides[question.id]
        return default(question, answers)

    return policy


def set_questions(bank, set_id):
    return list(bank.sets[set_id].question_ids)


def test_core_path_is_short_enough_for_a_quick_debrief(bank):
    answers, path = walk(bank, calm)
    assert len(path) <= CORE_PATH_LIMIT, f"core path has {len(path)} questions: {path}"
    # ... and it still asks the opening facts, the feelings, the child and the next steps.
    for qid in (
        "case_reference",
        "worker_safe_now",
        "threatened_or_hurt",
        "visit_date",
        "visit_type",
        "who_present",
        "child_seen",
        "child_seen_alone",
        "bedroom_seen",
        "resistance_type",
        "felt_relief",
        "child_experience",
        "offer_deeper_reflection",
        "next_steps",
        "next_steps_who",
        "next_steps_by_when",
        "for_supervision",
        "share_answers",
        "impact_talk",
    ):
        assert qid in path, qid
    for set_id in DEEPER_SETS:
        assert not set(set_questions(bank, set_id)) & set(path), set_id
    assert "continue_after_safety" not in path
    # The debrief ends with the worker's choices about what their supervisor sees.
    assert path[-3:] == ["for_supervision", "share_answers", "impact_talk"]
    assert next_question(bank, answers) is None
    assert ended_early(bank, answers) is None
    assert progress(bank, answers) == (len(path), len(path))


def test_core_path_is_every_unconditional_debrief_question(bank):
    """The calm path is exactly the questions with no condition on them or their set,
    plus the conditional ones that a calm answer opens (child seen -> seen alone ...)."""
    _, path = walk(bank, calm)
    unconditional = [
        qid
        for qid in bank.debrief_question_ids()
        if bank.question(qid).ask_when is None and bank.set_of(qid).ask_when is None
    ]
    assert [q for q in path if q in unconditional] == unconditional
    assert set(path) - set(unconditional) == {"child_seen_alone", "bedroom_seen"}


def test_path_follows_bank_order_and_never_includes_supervision_questions(bank):
    _, path = walk(bank, lambda q, a: plain_answer(q, "yes"))
    order = bank.debrief_question_ids()
    assert path == [q for q in order if q in path]
    assert not any(q.startswith(("sup_q", "tac_q", "org_q")) for q in path)


def test_all_no_ends_after_the_safety_check(bank):
    answers, path = walk(bank, lambda q, a: plain_answer(q, "no"))
    safety = ["worker_safe_now", "threatened_or_hurt", "continue_after_safety"]
    # The case reference may come before the safety check or not be asked at all.
    assert [q for q in path if q != "case_reference"] == safety
    assert ended_early(bank, answers) == "continue_after_safety"
    assert next_question(bank, answers) is None
    assert progress(bank, answers) == (len(path), len(path))
    assert "visit_date" not in answers


def test_all_yes_opens_safety_hostility_and_deeper_reflection(bank):
    answers, path = walk(bank, lambda q, a: plain_answer(q, "yes"))
    assert "continue_after_safety" in path
    for set_id in ("hostility_support", "assessment_reflection", "relationship_reflection"):
        assert set(set_questions(bank, set_id)) <= set(path), set_id
    assert "multi_agency_discussed" in path  # closure_considered yes
    # The child was seen, and seen alone: the unseen-child questions stay closed.
    assert not set(set_questions(bank, "unseen_child")) & set(path)
    # resistance_type "none" keeps the ready reckoner closed.
    assert not set(set_questions(bank, "ready_reckoner")) & set(path)
    assert ended_early(bank, answers) is None
    assert next_question(bank, answers) is None
    assert progress(bank, answers) == (len(path), len(path))


def test_safe_worker_answering_no_throughout(bank):
    answers, path = walk(
        bank, answering({"worker_safe_now": "yes"}, lambda q, a: plain_answer(q, "no"))
    )
    assert "continue_after_safety" not in path
    # child_seen "no": the seen-alone and bedroom questions make no sense; the
    # unseen-child set opens instead.
    assert "child_seen_alone" not in path
    assert "bedroom_seen" not in path
    assert set(set_questions(bank, "unseen_child")) <= set(path)
    assert not set(set_questions(bank, "relationship_reflection")) & set(path)
    assert "multi_agency_discussed" not in path
    assert ended_early(bank, answers) is None


@pytest.mark.parametrize(
    "resistance, opens",
    [
        ("disguised_compliance", True),
        ("ambivalence", True),
        ("avoidance,disguised_compliance", True),
        ("none", False),
        ("avoidance", False),
        ("confrontation", False),
    ],
)
def test_ready_reckoner_opens_on_disguised_compliance(bank, resistance, opens):
    _, path = walk(bank, answering({"resistance_type": resistance}))
    rr = set_questions(bank, "ready_reckoner")
    assert len(rr) == 10
    if opens:
        assert rr == [q for q in path if q.startswith("rr_")]
    else:
        assert not set(rr) & set(path)


def test_threatened_opens_continue_and_hostility_support(bank):
    answers, path = walk(bank, answering({"threatened_or_hurt": "yes"}))
    assert path.index("continue_after_safety") == path.index("threatened_or_hurt") + 1
    assert answers["continue_after_safety"] == "yes"
    assert set(set_questions(bank, "hostility_support")) <= set(path)


@pytest.mark.parametrize(
    "overrides",
    [
        {"felt_afraid": "yes"},
        {"resistance_type": "violence"},
        {"resistance_type": "confrontation"},
        {"resistance_type": "avoidance,online"},
    ],
)
def test_hostility_support_opens_on_fear_or_hostile_resistance(bank, overrides):
    _, path = walk(bank, answering(overrides))
    assert set(set_questions(bank, "hostility_support")) <= set(path)
    assert "continue_after_safety" not in path


@pytest.mark.parametrize("value", ["no", "not_sure"])
def test_not_feeling_safe_now_offers_to_stop(bank, value):
    _, path = walk(bank, answering({"worker_safe_now": value}))
    assert "continue_after_safety" in path


def test_continue_after_safety_no_ends_the_path(bank):
    answers = {
        "case_reference": "CP-1",
        "worker_safe_now": "yes",
        "threatened_or_hurt": "yes",
        "continue_after_safety": "no",
        # Answers given later (e.g. before the worker stopped) do not reopen the path.
        "visit_date": "2026-11-14",
        "child_seen": "no",
    }
    path = debrief_path(bank, answers)
    assert path[-1] == "continue_after_safety"
    assert "visit_date" not in path
    assert len(path) <= 4
    assert ended_early(bank, answers) == "continue_after_safety"
    assert next_question(bank, answers) is None
    assert progress(bank, answers) == (len(path), len(path))


def test_continue_after_safety_yes_carries_on(bank):
    answers = {
        "case_reference": "CP-1",
        "worker_safe_now": "yes",
        "threatened_or_hurt": "yes",
        "continue_after_safety": "yes",
    }
    assert ended_early(bank, answers) is None
    assert next_question(bank, answers) == "visit_date"


@pytest.mark.parametrize(
    "child_answers",
    [
        {"child_seen": "yes", "child_seen_alone": "no"},
        {"child_seen": "yes", "child_seen_alone": "not_sure"},
        {"child_seen": "yes", "child_seen_alone": "own_words"},
        {"child_seen": "no"},
        {"child_seen": "not_sure", "child_seen_alone": "yes"},
    ],
)
def test_unseen_child_set_opens_when_child_not_seen_alone(bank, child_answers):
    _, path = walk(bank, answering(child_answers))
    unseen = set_questions(bank, "unseen_child")
    assert unseen == [q for q in path if bank.question(q).set_id == "unseen_child"]


def test_unseen_child_set_stays_closed_when_child_seen_alone(bank):
    _, path = walk(bank, answering({"child_seen": "yes", "child_seen_alone": "yes"}))
    assert not set(set_questions(bank, "unseen_child")) & set(path)


def test_offer_deeper_reflection_yes_opens_assessment_and_relationship_sets(bank):
    _, path = walk(bank, answering({"offer_deeper_reflection": "yes"}))
    relationship = set_questions(bank, "relationship_reflection")
    assert relationship == [q for q in path if bank.question(q).set_id == "relationship_reflection"]
    assessment = [q for q in set_questions(bank, "assessment_reflection")]
    # Perpetrator engagement is only asked where violence or threats came up.
    expected = [q for q in assessment if q != "assess_perpetrator_engaged"]
    assert expected == [q for q in path if bank.question(q).set_id == "assessment_reflection"]


def test_offer_deeper_reflection_no_keeps_them_closed(bank):
    _, path = walk(bank, calm)
    assert "offer_deeper_reflection" in path
    assessment = set(set_questions(bank, "assessment_reflection")) - {"offer_deeper_reflection"}
    assert not assessment & set(path)
    assert not set(set_questions(bank, "relationship_reflection")) & set(path)


def test_perpetrator_question_needs_reflection_and_violence(bank):
    _, path = walk(
        bank, answering({"offer_deeper_reflection": "yes", "resistance_type": "violence"})
    )
    assert "assess_perpetrator_engaged" in path
    _, path = walk(
        bank, answering({"offer_deeper_reflection": "no", "resistance_type": "violence"})
    )
    assert "assess_perpetrator_engaged" not in path


def test_multi_choice_answers_match_any_one_of_their_ids():
    leaf = Condition(question="resistance_type", values=("disguised_compliance",))
    assert condition_holds(leaf, {"resistance_type": "avoidance,disguised_compliance"})
    assert condition_holds(leaf, {"resistance_type": " avoidance , disguised_compliance "})
    assert not condition_holds(leaf, {"resistance_type": "avoidance,violence"})
    # Whole ids only: a value that merely contains the id does not match.
    assert not condition_holds(leaf, {"resistance_type": "not_disguised_compliance"})
    assert not condition_holds(leaf, {"resistance_type": "disguised"})


def test_conditions_any_all_and_unanswered():
    yes_a = Condition(question="a", values=("yes",))
    yes_b = Condition(question="b", values=("yes",))
    either = Condition(any_of=(yes_a, yes_b))
    both = Condition(all_of=(yes_a, yes_b))
    assert condition_holds(None, {})
    assert not condition_holds(yes_a, {})  # unanswered never satisfies a leaf
    assert not condition_holds(yes_a, {"a": None})
    assert condition_holds(either, {"a": "no", "b": "yes"})
    assert not condition_holds(either, {"a": "no", "b": "no"})
    assert not condition_holds(both, {"a": "yes"})
    assert condition_holds(both, {"a": "yes", "b": "yes"})


def test_next_question_is_the_first_unanswered_on_the_path(bank):
    assert next_question(bank, {}) == bank.debrief_question_ids()[0]
    # A gap earlier on the path (e.g. after "go back") is asked before anything later.
    answers = {"case_reference": "CP-1", "threatened_or_hurt": "no", "visit_date": "2026-11-14"}
    assert next_question(bank, answers) == "worker_safe_now"
    answers["worker_safe_now"] = "yes"
    assert next_question(bank, answers) == "visit_type"


def test_skipped_counts_as_answered(bank):
    answers = {"case_reference": "CP-1", "worker_safe_now": "skipped"}
    assert next_question(bank, answers) == "threatened_or_hurt"
    assert progress(bank, answers)[0] == 2


def test_progress_counts_answers_on_the_path_only(bank):
    assert progress(bank, {})[0] == 0
    answers = {"case_reference": "CP-1", "worker_safe_now": "yes", "threatened_or_hurt": "no"}
    answered, total = progress(bank, answers)
    assert answered == 3
    assert total == len(debrief_path(bank, answers))
    # An answer to a question that is not on the path (the ready reckoner is closed) and
    # a supervision question do not count.
    answered_off_path, total_off_path = progress(
        bank, {**answers, "rr_fail_to_attend": "yes", "sup_q1": "text"}
    )
    assert (answered_off_path, total_off_path) == (3, total)
    # Opening a deeper set makes the path longer.
    _, longer = progress(bank, {**answers, "resistance_type": "disguised_compliance"})
    assert longer == total + 10


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_answers_walk_to_an_end(bank, data):
    """Whatever valid answers a worker gives, the debrief finishes, asks each question at
    most once, and every question on the final path has been answered."""

    def random_answer(question, answers):
        allowed = question.allowed_values()
        if allowed is None:
            return plain_answer(question)
        if question.type == "multi_choice":
            ids = [c.id for c in question.choices]
            picked = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
            return ",".join(picked)
        return data.draw(st.sampled_from(sorted(allowed)))

    answers, path = walk(bank, random_answer)
    assert len(path) == len(set(path))
    assert all(answers.get(q) is not None for q in path)
    answered, total = progress(bank, answers)
    assert answered == total == len(path)
    ended = ended_early(bank, answers)
    assert ended is None or ended == path[-1]
