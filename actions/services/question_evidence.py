"""Which shared evidence bears on each supervision question, read from
``actions/concerns/supervision_evidence.yml`` and checked against the bank, the taxonomy
and the shareable answers on load (``EvidenceMapError`` names the file and the key)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from actions.bank.schema import TAXONOMY_CODES, QuestionBank, cached_bank
from actions.settings import PROJECT_ROOT
from actions.store.models import CONCERN_SOURCES
from actions.store.sharing import SHAREABLE_QUESTIONS

DEFAULT_PATH = PROJECT_ROOT / "actions" / "concerns" / "supervision_evidence.yml"
SUPERVISION_SET = "supervision"
TEAM_SET = "team_around_child"
ORGANISATION_SET = "organisation"
QUESTION_SETS = (SUPERVISION_SET, TEAM_SET, ORGANISATION_SET)
FIELDS = {"codes": TAXONOMY_CODES, "sources": frozenset(CONCERN_SOURCES)}


class EvidenceMapError(ValueError):
    def __init__(self, path: Path | str, key: str, problem: str):
        super().__init__(f"{path}: {key}: {problem}")


@dataclass(frozen=True)
class EvidenceRule:
    question_id: str
    codes: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    answers: tuple[str, ...] = ()

    def takes(self, code: str, source: str) -> bool:
        return code in self.codes or source in self.sources


def _items(path: Path, key: str, raw: object, allowed) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise EvidenceMapError(path, key, "must be a list of names")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise EvidenceMapError(path, key, f"unknown: {', '.join(unknown)}")
    return tuple(raw)


def _rule(path: Path, question_id: str, raw: object) -> EvidenceRule:
    if not isinstance(raw, dict):
        raise EvidenceMapError(path, question_id, "must be a mapping")
    extra = sorted(set(raw) - {"codes", "sources", "answers"})
    if extra:
        raise EvidenceMapError(path, question_id, f"unknown keys: {', '.join(extra)}")
    return EvidenceRule(
        question_id=question_id,
        codes=frozenset(_items(path, f"{question_id}.codes", raw.get("codes"), TAXONOMY_CODES)),
        sources=frozenset(
            _items(path, f"{question_id}.sources", raw.get("sources"), CONCERN_SOURCES)
        ),
        answers=_items(path, f"{question_id}.answers", raw.get("answers"), SHAREABLE_QUESTIONS),
    )


def load_evidence_map(
    path: Path | None = None, bank: QuestionBank | None = None
) -> dict[str, EvidenceRule]:
    path = Path(path or DEFAULT_PATH)
    bank = bank or cached_bank()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EvidenceMapError(path, "(file)", f"cannot be read: {error}") from error
    questions = document.get("questions") if isinstance(document, dict) else None
    if not isinstance(questions, dict):
        raise EvidenceMapError(path, "questions", "expected a mapping of question ids")
    known = {qid for set_id in QUESTION_SETS for qid in bank.sets[set_id].question_ids}
    unknown = sorted(set(questions) - known)
    if unknown:
        raise EvidenceMapError(path, "questions", f"not supervision questions: {unknown}")
    return {qid: _rule(path, qid, raw) for qid, raw in questions.items()}


@lru_cache(maxsize=1)
def cached_evidence_map() -> dict[str, EvidenceRule]:
    return load_evidence_map()


def set_question_ids(set_id: str, bank: QuestionBank | None = None) -> tuple[str, ...]:
    if set_id not in QUESTION_SETS:
        raise ValueError(f"not a supervision question set: {set_id!r}")
    return (bank or cached_bank()).sets[set_id].question_ids
