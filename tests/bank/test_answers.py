"""Reading what a worker typed as an answer to a bank question."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actions.bank.answers import (
    FREE_TEXT_VALUE,
    MAX_ANSWER_CHARS,
    MAX_REFERENCE_CHARS,
    AnswerNotUnderstood,
    ParsedAnswer,
    clean_text,
    looks_like_a_name,
    parse_answer,
    read_date,
)
from actions.bank.schema import ANY_QUESTION_VALUES, Question
from tests.bank.bank_helpers import TODAY

SCALE = Question(
    id="how_hard",
    set_id="demo",
    text="How hard was it?",
    why="Because.",
    type="scale",
    scale=(1, 5),
    scale_labels=("not at all", "very"),
)


def reason_for(question, text, today=TODAY) -> str:
    with pytest.raises(AnswerNotUnderstood) as caught:
        parse_answer(question, text, today)
    return caught.value.reason


# ---------------------------------------------------------------------------
# yes / no


@pytest.mark.parametrize(
    "text, value",
    [
        ("aye", "yes"),
        ("nope", "no"),
        ("yes", "yes"),
        ("no", "no"),
        ("Yes.", "yes"),
        ("YEP!", "yes"),
        ("nah", "no"),
        ("  No  ", "no"),
    ],
)
def test_yes_no_words(bank, text, value):
    parsed = parse_answer(bank.question("child_seen"), text, TODAY)
    assert parsed.value == value


def test_yes_no_sentence_is_kept_as_own_words(bank):
    sentence = "I saw her briefly in the kitchen but mum stayed with her"
    parsed = parse_answer(bank.question("child_seen_alone"), sentence, TODAY)
    assert parsed == ParsedAnswer("own_words", sentence)


def test_yes_no_single_unknown_word_is_not_understood(bank):
    assert reason_for(bank.question("child_seen"), "banana") == "yes_no"
    assert reason_for(bank.question("child_seen"), "?!") == "yes_no"


# ---------------------------------------------------------------------------
# not sure, for every answer type except the case reference


UNSURE = ["not sure", "Not sure.", "dunno", "I don't know", "no idea", "I'm unsure"]


def questions_of_every_type(bank) -> list[Question]:
    by_type = {}
    for question in bank.questions.values():
        by_type.setdefault(question.type, question)
    by_type["scale"] = SCALE
    return list(by_type.values())


@pytest.mark.parametrize("phrase", UNSURE)
def test_unsure_phrases_for_every_type_but_case_reference(bank, phrase):
    questions = questions_of_every_type(bank)
    assert {q.type for q in questions} >= {
        "yes_no",
        "free_text",
        "choice",
        "multi_choice",
        "scale",
        "date",
        "case_reference",
    }
    for question in questions:
        if question.type == "case_reference":
            continue
        parsed = parse_answer(question, phrase, TODAY)
        assert parsed.value == "not_sure", (question.type, phrase)
        assert parsed.free_text == phrase


@pytest.mark.parametrize("text", ["not sure", "dunno", "not_sure", "skipped"])
def test_unsure_is_not_a_case_reference_value(bank, text):
    with pytest.raises(AnswerNotUnderstood) as problem:
        parse_answer(bank.question("case_reference"), text, TODAY)
    assert problem.value.reason == "case_reference"


def test_a_sentence_that_mentions_not_knowing_stays_free_text(bank):
    text = "I don't know why, but the baby was asleep upstairs the whole time"
    parsed = parse_answer(bank.question("what_happened"), text, TODAY)
    assert parsed == ParsedAnswer(FREE_TEXT_VALUE, text)


# ---------------------------------------------------------------------------
# choices


@pytest.mark.parametrize(
    "text, value, keeps_text",
    [
        ("Unannounced", "unannounced", True),  # label
        ("At the office or another setting away from the home", "office", True),  # long label
        ("it was planned", "announced", True),  # synonym
        ("we dropped in on them", "unannounced", True),  # synonym phrase
        ("office", "office", False),  # id (a button)
        ("unannounced", "unannounced", False),
    ],
)
def test_single_choice_by_label_synonym_or_id(bank, text, value, keeps_text):
    parsed = parse_answer(bank.question("visit_type"), text, TODAY)
    assert parsed.value == value
    assert parsed.free_text == (text if keeps_text else None)


def test_single_choice_unmatched_falls_back_to_other(bank):
    parsed = parse_answer(bank.question("visit_type"), "a walk in the park", TODAY)
    assert parsed == ParsedAnswer("other", "a walk in the park")


@pytest.mark.parametrize("text", ["announced, office", "it was planned but at the office"])
def test_two_choices_for_a_single_choice_question(bank, text):
    assert reason_for(bank.question("visit_type"), text) == "choice_one"


@pytest.mark.parametrize(
    "text, value",
    [
        ("avoidance,violence", "avoidance,violence"),
        ("avoidance, violence", "avoidance,violence"),
        ("disguised_compliance", "disguised_compliance"),
        ("Disguised compliance", "disguised_compliance"),
        ("they were hostile and filmed me", "confrontation,online"),
        ("going through the motions", "disguised_compliance"),
    ],
)
def test_multi_choice_by_comma_list_label_or_synonym(bank, text, value):
    question = bank.question("resistance_type")
    parsed = parse_answer(question, text, TODAY)
    assert parsed.value == value
    assert set(parsed.value.split(",")) <= question.allowed_values()


def test_multi_choice_comma_list_of_ids_keeps_no_free_text(bank):
    parsed = parse_answer(bank.question("resistance_type"), "avoidance,violence", TODAY)
    assert parsed.free_text is None


def test_multi_choice_unmatched_is_not_understood(bank):
    assert reason_for(bank.question("resistance_type"), "a lovely cup of tea") == "choice"


# ---------------------------------------------------------------------------
# scale


@pytest.mark.parametrize(
    "text, value, free_text",
    [("3", "3", None), ("three", "3", "three"), ("I'd say 4", "4", "I'd say 4"), ("5", "5", None)],
)
def test_scale_reads_one_number(text, value, free_text):
    assert parse_answer(SCALE, text, TODAY) == ParsedAnswer(value, free_text)


@pytest.mark.parametrize(
    "text", ["9", "0", "1 or 2", "quite hard", pytest.param("1" * 5000, id="5000-digits")]
)
def test_scale_rejects_out_of_range_ambiguous_or_no_number(text):
    assert reason_for(SCALE, text) == "scale"


# ---------------------------------------------------------------------------
# dates (today is Friday 20 November 2026)


@pytest.mark.parametrize(
    "text, iso",
    [
        ("today", "2026-11-20"),
        ("this morning", "2026-11-20"),
        ("yesterday", "2026-11-19"),
        ("last Tuesday", "2026-11-17"),
        ("Friday", "2026-11-13"),  # a visit on "Friday" said on a Friday was last week
        ("14/11/2026", "2026-11-14"),
        ("14/11/26", "2026-11-14"),
        ("14/11", "2026-11-14"),
        ("3rd November", "2026-11-03"),
        ("3 Nov 2026", "2026-11-03"),
        ("2026-11-14", "2026-11-14"),
        ("25/12", "2025-12-25"),  # no year: the most recent past 25 December
    ],
)
def test_visit_date(bank, text, iso):
    parsed = parse_answer(bank.question("visit_date"), text, TODAY)
    assert parsed.value == iso
    assert parsed.free_text == (None if text == iso else text)


@pytest.mark.parametrize("text", ["31/02/2026", "30/02", "2026-13-01", "0/11/2026", "sometime"])
def test_invalid_date(bank, text):
    assert reason_for(bank.question("visit_date"), text) == "date"


@pytest.mark.parametrize("text", ["tomorrow", "25/12/2026", "2027-01-01", "next Monday"])
def test_future_visit_date(bank, text):
    assert reason_for(bank.question("visit_date"), text) == "date_future"


def test_deadline_in_the_past(bank):
    question = bank.question("next_steps_by_when")
    assert reason_for(question, "yesterday") == "date_past"
    assert parse_answer(question, "next Monday", TODAY).value == "2026-11-23"
    assert parse_answer(question, "1/12", TODAY).value == "2026-12-01"
    assert parse_answer(question, "14/11", TODAY).value == "2027-11-14"


def test_read_date_relative_weekdays():
    tuesday = dt.date(2026, 11, 17)
    assert read_date("last Tuesday", tuesday, "past") == dt.date(2026, 11, 10)
    assert read_date("last Tuesday", TODAY) == tuesday
    assert read_date("next Tuesday", TODAY) == dt.date(2026, 11, 24)
    assert read_date("no date here", TODAY) is None
    with pytest.raises(ValueError):
        read_date("31/02/2026", TODAY)


# ---------------------------------------------------------------------------
# case references


@pytest.mark.parametrize(
    "text, reference",
    [
        ("CP-2231", "CP-2231"),
        ("case ref AB123", "AB123"),
        ("Case reference: 12/3456", "12/3456"),
        ("case number 7781.", "7781"),
        ("7" * MAX_REFERENCE_CHARS, "7" * MAX_REFERENCE_CHARS),
    ],
)
def test_case_reference_accepted(bank, text, reference):
    assert parse_answer(bank.question("case_reference"), text, TODAY) == ParsedAnswer(reference)


@pytest.mark.parametrize(
    "text", ["Jordan Smith", "Jordan", "Amy Jo Brown", "case ref Jordan Smith"]
)
def test_case_reference_that_looks_like_a_name(bank, text):
    assert reason_for(bank.question("case_reference"), text) == "case_reference_name"


@pytest.mark.parametrize(
    "text", ["A" * (MAX_REFERENCE_CHARS + 1), "B" * 200, "case ref", "CP-1\nCP-2"]
)
def test_case_reference_too_long_or_empty(bank, text):
    assert reason_for(bank.question("case_reference"), text) == "case_reference"


def test_looks_like_a_name():
    assert looks_like_a_name("Jordan Smith")
    assert looks_like_a_name("Kyle")
    assert not looks_like_a_name("CP-2231")
    assert not looks_like_a_name("AB123")
    # Letters only could always be a name (or initials), so they are refused whatever the
    # case; a reference needs a number or a symbol.
    assert looks_like_a_name("jordan smith")
    assert looks_like_a_name("ABC DEF")
    assert not looks_like_a_name("FAM-ALPHA")
    assert not looks_like_a_name("One Two Three Four")


# ---------------------------------------------------------------------------
# any text


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\x00\x07", "\u200b"])
def test_empty_answer(bank, text):
    for qid in ("what_happened", "child_seen", "case_reference", "visit_date"):
        assert reason_for(bank.question(qid), text) == "empty"


def test_too_long_answer(bank):
    question = bank.question("what_happened")
    assert reason_for(question, "x" * (MAX_ANSWER_CHARS + 1)) == "too_long"
    assert reason_for(question, "x" * 10_001) == "too_long"
    longest = "x" * MAX_ANSWER_CHARS
    assert parse_answer(question, longest, TODAY).free_text == longest
    # Surrounding whitespace is not counted against the limit.
    assert parse_answer(question, f"  {longest}\n", TODAY).free_text == longest


def test_control_characters_are_stripped(bank):
    raw = "Mum\x00 was\x07 there\x1b and\r\nso was\tdad\x7f"
    parsed = parse_answer(bank.question("what_happened"), raw, TODAY)
    assert parsed.free_text == "Mum was there and\nso was\tdad"
    assert clean_text("\x00 hello \x08") == "hello"


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert('x')</script>",
        "**bold** and <b>tags</b> & {{ jinja }} ${shell}",
        "'; DROP TABLE answers; --",
    ],
)
def test_markup_is_kept_as_text(bank, markup):
    assert parse_answer(bank.question("what_happened"), markup, TODAY) == ParsedAnswer(
        FREE_TEXT_VALUE, markup
    )


def test_stored_values_pass_straight_through(bank):
    """Buttons and the form send stored values; they are taken as they are."""
    for qid in ("what_happened", "child_seen", "visit_type", "visit_date"):
        for value in ("not_sure", "skipped"):
            assert parse_answer(bank.question(qid), value, TODAY) == ParsedAnswer(value)


# ---------------------------------------------------------------------------
# property: any text is either a valid answer or a polite "not understood"


ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(2400, 3000)),
)


def check_parse(question: Question, text: str) -> None:
    try:
        parsed = parse_answer(question, text, TODAY)
    except AnswerNotUnderstood as problem:
        assert problem.reason
        return
    assert isinstance(parsed, ParsedAnswer)
    assert isinstance(parsed.value, str) and parsed.value
    allowed = question.allowed_values()
    if allowed is not None:
        parts = parsed.value.split(",") if question.type == "multi_choice" else [parsed.value]
        assert set(parts) <= allowed, (question.id, text, parsed)
    if question.type == "date" and parsed.value not in ANY_QUESTION_VALUES:
        dt.date.fromisoformat(parsed.value)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
@example(text="not_sure")
@example(text="a" * 10_001)
@example(text="yes\x00")
def test_free_text_and_yes_no_never_fail_badly(bank, text):
    check_parse(bank.question("what_happened"), text)
    check_parse(bank.question("child_seen"), text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), text=ANY_TEXT)
@example(data=None, text="9" * 5000)
@example(data=None, text="31/02")
@example(data=None, text="29/02")
def test_every_question_type_never_fails_badly(bank, data, text):
    questions = questions_of_every_type(bank)
    if data is None:  # an explicit example: try it on every type
        for question in questions:
            check_parse(question, text)
        return
    check_parse(data.draw(st.sampled_from(questions)), text)


@pytest.mark.parametrize(
    "typed, value",
    [
        ("Share all of these", "all"),
        ("yes", "all"),
        ("share them all with my supervisor", "all"),
        ("Only what to take to supervision", "for_supervision"),
        ("just what I want to take to supervision", "for_supervision"),
        ("Keep them private", "none"),
        ("no", "none"),
        ("don't share them", "none"),
        ("I'd rather keep them to myself", "none"),
    ],
)
def test_what_the_supervisor_sees_is_read_from_plain_words(bank, typed, value):
    assert parse_answer(bank.question("share_answers"), typed).value == value


@pytest.mark.parametrize("typed", ["maybe", "keep them all private", "no, share them all"])
def test_an_unclear_sharing_choice_is_asked_again_never_guessed(bank, typed):
    with pytest.raises(AnswerNotUnderstood):
        parse_answer(bank.question("share_answers"), typed)
