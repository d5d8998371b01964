"""The bot's own words inside a question (prompts.yml) and how a question is put."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

import actions.bank.answers as answers_module
from actions.bank.answers import parse_answer
from actions.bank.asking import question_buttons, question_text
from actions.bank.prompts import (
    ANSWER_PROBLEMS,
    PROMPTS_FILE,
    TEXTS,
    PromptsError,
    load_prompts,
)
from actions.bank.schema import load_bank
from actions.settings import PROJECT_ROOT
from tests.bank.bank_helpers import TODAY, question_doc, set_doc

REASON_CALL = re.compile(r"AnswerNotUnderstood\(\s*[\"']([a-z_]+)[\"']\s*\)")


def raised_reasons() -> set[str]:
    source = Path(answers_module.__file__).read_text(encoding="utf-8")
    return set(REASON_CALL.findall(source))


@pytest.fixture(scope="module")
def prompts():
    return load_prompts()


def test_the_regex_finds_the_reasons_answers_py_raises():
    reasons = raised_reasons()
    # A sanity floor, so that a regex that silently stops matching fails here.
    assert {"empty", "too_long", "yes_no", "date", "date_future", "case_reference_name"} <= reasons
    # Every raise in answers.py is a literal reason the regex can read.
    source = Path(answers_module.__file__).read_text(encoding="utf-8")
    calls = source.count("raise AnswerNotUnderstood(")
    assert calls == len(REASON_CALL.findall(source))


def test_every_reason_has_a_message_in_prompts_yml(prompts):
    document = yaml.safe_load(PROMPTS_FILE.read_text(encoding="utf-8"))
    written = document["answer_problems"]
    missing = sorted(r for r in raised_reasons() if not str(written.get(r) or "").strip())
    assert missing == []
    for reason in raised_reasons():
        assert prompts.problem(reason).strip()


def test_every_reason_is_checked_at_start_up():
    """prompts.py refuses to start without a message for each reason answers.py raises."""
    assert raised_reasons() <= set(ANSWER_PROBLEMS)


def test_prompts_are_single_line_and_texts_present(prompts):
    for reason, message in prompts.answer_problems.items():
        assert "\n" not in message, reason
    assert set(prompts.texts) == set(TEXTS)
    assert all(prompts.texts[t] for t in TEXTS)
    assert "999" in prompts.texts["safety_first"]


def test_too_long_message_states_the_real_limit(prompts):
    assert f"{answers_module.MAX_ANSWER_CHARS:,}" in prompts.problem("too_long")
    assert str(answers_module.MAX_REFERENCE_CHARS) in prompts.problem("case_reference")


def test_a_prompts_file_missing_a_reason_fails_to_load(tmp_path):
    document = yaml.safe_load(PROMPTS_FILE.read_text(encoding="utf-8"))
    del document["answer_problems"]["date_future"]
    document["answer_problems"]["empty"] = "  "
    broken = tmp_path / "prompts.yml"
    broken.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(PromptsError) as caught:
        load_prompts(broken)
    assert str(broken) in str(caught.value)
    assert "date_future" in str(caught.value)
    assert "empty" in str(caught.value)


def test_yes_no_buttons_send_declared_intents(bank, prompts):
    core = yaml.safe_load((PROJECT_ROOT / "domain" / "core.yml").read_text(encoding="utf-8"))
    buttons = question_buttons(bank.question("child_seen"), prompts)
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny", "/unsure"]
    assert {b["payload"].lstrip("/") for b in buttons} <= set(core["intents"])
    # The buttons are copies: changing one does not change the next question's.
    buttons[0]["title"] = "changed"
    assert question_buttons(bank.question("child_seen"), prompts)[0]["title"] == "Yes"


@pytest.mark.parametrize("qid", ["visit_type", "resistance_type"])
def test_choice_buttons_round_trip_to_the_choice(bank, prompts, qid):
    question = bank.question(qid)
    buttons = question_buttons(question, prompts)
    assert [b["title"] for b in buttons] == [c.label for c in question.choices]
    for button, choice in zip(buttons, question.choices, strict=True):
        intent, _, entities = button["payload"].partition("{")
        assert intent == "/inform"
        value = json.loads("{" + entities)["choice"]
        assert value == choice.id
        assert parse_answer(question, value, TODAY).value == choice.id


def test_free_text_and_date_questions_have_no_buttons(bank, prompts):
    for qid in ("what_happened", "visit_date", "case_reference"):
        assert question_buttons(bank.question(qid), prompts) == []


def test_set_intro_opens_only_its_first_question(bank, prompts):
    first = bank.question("visit_date")
    second = bank.question("visit_type")
    intro = bank.sets["visit"].intro
    assert intro
    assert question_text(bank, first, prompts) == f"{intro}\n\n{first.text}"
    assert not question_text(bank, second, prompts).startswith(intro)


def test_multi_choice_text_carries_the_hint(bank, prompts):
    text = question_text(bank, bank.question("resistance_type"), prompts)
    assert text.endswith(prompts.texts["multi_choice_hint"])


def test_scale_question_text_and_buttons(write_bank, prompts):
    folder = write_bank(
        {
            "10_demo.yml": set_doc(
                "demo",
                [
                    question_doc("first_q"),
                    question_doc(
                        "how_hard",
                        type="scale",
                        scale={"min": 1, "max": 5, "low": "not at all", "high": "very"},
                    ),
                ],
            )
        }
    )
    bank = load_bank(folder)
    question = bank.question("how_hard")
    text = question_text(bank, question, prompts)
    assert "(1 = not at all, 5 = very)" in text
    buttons = question_buttons(question, prompts)
    assert [b["title"] for b in buttons] == ["1", "2", "3", "4", "5"]
    for button in buttons:
        value = json.loads("{" + button["payload"].partition("{")[2])["choice"]
        assert parse_answer(question, value, TODAY).value == button["title"]
