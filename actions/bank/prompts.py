"""The bot's own words inside a question (answer problems, urgent flags), from
``prompts.yml``. Checked on load so that a missing message fails at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PROMPTS_FILE = Path(__file__).with_name("prompts.yml")
ANSWER_PROBLEMS = (
    "yes_no",
    "choice",
    "choice_one",
    "scale",
    "date",
    "date_future",
    "date_past",
    "case_reference",
    "case_reference_name",
    "empty",
    "too_long",
)
TEXTS = (
    "records_unavailable",
    "safety_first",
    "urgent_concern",
    "urgent_pattern",
    "reckoner_line",
    "no_concerns",
    "multi_choice_hint",
    "scale_hint",
    "review_item",
    "review_decision_unclear",
    "review_note_add_context",
    "review_note_not_applicable",
    "review_share_note",
    "review_note_shared",
    "review_note_private",
)


class PromptsError(ValueError):
    """prompts.yml is malformed; the message names the file and the missing entry."""


@dataclass(frozen=True)
class Prompts:
    answer_problems: dict[str, str]
    texts: dict[str, str]
    yes_no_buttons: list[dict]
    review_decisions: list[dict]
    review_share_buttons: list[dict]

    def problem(self, reason: str) -> str:
        return self.answer_problems[reason]


def load_prompts(path: Path = PROMPTS_FILE) -> Prompts:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PromptsError(f"{path}: cannot be read: {error}") from error
    problems = document.get("answer_problems") or {}
    missing = [r for r in ANSWER_PROBLEMS if not problems.get(r)]
    missing += [t for t in TEXTS if not document.get(t)]
    buttons = document.get("yes_no_buttons")
    if not _are_buttons(buttons):
        missing.append("yes_no_buttons")
    share_buttons = document.get("review_share_buttons")
    if not _are_buttons(share_buttons):
        missing.append("review_share_buttons")
    decisions = document.get("review_decisions")
    if not isinstance(decisions, list) or not all(
        {"id", "title", "synonyms"} <= set(d) for d in decisions
    ):
        missing.append("review_decisions")
    if missing:
        raise PromptsError(f"{path}: missing or empty: {missing}")
    clean = {key: " ".join(str(value).split()) for key, value in problems.items()}
    texts = {key: " ".join(str(document[key]).split()) for key in TEXTS}
    return Prompts(
        answer_problems=clean,
        texts=texts,
        yes_no_buttons=buttons,
        review_decisions=decisions,
        review_share_buttons=share_buttons,
    )


def _are_buttons(buttons: object) -> bool:
    return isinstance(buttons, list) and all(
        isinstance(b, dict) and "title" in b and "payload" in b for b in buttons
    )


@lru_cache(maxsize=1)
def cached_prompts() -> Prompts:
    return load_prompts()
