"""What a worker shares with their supervisor (store functions: take a session).

Shared: concerns taken to supervision (``Concern.shared_at``, set by
``repository.set_concern_status``), a concern's note when the worker shares it
(``note_shared_at``), the answers to a few questions the worker chooses to share
(``Answer.shared_at``) and a request to talk about the impact of the work on them
(``Debrief.impact_requested_at``). Everything else stays the worker's own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.store.models import Answer, Concern, Debrief, utc_now
from actions.store.repository import (
    ConcernNotFound,
    InvalidValue,
    get_debrief,
    set_concern_status,
)

# The answers a worker may share: what to take to supervision, and the impact questions.
SHAREABLE_QUESTIONS = (
    "for_supervision",
    "impact_of_resistance_on_child",
    "feelings_now",
    "manager_aware_of_impact",
)
OPEN_SHARED_STATUSES = ("for_supervision", "discussed")


def share_answer(s: Session, debrief_id: str, question_id: str, shared: bool = True) -> Answer:
    if question_id not in SHAREABLE_QUESTIONS:
        raise InvalidValue(f"the answer to {question_id!r} cannot be shared")
    get_debrief(s, debrief_id)
    query = select(Answer).where(Answer.debrief_id == debrief_id, Answer.question_id == question_id)
    answer = s.execute(query).scalars().one_or_none()
    if answer is None:
        raise InvalidValue(f"debrief {debrief_id} has no answer to {question_id!r}")
    if shared != (answer.shared_at is not None):
        answer.shared_at = utc_now() if shared else None
        s.flush()
    return answer


def get_concern(s: Session, concern_id: str) -> Concern:
    concern = s.get(Concern, concern_id)
    if concern is None:
        raise ConcernNotFound(f"no concern with id {concern_id!r}")
    return concern


def share_concern_note(s: Session, concern: Concern, shared: bool = True) -> Concern:
    """Share (or withdraw) the worker's note on a concern; the concern must be shared."""
    if shared and not concern.worker_note:
        raise InvalidValue(f"concern {concern.id} has no note to share")
    if shared and concern.shared_at is None:
        raise InvalidValue(f"concern {concern.id} is not shared; take it to supervision first")
    if shared != (concern.note_shared_at is not None):
        concern.note_shared_at = utc_now() if shared else None
        s.flush()
    return concern


def take_to_supervision_with_note(s: Session, concern: Concern) -> Concern:
    """Share a concern's note, taking the concern to supervision first if it is not
    shared yet (the note means nothing without its concern)."""
    if concern.shared_at is None:
        set_concern_status(s, concern.id, "for_supervision")
    return share_concern_note(s, concern)


def request_impact_talk(s: Session, debrief_id: str, asked: bool = True) -> Debrief:
    debrief = get_debrief(s, debrief_id)
    if asked != (debrief.impact_requested_at is not None):
        debrief.impact_requested_at = utc_now() if asked else None
        s.flush()
    return debrief


def open_shared_concerns(s: Session, worker_id: str) -> list[Concern]:
    """The worker's shared concerns that supervision has not closed, oldest first."""
    query = (
        select(Concern)
        .join(Debrief, Debrief.id == Concern.debrief_id)
        .where(
            Debrief.person_id == worker_id,
            Concern.shared_at.is_not(None),
            Concern.status.in_(OPEN_SHARED_STATUSES),
        )
        .order_by(Concern.created_at, Concern.code, Concern.id)
    )
    return list(s.execute(query).scalars())


def shared_answers(s: Session, worker_id: str, since: datetime | None = None) -> list[Answer]:
    """The worker's shared answers (shared after ``since``), oldest first."""
    query = (
        select(Answer)
        .join(Debrief, Debrief.id == Answer.debrief_id)
        .where(
            Debrief.person_id == worker_id,
            Answer.shared_at.is_not(None),
            Answer.question_id.in_(SHAREABLE_QUESTIONS),
        )
        .order_by(Answer.shared_at, Answer.id)
    )
    if since is not None:
        query = query.where(Answer.shared_at > since)
    return list(s.execute(query).scalars())


def impact_requests(s: Session, worker_id: str, since: datetime | None = None) -> list[Debrief]:
    query = select(Debrief).where(
        Debrief.person_id == worker_id, Debrief.impact_requested_at.is_not(None)
    )
    if since is not None:
        query = query.where(Debrief.impact_requested_at > since)
    return list(s.execute(query.order_by(Debrief.impact_requested_at)).scalars())
