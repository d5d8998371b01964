"""Helpers shared by the supervision actions (supervision_prepare, supervision_form,
supervision_agenda, my_view): who is writing, the words in prompts.yml, and the
walk-through's queue of items.

Who is writing is worked out afresh on every turn from the chat's channel and sender id
(``actions.services.identity.who``); a slot or the text never says who
someone is. Slots only hold the conversation's place, and every service call checks the
acting person against the records again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker

from actions.bank.prompts import PROMPTS_FILE
from actions.debrief_state import RecordsUnavailable, channel_of, run_db
from actions.services.access import AccessDenied, PersonRef
from actions.services.identity import IdentityRefused, who
from actions.store.repository import StoreError

logger = logging.getLogger(__name__)

__all__ = [
    "AccessDenied",
    "IdentityRefused",
    "RecordsUnavailable",
    "StoreError",
    "acting_person",
    "words",
]

# What prompts.yml must say under `supervision:` (checked when first read).
REQUIRED_WORDS = (
    "choose_supervisee",
    "choose_unclear",
    "choose_several",
    "period_since",
    "period_first",
    "nothing_shared",
    "urgent_header",
    "urgent_line",
    "case_line",
    "concern_line",
    "concern_urgent_mark",
    "concern_carried_mark",
    "concern_note_line",
    "reckoner_line",
    "reckoner_quiet_line",
    "reckoner_visit",
    "shared_answer_line",
    "action_line",
    "due_on",
    "no_due",
    "impact_asked",
    "impact_not_asked",
    "case_intro",
    "no_case_intro",
    "question",
    "set_labels",
    "question_case",
    "evidence_header",
    "no_evidence",
    "question_hint",
    "note_empty",
    "concern_item",
    "concern_worker_note",
    "concern_unclear",
    "concern_done",
    "concern_decisions",
    "action_ask",
    "action_ask_general",
    "action_ask_more",
    "action_ask_text",
    "action_ask_owner",
    "action_ask_due",
    "action_owner_unclear",
    "action_due_unclear",
    "action_recorded",
    "action_owner_me",
    "action_taken",
    "records_unavailable",
    "not_allowed",
    "buttons",
    "my_concern_line",
    "my_action_line",
    "my_action_case",
    "my_status",
    "my_concerns_header",
    "my_actions_header",
    "history_header",
    "history_answer",
    "history_status",
    "history_concerns_header",
    "history_concern",
    "history_case_line",
    "outcomes_header",
    "outcomes_note",
    "outcomes_concern",
    "outcomes_action",
    "outcomes_notes_header",
    "outcomes_concerns_header",
    "outcomes_actions_header",
    "outcome_labels",
)


class WordsError(ValueError):
    """prompts.yml lacks a supervision text; the message names the file and the keys."""


def _squash(value: Any) -> Any:
    if isinstance(value, str):
        # Folded YAML paragraphs are said as one line; a leading space (a mark such as
        # " (urgent)") is kept.
        lead = " " if value[:1] == " " else ""
        return lead + " ".join(value.split())
    if isinstance(value, dict):
        return {key: _squash(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_squash(item) for item in value]
    return value


def load_words(path: Path = PROMPTS_FILE) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise WordsError(f"{path}: cannot be read: {error}") from error
    section = document.get("supervision") if isinstance(document, dict) else None
    if not isinstance(section, dict):
        raise WordsError(f"{path}: no 'supervision:' section")
    missing = [key for key in REQUIRED_WORDS if not section.get(key)]
    decisions = section.get("concern_decisions") or []
    if not all(isinstance(d, dict) and {"id", "title"} <= set(d) for d in decisions):
        missing.append("concern_decisions (id, title)")
    if missing:
        raise WordsError(f"{path}: supervision: missing or empty: {missing}")
    return _squash(section)


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    return load_words()


def say(key: str, **values: Any) -> str:
    """A supervision text from prompts.yml with its {placeholders} filled."""
    return words()[key].format(**values)


# --- who is writing -----------------------------------------------------------------------


async def acting_person(tracker: Tracker) -> PersonRef | None:
    """Who is writing, from the tracker's sender id and input channel only."""
    return await run_db(who, channel_of(tracker), tracker.sender_id)


# --- small formatting helpers ---------------------------------------------------------


def day_text(day: dt.date | dt.datetime | None) -> str:
    """``4 Dec 2026``."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.day} {day:%b %Y}"


def due_text(due: dt.date | str | None) -> str:
    if not due:
        return say("no_due")
    if isinstance(due, str):
        due = dt.date.fromisoformat(due)
    return say("due_on", date=day_text(due))


def bullets(lines: list[str], indent: str = "") -> str:
    return "\n".join(f"{indent}- {line}" for line in lines)


def first_name(person: PersonRef) -> str:
    name = person.display_name or person.username or person.name
    return name.split()[0] if name.split() else name


# --- the walk-through's queue -----------------------------------------------------------

QUESTION = "question"
CONCERN = "concern"
ACTION = "action"


@dataclass(frozen=True)
class Place:
    """Where a supervision walk-through is: the slots that carry it between turns."""

    session_id: str | None
    worker_id: str | None
    worker_name: str | None
    queue: list[dict]

    @classmethod
    def of(cls, tracker: Tracker) -> Place:
        return cls(
            session_id=tracker.get_slot("sup_session_id"),
            worker_id=tracker.get_slot("sup_worker_id"),
            worker_name=tracker.get_slot("sup_worker_name"),
            queue=[dict(item) for item in tracker.get_slot("sup_queue") or []],
        )

    @property
    def current(self) -> dict | None:
        return self.queue[0] if self.queue else None

    @property
    def active(self) -> bool:
        return bool(self.session_id and self.worker_id)


def question_item(prompt: Any, case_id: str | None, reference: str | None, total: int) -> dict:
    """A question to ask, with the evidence that bears on it (read when the walk-through
    was prepared, so asking does not read the worker's records again)."""
    return {
        "kind": QUESTION,
        "question_id": prompt.question_id,
        "set_id": prompt.set_id,
        "number": prompt.number,
        "total": total,
        "text": prompt.text,
        "evidence": list(prompt.evidence),
        "case_id": case_id,
        "reference": reference,
    }


def concern_item(group: list[Any]) -> dict:
    """One shared concern code of a case (every concern row with that code)."""
    first = group[0]
    notes = [c.worker_note for c in group if c.worker_note]
    return {
        "kind": CONCERN,
        "concern_ids": [c.id for c in group],
        "code": first.code,
        "title": first.title,
        "plain": first.plain,
        "evidence": list(dict.fromkeys(c.evidence for c in group)),
        "urgent": any(c.urgent for c in group),
        "days": max(c.open_days for c in group),
        "note": "; ".join(dict.fromkeys(notes)) or None,
        "case_id": first.case_id,
        "reference": first.case_reference,
    }


def action_item(case_id: str | None, reference: str | None, single: bool = False) -> dict:
    """Agreed actions for a case (or none): asked until "none"; ``single`` ends after one."""
    return {
        "kind": ACTION,
        "case_id": case_id,
        "reference": reference,
        "single": single,
        "more": False,
    }


def grouped_by_code(concerns: list[Any]) -> list[list[Any]]:
    groups: dict[str, list[Any]] = {}
    for concern in concerns:
        groups.setdefault(concern.code, []).append(concern)
    return sorted(groups.values(), key=lambda g: (not any(c.urgent for c in g), g[0].code))


def today() -> dt.date:
    return dt.date.today()
