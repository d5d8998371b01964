"""The six reading rules of TAXONOMY.md, and the public examples (all exact)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actions.concerns.detector import detect, detect_many, detect_rules
from tests.concerns.detector_helpers import codes

EXAMPLES = Path("/work/shared/concerns/examples.jsonl")


# 1. negation and contrast ---------------------------------------------------------------


def test_seen_alone_raises_nothing():
    assert codes("I saw both children on their own") == set()


def test_not_seen_alone_raises_unseen_child():
    assert codes("I didn't get to see Kyle alone") == {"unseen_child"}


def test_contrast_raises_on_the_second_clause_only():
    text = "She didn't shout, but she wouldn't let me upstairs"
    raised = detect(text)
    assert {c.code for c in raised} == {"unseen_child"}
    (concern,) = raised
    assert concern.evidence_start > text.index("but")


@pytest.mark.parametrize(
    "text",
    [
        "Mum wasn't aggressive at all and we had a good chat.",
        "There were no threats this time.",
        "He has not missed an appointment since the summer.",
    ],
)
def test_negated_concerns_do_not_raise(text):
    assert codes(text) == set()


# 2. hedging still counts ----------------------------------------------------------------


def test_hedged_unseen_child_still_raises():
    assert "unseen_child" in codes("I'm not sure I really saw the baby properly")


# 3. time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the house used to be a mess",
        "He used to miss every appointment but he has attended every one since Easter.",
        "Dad used to shout at workers years ago.",
    ],
)
def test_resolved_past_raises_nothing(text):
    assert codes(text) == set()


def test_a_pattern_across_visits_counts():
    assert "unseen_child" in codes("The children were out with their gran every time I visited.")


# 4. who -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Mum was frightened", "Her son looked scared when his stepdad came in.", "Mum was relieved."],
)
def test_other_peoples_feelings_are_not_the_workers(text):
    assert not codes(text) & {"worker_fear", "worker_relief", "worker_wellbeing"}


def test_workers_own_fear_is_worker_fear_and_urgent():
    (concern,) = [c for c in detect("I was frightened in that flat.") if c.code == "worker_fear"]
    assert concern.urgent


def test_being_shouted_at_is_hostility_not_the_worker_shouting():
    assert "hostility" in codes("I was shouted at on the doorstep by her partner.")


# 5. evidence with spans -------------------------------------------------------------------


def test_evidence_is_the_span_that_raised_it():
    text = "Visit was fine. Kids were at school so I'll see them next week."
    (concern,) = detect(text)
    assert concern.source == "free_text"
    assert concern.rule_id.startswith("unseen.")
    assert text[concern.evidence_start : concern.evidence_end] == concern.evidence
    assert "school" in concern.evidence


# 6. several at once, each once ------------------------------------------------------------


def test_several_codes_each_reported_once_with_the_first_trigger():
    text = (
        "Nobody answered the door again. Then on Friday nobody answered either and "
        "if I'm honest I felt relieved when nobody answered."
    )
    raised = detect(text)
    assert sorted(c.code for c in raised) == ["avoidance", "worker_relief"]
    avoidance = next(c for c in raised if c.code == "avoidance")
    assert avoidance.evidence_start == 0


# public examples --------------------------------------------------------------------------


def _examples():
    return [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not mounted")
def test_public_examples_exact():
    rows = _examples()
    results = detect_many([r["text"] for r in rows])
    wrong = [
        (r["id"], sorted(r["codes"]), sorted(c.code for c in got))
        for r, got in zip(rows, results, strict=True)
        if sorted(r["codes"]) != sorted(c.code for c in got)
    ]
    assert not wrong, wrong


def test_detect_many_matches_detect():
    texts = ["I didn't get to see Kyle alone", "", "Mum was frightened", "Honestly I was scared."]
    assert detect_many(texts) == [detect(t) for t in texts]


# reading bugs found in review ---------------------------------------------------------------


def test_if_clause_ends_at_and_with_a_new_subject():
    assert "worker_fear" in codes("I said I'd ring if I came back and I was scared the whole time.")


def test_negation_ends_at_and_with_a_new_subject():
    assert codes("She didn't shout and I was scared.") == {"worker_fear"}


def test_a_passive_needs_an_auxiliary_adverbs_alone_are_not_one():
    assert "hostility" in codes("I was really shouted at by her partner.")
    assert "hostility" not in codes("I really shouted.")


def test_workers_own_feeling_reported_by_someone_else_is_still_the_workers():
    assert "worker_fear" in codes("Mum said I was frightened.")


def test_worker_named_as_object_does_not_block_the_familys_behaviour():
    assert "hostility" in codes("He stared at me and threatened to put my windows in.")


def test_multi_word_lexicon_entries_do_not_combine_parts_of_two_entries():
    from actions.concerns.pipeline import _factorise

    assert len(_factorise([["health", "visitor"], ["social", "worker"]])) == 2
    assert _factorise([["did", "n't"], ["was", "n't"]]) == [[("did", "was"), ("n't",)]]
    # "felt" + "up" (the rules' lexicon, so the rules alone)
    assert not detect_rules("I felt up to going back on my own.")


def test_negation_does_not_cross_a_dash_aside():
    assert "hostility" in codes("Mum - not the kids - was shouting at me.")


def test_a_pattern_ending_in_i_matches_a_sentence_final_i():
    from actions.concerns import pipeline as P
    from actions.concerns.rules_schema import load_rules

    compiler = P.PatternCompiler(load_rules(), P.Tokenizer(P.spacy_tokenizer_spec()))
    assert compiler.tokenizer("The one it frightened was I.")[0][-1] == "I."  # one token
    patterns = compiler.compile_pattern("frightened was ( i | me )", "t")
    assert any("i." in p[-1]["LOWER"]["IN"] for p in patterns)


def test_negation_ends_at_a_comma_before_a_new_subject():
    assert "worker_fear" in codes("I've not been sleeping, I'm scared of what he'll do next.")
