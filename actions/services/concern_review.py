"""The worker's review of a debrief's concerns: one item per concern code (each code is
reported once, with every piece of evidence that raised it), and their decision on it.

Decisions never delete anything: "doesn't apply" is kept, with the worker's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.concerns.catalogue import ConcernInfo, cached_catalogue
from actions.store import repository, sharing
from actions.store.db import session_scope

# decision -> stored concern status
DECISION_STATUS = {
    "for_supervision": "for_supervision",
    "add_context": "open",
    "not_applicable": "not_applicable",
    "later": "open",
}
DECISIONS_NEEDING_A_NOTE = ("add_context", "not_applicable")
# After adding context the worker is asked whether the note goes to supervision; the
# note stays private unless they say yes.
DECISIONS_OFFERING_TO_SHARE = ("add_context",)


@dataclass(frozen=True)
class ReviewItem:
    code: str
    info: ConcernInfo
    evidence: tuple[str, ...]
    urgent: bool


def review_items(debrief_id: str) -> list[ReviewItem]:
    """The debrief's concerns grouped by code, urgent ones first."""
    catalogue = cached_catalogue()
    with session_scope() as session:
        grouped: dict[str, list] = {}
        for concern in repository.list_concerns(session, debrief_id):
            grouped.setdefault(concern.code, []).append(concern)
        items = [
            ReviewItem(
                code=code,
                info=catalogue[code],
                evidence=tuple(dict.fromkeys(c.evidence for c in concerns)),
                urgent=any(c.urgent for c in concerns),
            )
            for code, concerns in grouped.items()
        ]
    return sorted(items, key=lambda item: not item.urgent)


def record_decision(debrief_id: str, code: str, decision: str, note: str | None) -> None:
    status = DECISION_STATUS[decision]
    with session_scope() as session:
        for concern in repository.list_concerns(session, debrief_id):
            if concern.code == code:
                repository.set_concern_status(session, concern.id, status, worker_note=note)


def share_with_note(debrief_id: str, code: str) -> int:
    """Take the debrief's concerns of ``code`` to supervision with the worker's note on
    them (one transaction). Returns how many concerns were shared."""
    shared = 0
    with session_scope() as session:
        for concern in repository.list_concerns(session, debrief_id):
            if concern.code != code or not concern.worker_note:
                continue
            sharing.take_to_supervision_with_note(session, concern)
            shared += 1
    return shared


def read_decision(text: str, decisions: list[dict]) -> str | None:
    """The decision a reply names: a button's id, or one of its synonyms in the text.
    Longer synonyms are tried first so "doesn't apply" wins over a bare "no"."""
    cleaned = " ".join(str(text).lower().split())
    ids = {d["id"] for d in decisions}
    if cleaned in ids:
        return cleaned
    pairs = [(str(s).lower(), d["id"]) for d in decisions for s in d["synonyms"]]
    for synonym, decision in sorted(pairs, key=lambda pair: -len(pair[0])):
        if re.search(rf"(?<![\w']){re.escape(synonym)}(?![\w'])", cleaned):
            return decision
    return None
