"""Supervision sessions: notes per question and case, what happened to each shared
concern, and agreed actions (store functions: take a session, never commit)."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.store.models import (
    ACTION_STATUSES,
    OPEN_ACTION_STATUSES,
    SESSION_CONCERN_OUTCOMES,
    AgreedAction,
    Concern,
    SessionConcern,
    SupervisionNote,
    SupervisionSession,
    utc_now,
)
from actions.store.repository import InvalidValue, NotFound

logger = logging.getLogger(__name__)

# What a session's decision on a concern makes the concern's status.
OUTCOME_STATUS = {
    "discussed": "discussed",
    "closed": "closed",
    "carried_forward": "for_supervision",
}


class SessionNotFound(NotFound):
    pass


class ActionNotFound(NotFound):
    pass


class SessionClosed(InvalidValue):
    """The session is completed; its record no longer changes."""


def get_session(s: Session, session_id: str) -> SupervisionSession:
    found = s.get(SupervisionSession, session_id)
    if found is None:
        raise SessionNotFound(f"no supervision session with id {session_id!r}")
    return found


def require_open(session: SupervisionSession) -> SupervisionSession:
    if session.status != "open":
        raise SessionClosed(f"supervision session {session.id} is completed")
    return session


def last_completed_session(s: Session, worker_id: str) -> SupervisionSession | None:
    query = (
        select(SupervisionSession)
        .where(SupervisionSession.worker_id == worker_id, SupervisionSession.status == "completed")
        .order_by(SupervisionSession.completed_at.desc())
        .limit(1)
    )
    return s.execute(query).scalars().first()


def open_session(s: Session, worker_id: str) -> SupervisionSession | None:
    query = (
        select(SupervisionSession)
        .where(SupervisionSession.worker_id == worker_id, SupervisionSession.status == "open")
        .order_by(SupervisionSession.started_at.desc())
        .limit(1)
    )
    return s.execute(query).scalars().first()


def start_session(s: Session, supervisor_id: str, worker_id: str) -> SupervisionSession:
    """The worker's open session with this supervisor, or a new one covering what was
    shared since the last completed session."""
    current = open_session(s, worker_id)
    if current is not None and current.supervisor_id == supervisor_id:
        return current
    if current is not None:
        raise InvalidValue(f"worker {worker_id} has an open session with another supervisor")
    last = last_completed_session(s, worker_id)
    session = SupervisionSession(
        supervisor_id=supervisor_id,
        worker_id=worker_id,
        status="open",
        period_start=last.completed_at if last is not None else None,
        started_at=utc_now(),
    )
    s.add(session)
    s.flush()
    logger.info("Supervision session %s started", session.id)
    return session


def record_note(
    s: Session, session: SupervisionSession, question_id: str, note: str, case_id: str | None
) -> SupervisionNote:
    """The note on a question (for a case, or for no case); a new note replaces the old."""
    require_open(session)
    query = select(SupervisionNote).where(
        SupervisionNote.session_id == session.id,
        SupervisionNote.question_id == question_id,
        SupervisionNote.case_id.is_(None)
        if case_id is None
        else SupervisionNote.case_id == case_id,
    )
    existing = s.execute(query).scalars().first()
    now = utc_now()
    if existing is None:
        existing = SupervisionNote(
            session_id=session.id,
            case_id=case_id,
            question_id=question_id,
            note=note,
            created_at=now,
            updated_at=now,
        )
        s.add(existing)
    elif existing.note != note:
        existing.note, existing.updated_at = note, now
    s.flush()
    return existing


def notes(s: Session, session_id: str) -> list[SupervisionNote]:
    query = (
        select(SupervisionNote)
        .where(SupervisionNote.session_id == session_id)
        .order_by(SupervisionNote.created_at)
    )
    return list(s.execute(query).scalars())


def set_concern_outcome(
    s: Session, session: SupervisionSession, concern: Concern, outcome: str
) -> SessionConcern:
    """Record what the session did with a concern, and move the concern's status."""
    require_open(session)
    if outcome not in SESSION_CONCERN_OUTCOMES:
        raise InvalidValue(f"outcome must be one of {', '.join(SESSION_CONCERN_OUTCOMES)}")
    query = select(SessionConcern).where(
        SessionConcern.session_id == session.id, SessionConcern.concern_id == concern.id
    )
    row = s.execute(query).scalars().one_or_none()
    now = utc_now()
    if row is None:
        row = SessionConcern(session_id=session.id, concern_id=concern.id)
        s.add(row)
    row.outcome, row.updated_at = outcome, now
    concern.status, concern.updated_at = OUTCOME_STATUS[outcome], now
    s.flush()
    return row


def concern_outcomes(s: Session, session_id: str) -> list[SessionConcern]:
    query = select(SessionConcern).where(SessionConcern.session_id == session_id)
    return list(s.execute(query.order_by(SessionConcern.updated_at)).scalars())


def add_action(
    s: Session,
    session: SupervisionSession,
    text: str,
    owner_id: str,
    due_on: date | None = None,
    case_id: str | None = None,
) -> AgreedAction:
    require_open(session)
    text = " ".join((text or "").split())
    if not text:
        raise InvalidValue("an agreed action needs some words")
    now = utc_now()
    action = AgreedAction(
        session_id=session.id,
        worker_id=session.worker_id,
        case_id=case_id,
        owner_id=owner_id,
        text=text,
        due_on=due_on,
        status="open",
        created_at=now,
        updated_at=now,
    )
    s.add(action)
    s.flush()
    return action


def get_action(s: Session, action_id: str) -> AgreedAction:
    action = s.get(AgreedAction, action_id)
    if action is None:
        raise ActionNotFound(f"no agreed action with id {action_id!r}")
    return action


def set_action_status(s: Session, action: AgreedAction, status: str) -> AgreedAction:
    if status not in ACTION_STATUSES:
        raise InvalidValue(f"status must be one of {', '.join(ACTION_STATUSES)}")
    if action.status != status:
        action.status, action.updated_at = status, utc_now()
        s.flush()
    return action


def open_actions(s: Session, worker_id: str) -> list[AgreedAction]:
    """Actions agreed in the worker's supervision that are still open or carried forward."""
    query = (
        select(AgreedAction)
        .where(AgreedAction.worker_id == worker_id, AgreedAction.status.in_(OPEN_ACTION_STATUSES))
        .order_by(AgreedAction.due_on.is_(None), AgreedAction.due_on, AgreedAction.created_at)
    )
    return list(s.execute(query).scalars())


def actions_of_session(s: Session, session_id: str) -> list[AgreedAction]:
    query = select(AgreedAction).where(AgreedAction.session_id == session_id)
    return list(s.execute(query.order_by(AgreedAction.created_at)).scalars())


def actions_owned_by(s: Session, owner_id: str) -> list[AgreedAction]:
    query = (
        select(AgreedAction)
        .where(AgreedAction.owner_id == owner_id, AgreedAction.status.in_(OPEN_ACTION_STATUSES))
        .order_by(AgreedAction.due_on.is_(None), AgreedAction.due_on, AgreedAction.created_at)
    )
    return list(s.execute(query).scalars())


def complete_session(s: Session, session: SupervisionSession) -> SupervisionSession:
    """Complete the session: a concern discussed but not closed is carried forward."""
    require_open(session)
    for row in concern_outcomes(s, session.id):
        if row.outcome == "discussed":
            set_concern_outcome(s, session, row.concern, "carried_forward")
    session.status = "completed"
    session.completed_at = utc_now()
    s.flush()
    logger.info("Supervision session %s completed", session.id)
    return session


def completed_sessions_unseen(s: Session, worker_id: str) -> list[SupervisionSession]:
    query = (
        select(SupervisionSession)
        .where(
            SupervisionSession.worker_id == worker_id,
            SupervisionSession.status == "completed",
            SupervisionSession.worker_seen_at.is_(None),
        )
        .order_by(SupervisionSession.completed_at)
    )
    return list(s.execute(query).scalars())
