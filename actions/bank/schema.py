"""Load and check the question bank.

The bank is data: one YAML file per question set under ``actions/bank/questions``. It is
checked on load so that a malformed file fails at once with a message that names the
file, the question and the problem, rather than a confusing error mid-conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.settings import get_settings

ANSWER_TYPES = {
    "yes_no",
    "free_text",
    "choice",
    "multi_choice",
    "scale",
    "date",
    "case_reference",
}
STAGES = {
    "safety",
    "what_happened",
    "feelings",
    "child",
    "deeper",
    "next_steps",
    "supervision",
    "team",
    "organisation",
}
# The taxonomy's contract (../shared/concerns/TAXONOMY.md): these codes may never be
# renamed or dropped; the catalogue may add more.
TAXONOMY_CODES = frozenset(
    {
        "unseen_child",
        "child_voice_missing",
        "avoidance",
        "hostility",
        "disguised_compliance",
        "collusion",
        "adult_focus",
        "worker_fear",
        "worker_relief",
        "drift",
        "hidden_men",
        "professional_split",
        "complaints_pressure",
        "online_targeting",
        "closure_risk",
        "adult_at_risk",
        "worker_wellbeing",
    }
)
YES_NO_VALUES = ("yes", "no", "not_sure", "own_words")
ANY_QUESTION_VALUES = ("not_sure", "skipped", "own_words")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


class BankError(ValueError):
    """The question bank is malformed. The message names file, question and problem."""

    def __init__(self, path: Path | str, question_id: str | None, problem: str):
        where = f"{path}"
        if question_id:
            where += f", question '{question_id}'"
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.question_id = question_id
        self.problem = problem


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class RaiseRule:
    code: str
    when: tuple[str, ...]
    urgent: bool = False
    evidence: str = ""


@dataclass(frozen=True)
class Condition:
    """``ask_when``: a leaf (question in values) or an any/all of conditions."""

    question: str | None = None
    values: tuple[str, ...] = ()
    any_of: tuple[Condition, ...] = ()
    all_of: tuple[Condition, ...] = ()

    def questions(self) -> Iterable[str]:
        if self.question:
            yield self.question
        for child in self.any_of + self.all_of:
            yield from child.questions()


@dataclass(frozen=True)
class Question:
    id: str
    set_id: str
    text: str
    why: str
    type: str
    choices: tuple[Choice, ...] = ()
    scale: tuple[int, int] | None = None
    scale_labels: tuple[str, str] = ("", "")
    required: bool = False
    ask_when: Condition | None = None
    raises: tuple[RaiseRule, ...] = ()
    source: str = ""
    # The debrief ends here when the answer is one of these (e.g. a worker who was
    # threatened and would rather not carry on now).
    ends_debrief_when: tuple[str, ...] = ()
    # Dates: "past" rejects future dates (a visit), "future" rejects past ones (a deadline).
    date_direction: str = "any"
    # Short label; questions that have one are listed in the end-of-debrief summary.
    summary_label: str = ""

    def allowed_values(self) -> set[str] | None:
        """Values a structured answer may take, or None when any text is allowed."""
        if self.type == "yes_no":
            return set(YES_NO_VALUES) | set(ANY_QUESTION_VALUES)
        if self.type in ("choice", "multi_choice"):
            return {c.id for c in self.choices} | set(ANY_QUESTION_VALUES)
        if self.type == "scale" and self.scale:
            low, high = self.scale
            return {str(n) for n in range(low, high + 1)} | set(ANY_QUESTION_VALUES)
        return None


@dataclass(frozen=True)
class QuestionSet:
    id: str
    title: str
    stage: str
    order: int
    in_debrief: bool
    source: str
    intro: str
    ask_when: Condition | None
    question_ids: tuple[str, ...]
    path: str


@dataclass
class QuestionBank:
    sets: dict[str, QuestionSet] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)

    def question(self, question_id: str) -> Question:
        return self.questions[question_id]

    def debrief_sets(self) -> list[QuestionSet]:
        return sorted((s for s in self.sets.values() if s.in_debrief), key=lambda s: s.order)

    def debrief_question_ids(self) -> list[str]:
        """Every debrief question in the order it would be asked."""
        return [qid for s in self.debrief_sets() for qid in s.question_ids]

    def set_of(self, question_id: str) -> QuestionSet:
        return self.sets[self.questions[question_id].set_id]


# ---------------------------------------------------------------------------
# Parsing helpers: each raises BankError with the file and question named.


def _require(mapping: dict, key: str, kind: type, path: Path, qid: str | None) -> Any:
    if key not in mapping:
        raise BankError(path, qid, f"missing '{key}'")
    value = mapping[key]
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise BankError(path, qid, f"'{key}' must be a non-empty {kind.__name__}")
    return value


def _check_keys(mapping: dict, allowed: set[str], path: Path, qid: str | None) -> None:
    unknown = set(mapping) - allowed
    if unknown:
        raise BankError(path, qid, f"unknown key(s) {sorted(unknown)}")


def _parse_condition(raw: Any, path: Path, qid: str | None) -> Condition:
    if not isinstance(raw, dict) or len(raw) == 0:
        raise BankError(path, qid, "ask_when must be a mapping")
    if "any" in raw or "all" in raw:
        _check_keys(raw, {"any", "all"}, path, qid)
        if len(raw) != 1:
            raise BankError(path, qid, "ask_when takes either 'any' or 'all', not both")
        key = "any" if "any" in raw else "all"
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise BankError(path, qid, f"ask_when '{key}' must be a non-empty list")
        children = tuple(_parse_condition(item, path, qid) for item in items)
        return Condition(any_of=children) if key == "any" else Condition(all_of=children)
    _check_keys(raw, {"question", "in"}, path, qid)
    question = _require(raw, "question", str, path, qid)
    values = raw.get("in")
    if not isinstance(values, list) or not values:
        raise BankError(path, qid, "ask_when leaf needs a non-empty 'in' list")
    return Condition(question=question, values=tuple(str(v) for v in values))


def _parse_choices(raw: Any, path: Path, qid: str) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        raise BankError(path, qid, "choice questions need a non-empty 'choices' list")
    choices = []
    for item in raw:
        if not isinstance(item, dict):
            raise BankError(path, qid, "each choice must be a mapping with id and label")
        _check_keys(item, {"id", "label", "synonyms"}, path, qid)
        cid = _require(item, "id", str, path, qid)
        if not IDENTIFIER.match(cid):
            raise BankError(path, qid, f"choice id '{cid}' must be snake_case")
        synonyms = item.get("synonyms") or []
        if not isinstance(synonyms, list):
            raise BankError(path, qid, f"choice '{cid}' synonyms must be a list")
        label = _require(item, "label", str, path, qid)
        choices.append(Choice(cid, label, tuple(str(s).lower() for s in synonyms)))
    ids = [c.id for c in choices]
    if len(ids) != len(set(ids)):
        raise BankError(path, qid, "choice ids must be unique")
    return tuple(choices)


def _parse_raises(raw: Any, path: Path, qid: str, codes: frozenset[str]) -> tuple:
    if not isinstance(raw, list):
        raise BankError(path, qid, "'raises' must be a list")
    rules = []
    for item in raw:
        if not isinstance(item, dict):
            raise BankError(path, qid, "each 'raises' entry must be a mapping")
        _check_keys(item, {"code", "when", "urgent", "evidence"}, path, qid)
        code = _require(item, "code", str, path, qid)
        if code not in codes:
            raise BankError(path, qid, f"unknown concern code '{code}'")
        when = item.get("when")
        if not isinstance(when, list) or not when:
            raise BankError(path, qid, f"raises '{code}' needs a non-empty 'when' list")
        rules.append(
            RaiseRule(
                code=code,
                when=tuple(str(v) for v in when),
                urgent=bool(item.get("urgent", False)),
                evidence=str(item.get("evidence", "")),
            )
        )
    return tuple(rules)


QUESTION_KEYS = {
    "id",
    "text",
    "why",
    "type",
    "choices",
    "scale",
    "required",
    "ask_when",
    "raises",
    "source",
    "ends_debrief_when",
    "date_direction",
    "summary_label",
}
SET_KEYS = {"id", "title", "stage", "order", "in_debrief", "source", "intro", "ask_when"}


def _parse_scale(raw: Any, path: Path, qid: str) -> tuple[tuple[int, int], tuple[str, str]]:
    if not isinstance(raw, dict):
        raise BankError(path, qid, "scale questions need 'scale: {min, max, low, high}'")
    low, high = raw.get("min"), raw.get("max")
    if not isinstance(low, int) or not isinstance(high, int) or low >= high:
        raise BankError(path, qid, "scale needs integer min < max")
    return (low, high), (str(raw.get("low", "")), str(raw.get("high", "")))


def _parse_question(raw: Any, set_id: str, path: Path, codes: frozenset[str]) -> Question:
    if not isinstance(raw, dict):
        raise BankError(path, None, "each question must be a mapping")
    qid = raw.get("id") if isinstance(raw.get("id"), str) else None
    qid = _require(raw, "id", str, path, qid)
    if not IDENTIFIER.match(qid):
        raise BankError(path, qid, "id must be snake_case (it becomes a slot name)")
    _check_keys(raw, QUESTION_KEYS, path, qid)
    qtype = _require(raw, "type", str, path, qid)
    if qtype not in ANSWER_TYPES:
        raise BankError(path, qid, f"type '{qtype}' is not one of {sorted(ANSWER_TYPES)}")
    choices: tuple[Choice, ...] = ()
    if qtype in ("choice", "multi_choice"):
        choices = _parse_choices(raw.get("choices"), path, qid)
    elif "choices" in raw:
        raise BankError(path, qid, f"'choices' given for a {qtype} question")
    scale, scale_labels = None, ("", "")
    if qtype == "scale":
        scale, scale_labels = _parse_scale(raw.get("scale"), path, qid)
    ask_when = _parse_condition(raw["ask_when"], path, qid) if "ask_when" in raw else None
    return Question(
        id=qid,
        set_id=set_id,
        text=_require(raw, "text", str, path, qid).strip(),
        why=" ".join(_require(raw, "why", str, path, qid).split()),
        type=qtype,
        choices=choices,
        scale=scale,
        scale_labels=scale_labels,
        required=bool(raw.get("required", False)),
        ask_when=ask_when,
        raises=_parse_raises(raw.get("raises", []), path, qid, codes),
        source=str(raw.get("source", "")),
        ends_debrief_when=tuple(str(v) for v in raw.get("ends_debrief_when", [])),
        date_direction=_parse_date_direction(raw, qtype, path, qid),
        summary_label=str(raw.get("summary_label", "")),
    )


def _parse_date_direction(raw: dict, qtype: str, path: Path, qid: str) -> str:
    direction = raw.get("date_direction", "any")
    if direction not in ("past", "future", "any"):
        raise BankError(path, qid, "date_direction must be past, future or any")
    if direction != "any" and qtype != "date":
        raise BankError(path, qid, "date_direction is only for date questions")
    return direction


def _parse_set(raw: Any, path: Path) -> dict:
    if not isinstance(raw, dict):
        raise BankError(path, None, "the file must start with a 'set:' mapping")
    _check_keys(raw, SET_KEYS, path, None)
    stage = _require(raw, "stage", str, path, None)
    if stage not in STAGES:
        raise BankError(path, None, f"stage '{stage}' is not one of {sorted(STAGES)}")
    order = raw.get("order")
    if not isinstance(order, int):
        raise BankError(path, None, "set 'order' must be an integer")
    return raw


def load_file(path: Path, codes: frozenset[str] = TAXONOMY_CODES):
    """Parse one set file into (QuestionSet, [Question])."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise BankError(path, None, f"not valid YAML: {error}") from error
    if not isinstance(document, dict):
        raise BankError(path, None, "expected a mapping with 'set' and 'questions'")
    _check_keys(document, {"set", "questions"}, path, None)
    raw_set = _parse_set(document.get("set"), path)
    set_id = _require(raw_set, "id", str, path, None)
    raw_questions = document.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise BankError(path, None, "'questions' must be a non-empty list")
    questions = [_parse_question(q, set_id, path, codes) for q in raw_questions]
    question_set = QuestionSet(
        id=set_id,
        title=_require(raw_set, "title", str, path, None),
        stage=raw_set["stage"],
        order=raw_set["order"],
        in_debrief=bool(raw_set.get("in_debrief", True)),
        source=str(raw_set.get("source", "")),
        intro=" ".join(str(raw_set.get("intro", "")).split()),
        ask_when=_parse_condition(raw_set["ask_when"], path, None)
        if "ask_when" in raw_set
        else None,
        question_ids=tuple(q.id for q in questions),
        path=str(path),
    )
    return question_set, questions


def _check_references(bank: QuestionBank) -> None:
    """Conditions may only name questions that exist and come earlier in the debrief."""
    order = {qid: i for i, qid in enumerate(bank.debrief_question_ids())}
    for question_set in bank.sets.values():
        conditions = [(None, question_set.ask_when)]
        conditions += [(q, bank.questions[q].ask_when) for q in question_set.question_ids]
        for qid, condition in conditions:
            if condition is None:
                continue
            for named in condition.questions():
                if named not in bank.questions:
                    raise BankError(
                        question_set.path, qid, f"ask_when names unknown question '{named}'"
                    )
                first = qid or question_set.question_ids[0]
                if question_set.in_debrief and order.get(named, len(order)) >= order.get(first, 0):
                    raise BankError(
                        question_set.path,
                        qid,
                        f"ask_when names '{named}', which is not asked before this question",
                    )


def load_bank(directory: Path | None = None, codes: frozenset[str] = TAXONOMY_CODES):
    """Load every ``*.yml`` in the bank directory, checked. Raises BankError."""
    directory = Path(directory or get_settings().question_bank_dir)
    paths = sorted(directory.glob("*.yml"))
    if not paths:
        raise BankError(directory, None, "no question set files (*.yml) found")
    bank = QuestionBank()
    for path in paths:
        question_set, questions = load_file(path, codes)
        if question_set.id in bank.sets:
            raise BankError(path, None, f"set id '{question_set.id}' is used twice")
        bank.sets[question_set.id] = question_set
        for question in questions:
            if question.id in bank.questions:
                raise BankError(path, question.id, "question id is used twice in the bank")
            bank.questions[question.id] = question
    _check_references(bank)
    return bank


@lru_cache(maxsize=4)
def cached_bank(directory: str | None = None) -> QuestionBank:
    """The bank, loaded once per process (the action server asks for it every turn)."""
    return load_bank(Path(directory) if directory else None)
