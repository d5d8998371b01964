"""The record of a supervision session: the supervisor's note per question and case,
what happened to each shared concern (discussed, closed, carried forward), agreed
actions, and completing the session. Only the worker's current supervisor writes it;
the worker reads its outcomes (``my_view``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from actions.bank.schema import cached_bank
from actions.concerns.catalogue import cached_catalogue
from actions.services import access
from actions.services.access import AccessDenied, PersonRef
from actions.services.question_evidence import QUESTION_SETS
from actions.services.shared_records import ActionView, action_view
from actions.store import supervision as store
from actions.store.db import session_scope
from actions.store.models import Case, Concern, Person, SupervisionSession
from actions.store.repository import InvalidValue
from actions.store.sharing import OPEN_SHARED_STATUSES

logger = logging.getLogger(__name__)

DECISIONS = ("closed", "carried_forward")


@dataclass(frozen=True)
class NoteView:
    case_id: str | None
    case_reference: str | None
    question_id: str
    question: str
    note: str


@dataclass(frozen=True)
class ConcernOutcome:
    concern_id: str
    case_reference: str | None
    code: str
    title: str
    outcome: str  # discussed | closed | carried_forward


@dataclass(frozen=True)
class SessionView:
    id: str
    worker: PersonRef
    supervisor: PersonRef
    status: str
    period_start: datetime | None
    started_at: datetime
    completed_at: datetime | None
    notes: tuple[NoteView, ...] = ()
    concerns: tuple[ConcernOutcome, ...] = ()
    actions: tuple[ActionView, ...] = ()


# --- reading ---------------------------------------------------------------------------


def _reference(s: Session, case_id: str | None) -> str | None:
    case = s.get(Case, case_id) if case_id else None
    return case.reference if case is not None else None


def _note_view(s: Session, note) -> NoteView:
    question = cached_bank().questions.get(note.question_id)
    return NoteView(
        case_id=note.case_id,
        case_reference=_reference(s, note.case_id),
        question_id=note.question_id,
        question=question.text if question else note.question_id,
        note=note.note,
    )


def _outcome_view(row) -> ConcernOutcome:
    concern = row.concern
    return ConcernOutcome(
        concern_id=concern.id,
        case_reference=concern.case.reference if concern.case is not None else None,
        code=concern.code,
        title=cached_catalogue()[concern.code].title,
        outcome=row.outcome,
    )


def view_of(s: Session, session: SupervisionSession) -> SessionView:
    return SessionView(
        id=session.id,
        worker=PersonRef.of(session.worker),
        supervisor=PersonRef.of(session.supervisor),
        status=session.status,
        period_start=session.period_start,
        started_at=session.started_at,
        completed_at=session.completed_at,
        notes=tuple(_note_view(s, n) for n in store.notes(s, session.id)),
        concerns=tuple(_outcome_view(r) for r in store.concern_outcomes(s, session.id)),
        actions=tuple(action_view(a) for a in store.actions_of_session(s, session.id)),
    )


def session_view(actor_id: str, session_id: str) -> SessionView:
    """A session's record, for its worker or the worker's current supervisor."""
    with session_scope() as s:
        actor = access.acting_person(s, actor_id)
        session = store.get_session(s, session_id)
        if actor.id != session.worker_id:
            access.require_supervisor_of(s, actor.id, session.worker_id)
            access.audit_read(s, actor, session.worker_id, "session", f"session={session.id}")
        return view_of(s, session)


# --- the supervisor's writes ------------------------------------------------------------


def _supervisors_session(
    s: Session, supervisor_id: str, session_id: str
) -> tuple[Person, Person, SupervisionSession]:
    session = store.get_session(s, session_id)
    supervisor, worker = access.require_supervisor_of(s, supervisor_id, session.worker_id)
    if session.supervisor_id != supervisor.id:
        raise AccessDenied("that supervision session is another supervisor's")
    return supervisor, worker, store.require_open(session)


def _workers_case(s: Session, worker: Person, case_id: str | None) -> str | None:
    if case_id is None:
        return None
    case = s.get(Case, case_id)
    if case is None or case.owner_id != worker.id:
        raise AccessDenied("that case is not one of this worker's")
    return case.id


def _shared_concern(s: Session, worker: Person, concern_id: str) -> Concern:
    concern = s.get(Concern, concern_id) if concern_id else None
    if concern is None or concern.debrief.person_id != worker.id or concern.shared_at is None:
        raise AccessDenied("that concern was not shared with you")
    return concern


def start_session(supervisor_id: str, worker_id: str) -> SessionView:
    """Start a supervision (or return the one already open between the two)."""
    with session_scope() as s:
        supervisor, worker = access.require_supervisor_of(s, supervisor_id, worker_id)
        session = store.start_session(s, supervisor.id, worker.id)
        return view_of(s, session)


def record_note(
    supervisor_id: str, session_id: str, question_id: str, note: str, case_id: str | None = None
) -> NoteView:
    """The supervisor's note on a supervision, team or organisation question, for one of
    the worker's cases (or none); a new note on the same question and case replaces it."""
    note = (note or "").strip()
    if not note:
        raise InvalidValue("the note is empty")
    bank = cached_bank()
    if question_id not in bank.questions or bank.set_of(question_id).id not in QUESTION_SETS:
        raise InvalidValue(f"{question_id!r} is not a supervision question")
    with session_scope() as s:
        _, worker, session = _supervisors_session(s, supervisor_id, session_id)
        row = store.record_note(s, session, question_id, note, _workers_case(s, worker, case_id))
        return _note_view(s, row)


def mark_discussed(
    supervisor_id: str, session_id: str, concern_ids: list[str]
) -> list[ConcernOutcome]:
    with session_scope() as s:
        _, worker, session = _supervisors_session(s, supervisor_id, session_id)
        rows = []
        for concern_id in concern_ids:
            concern = _shared_concern(s, worker, concern_id)
            if concern.status not in OPEN_SHARED_STATUSES:
                raise InvalidValue(f"concern {concern.id} is {concern.status}, not open")
            rows.append(store.set_concern_outcome(s, session, concern, "discussed"))
        return [_outcome_view(row) for row in rows]


def decide_concern(
    supervisor_id: str, session_id: str, concern_id: str, outcome: str
) -> ConcernOutcome:
    """Close a shared concern, or carry it forward to the next supervision."""
    if outcome not in DECISIONS:
        raise InvalidValue(f"outcome must be one of {', '.join(DECISIONS)}")
    with session_scope() as s:
        _, worker, session = _supervisors_session(s, supervisor_id, session_id)
        concern = _shared_concern(s, worker, concern_id)
        return _outcome_view(store.set_concern_outcome(s, session, concern, outcome))


def close_concern(supervisor_id: str, session_id: str, concern_id: str) -> ConcernOutcome:
    return decide_concern(supervisor_id, session_id, concern_id, "closed")


def carry_forward_concern(supervisor_id: str, session_id: str, concern_id: str) -> ConcernOutcome:
    return decide_concern(supervisor_id, session_id, concern_id, "carried_forward")


def _due(due_on: date | str | None) -> date | None:
    if due_on is None or isinstance(due_on, date):
        return due_on
    try:
        return date.fromisoformat(due_on.strip())
    except ValueError as error:
        raise InvalidValue(f"due date must be YYYY-MM-DD; got {due_on!r}") from error


def add_action(
    supervisor_id: str,
    session_id: str,
    text: str,
    owner_id: str,
    due_on: date | str | None = None,
    case_id: str | None = None,
) -> ActionView:
    """An agreed action owned by the worker or the supervisor, for a case or none."""
    due = _due(due_on)
    with session_scope() as s:
        supervisor, worker, session = _supervisors_session(s, supervisor_id, session_id)
        if owner_id not in (supervisor.id, worker.id):
            raise InvalidValue("an agreed action is owned by the worker or the supervisor")
        case = _workers_case(s, worker, case_id)
        return action_view(store.add_action(s, session, text, owner_id, due, case))


def set_action_status(actor_id: str, action_id: str, status: str) -> ActionView:
    """The worker's current supervisor sets any status; the action's owner may mark it
    done."""
    with session_scope() as s:
        actor = access.acting_person(s, actor_id)
        action = store.get_action(s, action_id)
        if actor.id == action.owner_id and status == "done":
            return action_view(store.set_action_status(s, action, status))
        access.require_supervisor_of(s, actor.id, action.worker_id)
        return action_view(store.set_action_status(s, action, status))


def complete_session(supervisor_id: str, session_id: str) -> SessionView:
    """Complete the session; a concern discussed but not decided is carried forward."""
    with session_scope() as s:
        _, _, session = _supervisors_session(s, supervisor_id, session_id)
        store.complete_session(s, session)
        return view_of(s, session)
