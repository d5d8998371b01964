"""Concerns raised from structured answers, by the ``raises`` rules in the question bank.

Free-text detection and patterns across visits plug in beside this module; all of them
produce ``RaisedConcern`` so that storing and showing concerns is the same for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from actions.bank.flow import debrief_path
from actions.bank.schema import Question, QuestionBank

YES_NO_WORDS = {"yes": "Yes", "no": "No", "not_sure": "Not sure", "own_words": "In own words"}


@dataclass(frozen=True)
class RaisedConcern:
    code: str
    source: str  # structured | free_text | pattern
    rule_id: str
    evidence: str
    urgent: bool = False
    evidence_start: int | None = None
    evidence_end: int | None = None


def describe_answer(question: Question, value: str) -> str:
    """The answer as a person would say it (choice labels, Yes/No)."""
    if question.type in ("choice", "multi_choice"):
        labels = {c.id: c.label for c in question.choices}
        return ", ".join(labels.get(part, part) for part in value.split(","))
    return YES_NO_WORDS.get(value, value)


def concerns_for_answer(question: Question, value: str | None) -> list[RaisedConcern]:
    if value is None:
        return []
    raised = []
    for rule in question.raises:
        if value in rule.when:
            evidence = rule.evidence or f"{question.text} {describe_answer(question, value)}"
            raised.append(
                RaisedConcern(
                    code=rule.code,
                    source="structured",
                    rule_id=f"answer:{question.id}:{rule.code}",
                    evidence=evidence,
                    urgent=rule.urgent,
                )
            )
    return raised


def concerns_from_answers(
    bank: QuestionBank, answers: Mapping[str, str | None]
) -> list[RaisedConcern]:
    """Every concern the answers on this debrief's path raise, in question order."""
    raised = []
    for question_id in debrief_path(bank, answers):
        raised += concerns_for_answer(bank.questions[question_id], answers.get(question_id))
    return raised
