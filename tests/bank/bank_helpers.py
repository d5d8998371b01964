"""Helpers shared by the question-bank tests (imported by name; kept out of conftest so
that the module name is unique across the test folders)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from actions.bank.flow import debrief_path, next_question
from actions.bank.schema import Question, QuestionBank
from actions.settings import PROJECT_ROOT

BANK_DIR = PROJECT_ROOT / "actions" / "bank" / "questions"
# A Friday, so "last Tuesday" is 2026-11-17 and "yesterday" is 2026-11-19.
TODAY = dt.date(2026, 11, 20)


def question_doc(qid: str, **fields) -> dict:
    """A valid yes/no question; ``fields`` override or add keys (None removes a key)."""
    doc = {"id": qid, "text": f"Question {qid}?", "why": "Because it matters.", "type": "yes_no"}
    doc.update(fields)
    return {k: v for k, v in doc.items() if v is not None}


def set_doc(set_id: str, questions: list[dict], **fields) -> dict:
    """A valid debrief set around ``questions``; ``fields`` override set keys."""
    header = {
        "id": set_id,
        "title": f"Set {set_id}",
        "stage": "what_happened",
        "order": 10,
        "in_debrief": True,
    }
    header.update(fields)
    return {"set": {k: v for k, v in header.items() if v is not None}, "questions": questions}


Policy = Callable[[Question, dict], str]


def walk(bank: QuestionBank, policy: Policy, preset: dict | None = None):
    """Answer each next question with ``policy`` until the debrief has nothing left to ask.

    Returns (answers, path). Guards against a flow that never finishes.
    """
    answers: dict[str, str] = dict(preset or {})
    for _ in range(len(bank.questions) + 1):
        qid = next_question(bank, answers)
        if qid is None:
            return answers, debrief_path(bank, answers)
        answers[qid] = policy(bank.question(qid), answers)
    raise AssertionError("the debrief never ran out of questions")


def plain_answer(question: Question, yes_no: str = "yes") -> str:
    """A valid stored value for ``question`` that opens nothing by itself."""
    if question.type == "yes_no":
        return yes_no
    if question.type == "multi_choice":
        return "none" if "none" in {c.id for c in question.choices} else question.choices[0].id
    if question.type == "choice":
        return question.choices[0].id
    if question.type == "date":
        return "2026-12-01" if question.date_direction == "future" else "2026-11-14"
    if question.type == "scale":
        return str(question.scale[0]) if question.scale else "1"
    if question.type == "case_reference":
        return "CP-2231"
    return "Some words about it."


TAXONOMY_FILE = PROJECT_ROOT.parent / "shared" / "concerns" / "TAXONOMY.md"


def taxonomy_codes() -> frozenset[str]:
    """The concern codes of the contract: the first column of TAXONOMY.md's table when the
    file is there (it lives outside this repository), else the schema's own list."""
    import re

    from actions.bank.schema import TAXONOMY_CODES

    if not TAXONOMY_FILE.exists():
        return TAXONOMY_CODES
    text = TAXONOMY_FILE.read_text(encoding="utf-8")
    codes = frozenset(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", text, flags=re.M))
    assert codes, f"no codes found in the table of {TAXONOMY_FILE}"
    return codes
