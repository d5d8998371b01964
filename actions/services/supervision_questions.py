"""The bank's supervision questions, each with the shared evidence that bears on it
(pure functions over a ``SupervisionSummary``; the mapping is data, see
``question_evidence``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from actions.bank.schema import cached_bank
from actions.services.question_evidence import (
    ORGANISATION_SET,
    SUPERVISION_SET,
    EvidenceRule,
    cached_evidence_map,
    set_question_ids,
)
from actions.services.shared_records import SharedAnswer, SharedConcern

# (case id or None, question id) -> the supervisor's note
Notes = Mapping[tuple[str | None, str], str]


@dataclass(frozen=True)
class QuestionPrompt:
    question_id: str
    set_id: str
    number: int  # the question's number in its set (the portfolio's numbering)
    text: str
    why: str
    evidence: tuple[str, ...] = ()
    note: str | None = None


def concern_evidence(concern: SharedConcern) -> str:
    return f"{concern.title}: {concern.evidence}"


def answer_evidence(answer: SharedAnswer) -> str:
    return f"{answer.question}: \u201c{answer.text}\u201d"


def evidence_for(
    rule: EvidenceRule | None,
    concerns: Iterable[SharedConcern],
    answers: Iterable[SharedAnswer],
) -> tuple[str, ...]:
    if rule is None:
        return ()
    found = [concern_evidence(c) for c in concerns if rule.takes(c.code, c.source)]
    found += [answer_evidence(a) for a in answers if a.question_id in rule.answers]
    return tuple(dict.fromkeys(found))


def prompts(
    set_id: str,
    concerns: Iterable[SharedConcern],
    answers: Iterable[SharedAnswer],
    case_id: str | None = None,
    notes: Notes | None = None,
) -> tuple[QuestionPrompt, ...]:
    """The set's questions, numbered, with evidence (for one case) and any notes."""
    bank, rules = cached_bank(), cached_evidence_map()
    concerns, answers, notes = list(concerns), list(answers), notes or {}
    result = []
    for number, question_id in enumerate(set_question_ids(set_id), start=1):
        question = bank.questions[question_id]
        result.append(
            QuestionPrompt(
                question_id=question_id,
                set_id=set_id,
                number=number,
                text=question.text,
                why=question.why,
                evidence=evidence_for(rules.get(question_id), concerns, answers),
                note=notes.get((case_id, question_id)),
            )
        )
    return tuple(result)


def check_sets(sets: Iterable[str]) -> tuple[str, ...]:
    """The question sets asked for, the supervision set always first."""
    wanted = tuple(dict.fromkeys((SUPERVISION_SET, *sets)))
    for set_id in wanted:
        set_question_ids(set_id)  # ValueError for an unknown set
    return wanted


def case_sets(sets: Iterable[str]) -> tuple[str, ...]:
    """The sets asked per case (the organisation's questions are not about one case)."""
    return tuple(set_id for set_id in check_sets(sets) if set_id != ORGANISATION_SET)
