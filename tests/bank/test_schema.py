"""The question bank: the real bank loads and covers what the product promises, and a
malformed bank fails at once with a message naming the file, the question and the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.bank.schema import (
    ANSWER_TYPES,
    IDENTIFIER,
    STAGES,
    TAXONOMY_CODES,
    BankError,
    load_bank,
)
from tests.bank.bank_helpers import BANK_DIR, question_doc, set_doc, taxonomy_codes

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


# ---------------------------------------------------------------------------
# The real bank


def raw_question_ids() -> list[str]:
    """Every question id as written in the YAML files, read without the loader."""
    ids = []
    for path in sorted(BANK_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids += [q["id"] for q in document["questions"]]
    return ids


def test_real_bank_loads_with_sets_and_questions(bank):
    assert len(bank.sets) == len(list(BANK_DIR.glob("*.yml")))
    assert len(bank.questions) == len(raw_question_ids())
    assert all(s.stage in STAGES for s in bank.sets.values())
    assert all(q.type in ANSWER_TYPES for q in bank.questions.values())


def test_question_ids_are_snake_case_and_unique_across_the_files():
    ids = raw_question_ids()
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []
    not_snake = [i for i in ids if not SNAKE_CASE.match(i) or not IDENTIFIER.match(i)]
    assert not_snake == []


def test_debrief_ids_are_snake_case_unique_and_not_rasa_reserved(bank):
    ids = bank.debrief_question_ids()
    assert len(ids) == len(set(ids))
    assert all(SNAKE_CASE.match(i) for i in ids)
    # Rasa fills these slots itself; a question of the same name would clash.
    assert not {"requested_slot", "session_started_metadata"} & set(ids)


def test_debrief_sets_have_distinct_orders(bank):
    orders = [s.order for s in bank.debrief_sets()]
    assert len(orders) == len(set(orders))
    assert orders == sorted(orders)


OPENING_FACTS = [
    "case_reference",
    "visit_date",
    "visit_type",
    "who_present",
    "child_seen",
    "child_seen_alone",
    "bedroom_seen",
]


def test_opening_facts_are_asked_in_the_debrief(bank):
    debrief = bank.debrief_question_ids()
    for qid in OPENING_FACTS:
        assert qid in debrief, qid
    assert bank.question("case_reference").type == "case_reference"
    assert bank.question("case_reference").required
    assert bank.question("visit_date").type == "date"
    assert bank.question("visit_date").date_direction == "past"
    assert bank.question("visit_type").type == "choice"
    assert bank.question("who_present").type == "free_text"
    for qid in ("child_seen", "child_seen_alone", "bedroom_seen"):
        assert bank.question(qid).type == "yes_no"
    # The case reference comes before the visit's facts, so they can be filed against a case.
    assert debrief.index("case_reference") < min(debrief.index(q) for q in OPENING_FACTS[1:])


def test_only_the_case_reference_is_required(bank):
    assert [q.id for q in bank.questions.values() if q.required] == ["case_reference"]


def test_safety_set_comes_before_the_visit(bank):
    safety = bank.sets["safety"]
    assert safety.stage == "safety"
    assert safety.in_debrief
    assert list(safety.question_ids) == [
        "worker_safe_now",
        "threatened_or_hurt",
        "continue_after_safety",
    ]
    debrief = bank.debrief_question_ids()
    start = debrief.index("worker_safe_now")
    # Asked together, before anything about the visit (at most the case reference first).
    assert debrief[start : start + 3] == list(safety.question_ids)
    assert set(debrief[:start]) <= {"case_reference"}
    assert bank.question("continue_after_safety").ends_debrief_when == ("no",)
    # The only way to end the debrief early is the safety check.
    enders = [q.id for q in bank.questions.values() if q.ends_debrief_when]
    assert enders == ["continue_after_safety"]


def test_resistance_type_offers_the_six_types(bank):
    question = bank.question("resistance_type")
    assert question.type == "multi_choice"
    ids = {c.id for c in question.choices}
    six = {
        "ambivalence",
        "avoidance",
        "confrontation",
        "violence",
        "disguised_compliance",
        "online",
    }
    assert six <= ids
    assert ids - six <= {"none"}


def test_ten_ready_reckoner_questions(bank):
    rr = [q for q in bank.questions if q.startswith("rr_")]
    assert len(rr) == 10
    assert list(bank.sets["ready_reckoner"].question_ids) == rr
    items = set()
    for qid in rr:
        match = re.search(r"ready reckoner item (\d+)", bank.question(qid).source)
        assert match, f"{qid} does not name its ready reckoner item"
        items.add(int(match[1]))
    assert items == set(range(1, 11))


def _numbered_sources(bank, pattern: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for question in bank.questions.values():
        for number in re.findall(pattern, question.source):
            found.setdefault(int(number), []).append(question.id)
    return found


def test_part3_assessment_questions_are_all_present(bank):
    found = _numbered_sources(bank, r"Part 3, assessment question (\d+)")
    assert set(found) == set(range(1, 11)), found
    # Spot-check the mapping for a few that matter most to the product.
    assert "felt_relief" in found[4]
    assert "men_engaged" in found[6]
    assert "unseen_child_manager_guidance" in found[10]


def test_part3_relationship_questions_are_all_present(bank):
    found = _numbered_sources(bank, r"Part 3, relationships question (\d+)")
    assert set(found) == set(range(1, 7)), found
    assert "rel_colluding" in found[4]
    assert "manager_aware_of_impact" in found[6]


BRIEFING_REFLECTIVE = [
    "child_experience",  # What is it like to be a child living in this family?
    "impact_of_resistance_on_child",
    "rel_talked_openly_about_resistance",
    "rel_high_involvement_little_impact",
    "manager_aware_of_challenges",
]


@pytest.mark.parametrize("qid", BRIEFING_REFLECTIVE)
def test_briefing_reflective_questions_are_in_the_debrief(bank, qid):
    assert qid in bank.debrief_question_ids()
    assert "Briefing, reflecting on lessons learned" in bank.question(qid).source


def test_next_steps_questions(bank):
    ids = list(bank.sets["next_steps"].question_ids)
    for qid in ("next_steps", "next_steps_who", "next_steps_by_when", "for_supervision"):
        assert qid in ids
    assert ids.index("next_steps") < ids.index("next_steps_who") < ids.index("next_steps_by_when")
    assert bank.question("next_steps_by_when").type == "date"
    assert bank.question("next_steps_by_when").date_direction == "future"
    assert ids[-1] == "for_supervision"


def test_the_debrief_ends_with_what_the_supervisor_sees(bank):
    """After "what to take to supervision", the worker chooses what is shared: the
    shareable answers (all, only what to take to supervision, or none) and whether to
    ask to talk about the impact of the work on them."""
    assert bank.debrief_question_ids()[-3:] == ["for_supervision", "share_answers", "impact_talk"]
    choice = bank.question("share_answers")
    assert choice.type == "choice"
    assert [c.id for c in choice.choices] == ["all", "for_supervision", "none"]
    assert bank.question("impact_talk").type == "yes_no"
    assert bank.set_of("share_answers").intro, "the set says nothing is shared by default"
    for qid in ("share_answers", "impact_talk"):
        assert not bank.question(qid).raises
        assert bank.question(qid).ask_when is None


@pytest.mark.parametrize(
    "set_id, prefix, count, stage",
    [
        ("supervision", "sup_q", 10, "supervision"),
        ("team_around_child", "tac_q", 5, "team"),
        ("organisation", "org_q", 4, "organisation"),
    ],
)
def test_supervision_sets_are_complete_and_not_in_the_debrief(bank, set_id, prefix, count, stage):
    question_set = bank.sets[set_id]
    assert question_set.in_debrief is False
    assert question_set.stage == stage
    assert list(question_set.question_ids) == [f"{prefix}{n}" for n in range(1, count + 1)]
    assert not set(question_set.question_ids) & set(bank.debrief_question_ids())


def test_every_raises_code_is_a_taxonomy_code(bank):
    codes = taxonomy_codes()
    used = {(q.id, r.code) for q in bank.questions.values() for r in q.raises}
    assert used, "the bank raises no concerns at all"
    assert {pair for pair in used if pair[1] not in codes} == set()


def test_schema_codes_match_the_taxonomy_contract():
    # The contract may never lose a code; the schema must know every one of them.
    assert taxonomy_codes() <= TAXONOMY_CODES


def test_every_question_explains_why(bank):
    for question in bank.questions.values():
        assert question.why.strip(), question.id
        assert len(question.why.split()) >= 10, f"{question.id}: 'why' is too thin"
        assert question.text.strip(), question.id


def test_condition_and_raise_values_are_answers_the_question_can_have(bank):
    """A typo in an ask_when or raises value would silently never match."""

    def leaves(condition):
        if condition is None:
            return
        if condition.question:
            yield condition
        for child in condition.any_of + condition.all_of:
            yield from leaves(child)

    problems = []
    conditions = [s.ask_when for s in bank.sets.values()]
    conditions += [q.ask_when for q in bank.questions.values()]
    for condition in conditions:
        for leaf in leaves(condition):
            allowed = bank.question(leaf.question).allowed_values()
            if allowed is not None:
                problems += [(leaf.question, v) for v in leaf.values if v not in allowed]
    for question in bank.questions.values():
        allowed = question.allowed_values()
        for rule in question.raises:
            assert rule.when, f"{question.id} raises {rule.code} on nothing"
            if allowed is not None:
                problems += [(question.id, v) for v in rule.when if v not in allowed]
        if allowed is not None:
            problems += [(question.id, v) for v in question.ends_debrief_when if v not in allowed]
    assert problems == []


def test_urgent_concerns_have_evidence(bank):
    for question in bank.questions.values():
        for rule in question.raises:
            if rule.urgent:
                assert rule.evidence.strip(), f"{question.id}: urgent {rule.code} needs evidence"


# ---------------------------------------------------------------------------
# Malformed banks


def _one_set(*questions: dict, **set_fields) -> dict[str, object]:
    return {"10_demo.yml": set_doc("demo", list(questions), **set_fields)}


MALFORMED = [
    pytest.param(
        _one_set(question_doc("first_q", text=None)),
        "10_demo.yml",
        "first_q",
        "missing 'text'",
        id="missing-text",
    ),
    pytest.param(
        _one_set(question_doc("first_q", text="   ")),
        "10_demo.yml",
        "first_q",
        "'text' must be a non-empty",
        id="blank-text",
    ),
    pytest.param(
        _one_set(question_doc("first_q", why=None)),
        "10_demo.yml",
        "first_q",
        "missing 'why'",
        id="missing-why",
    ),
    pytest.param(
        _one_set(question_doc("first_q", type="essay")),
        "10_demo.yml",
        "first_q",
        "type 'essay' is not one of",
        id="unknown-type",
    ),
    pytest.param(
        _one_set(question_doc("Child-Seen")),
        "10_demo.yml",
        "Child-Seen",
        "snake_case",
        id="bad-id",
    ),
    pytest.param(
        _one_set(question_doc("first_q", raises=[{"code": "made_up_code", "when": ["yes"]}])),
        "10_demo.yml",
        "first_q",
        "unknown concern code 'made_up_code'",
        id="unknown-concern-code",
    ),
    pytest.param(
        {
            "10_first.yml": set_doc("first", [question_doc("same_q")], order=10),
            "20_second.yml": set_doc("second", [question_doc("same_q")], order=20),
        },
        "20_second.yml",
        "same_q",
        "used twice",
        id="duplicate-id-across-files",
    ),
    pytest.param(
        _one_set(
            question_doc("first_q"),
            question_doc("second_q", ask_when={"question": "nowhere_q", "in": ["yes"]}),
        ),
        "10_demo.yml",
        "second_q",
        "unknown question 'nowhere_q'",
        id="condition-unknown-question",
    ),
    pytest.param(
        _one_set(
            question_doc("first_q", ask_when={"question": "second_q", "in": ["yes"]}),
            question_doc("second_q"),
        ),
        "10_demo.yml",
        "first_q",
        "'second_q', which is not asked before",
        id="condition-later-question",
    ),
    pytest.param(
        _one_set(question_doc("first_q", ask_when={"question": "first_q", "in": ["yes"]})),
        "10_demo.yml",
        "first_q",
        "'first_q', which is not asked before",
        id="condition-on-itself",
    ),
    pytest.param(
        {
            "10_first.yml": set_doc(
                "first",
                [question_doc("first_q", ask_when={"question": "later_q", "in": ["yes"]})],
                order=10,
            ),
            "20_second.yml": set_doc("second", [question_doc("later_q")], order=20),
        },
        "10_first.yml",
        "first_q",
        "'later_q', which is not asked before",
        id="condition-later-set",
    ),
    pytest.param(
        {
            "10_first.yml": set_doc("first", [question_doc("first_q")], order=10),
            "20_second.yml": set_doc(
                "second",
                [question_doc("later_q")],
                order=20,
                ask_when={"any": [{"question": "later_q", "in": ["yes"]}]},
            ),
        },
        "20_second.yml",
        None,
        "'later_q', which is not asked before",
        id="set-condition-on-its-own-question",
    ),
    pytest.param(
        {"10_demo.yml": "set: {id: demo, title: Demo\nquestions: [\n"},
        "10_demo.yml",
        None,
        "not valid YAML",
        id="invalid-yaml",
    ),
    pytest.param(
        _one_set(question_doc("first_q", type="choice")),
        "10_demo.yml",
        "first_q",
        "non-empty 'choices' list",
        id="choice-without-choices",
    ),
    pytest.param(
        _one_set(question_doc("first_q", type="multi_choice", choices=[])),
        "10_demo.yml",
        "first_q",
        "non-empty 'choices' list",
        id="multi-choice-empty-choices",
    ),
    pytest.param(
        _one_set(question_doc("first_q", colour="blue")),
        "10_demo.yml",
        "first_q",
        "unknown key(s) ['colour']",
        id="unknown-question-key",
    ),
    pytest.param(
        _one_set(question_doc("first_q"), stage="lunch"),
        "10_demo.yml",
        None,
        "stage 'lunch' is not one of",
        id="unknown-stage",
    ),
    pytest.param(
        _one_set(question_doc("first_q", type="scale", scale={"min": 5, "max": 1})),
        "10_demo.yml",
        "first_q",
        "integer min < max",
        id="scale-backwards",
    ),
    pytest.param(
        _one_set(question_doc("first_q", date_direction="past")),
        "10_demo.yml",
        "first_q",
        "only for date questions",
        id="date-direction-on-yes-no",
    ),
    pytest.param(
        _one_set(question_doc("first_q", raises=[{"code": "avoidance"}])),
        "10_demo.yml",
        "first_q",
        "needs a non-empty 'when' list",
        id="raises-without-when",
    ),
]


@pytest.mark.parametrize("files, bad_file, question_id, problem", MALFORMED)
def test_malformed_bank_names_file_question_and_problem(
    write_bank, files, bad_file, question_id, problem
):
    folder = write_bank(files)
    with pytest.raises(BankError) as caught:
        load_bank(folder)
    error = caught.value
    message = str(error)
    expected_path = str(folder / bad_file)
    assert error.path == expected_path
    assert message.startswith(expected_path)
    assert error.question_id == question_id
    if question_id is not None:
        assert f"question '{question_id}'" in message
    else:
        assert "question '" not in message
    assert problem in error.problem
    assert problem in message


def test_condition_on_a_question_that_is_never_asked_in_the_debrief(write_bank):
    """A debrief question conditioned on a supervision question would never be asked."""
    folder = write_bank(
        {
            "10_debrief.yml": set_doc(
                "debrief",
                [question_doc("first_q", ask_when={"question": "sup_only_q", "in": ["yes"]})],
                order=10,
            ),
            "90_supervision.yml": set_doc(
                "supervision",
                [question_doc("sup_only_q")],
                order=90,
                in_debrief=False,
                stage="supervision",
            ),
        }
    )
    with pytest.raises(BankError) as caught:
        load_bank(folder)
    assert caught.value.question_id == "first_q"
    assert "sup_only_q" in caught.value.problem


def test_a_minimal_valid_bank_loads(write_bank):
    folder = write_bank(
        _one_set(
            question_doc("first_q"),
            question_doc(
                "second_q",
                type="choice",
                choices=[{"id": "a_one", "label": "A one"}, {"id": "b_two", "label": "B two"}],
                ask_when={"question": "first_q", "in": ["yes"]},
                raises=[{"code": "avoidance", "when": ["b_two"]}],
            ),
        )
    )
    bank = load_bank(folder)
    assert bank.debrief_question_ids() == ["first_q", "second_q"]
    assert bank.question("second_q").allowed_values() == {
        "a_one",
        "b_two",
        "not_sure",
        "skipped",
        "own_words",
    }


def test_an_empty_folder_is_a_bank_error(tmp_path: Path):
    with pytest.raises(BankError, match="no question set files"):
        load_bank(tmp_path)
