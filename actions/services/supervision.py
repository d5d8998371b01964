"""The supervisor's side: their supervisees, preparing a supervision from what the
worker shared, the supervision questions with evidence, the session record and the
agenda. Every call checks the acting person against the records (``access``), writes
an audit row for each read of a worker's records, and is one transaction.

Session record functions live in ``supervision_sessions`` and the agenda in
``supervision_agenda``; both are re-exported here, so this module is the API.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from actions.services import access, shared_records
from actions.services.access import PersonRef
from actions.services.shared_records import SharedDebrief, SupervisionSummary
from actions.services.supervision_agenda import build_agenda
from actions.services.supervision_questions import (
    QuestionPrompt,
    check_sets,
    prompts,
)
from actions.services.supervision_sessions import (
    SessionView,
    add_action,
    carry_forward_concern,
    close_concern,
    complete_session,
    decide_concern,
    mark_discussed,
    record_note,
    session_view,
    set_action_status,
    start_session,
)
from actions.store import people
from actions.store import supervision as sessions
from actions.store.db import session_scope
from actions.store.models import Debrief, Person, utc_now

__all__ = [
    "SessionView",
    "SuperviseeMatch",
    "add_action",
    "build_agenda",
    "carry_forward_concern",
    "close_concern",
    "complete_session",
    "decide_concern",
    "find_supervisee",
    "list_supervisees",
    "mark_discussed",
    "open_shared_debrief",
    "prepare",
    "questions_for_case",
    "record_note",
    "session_view",
    "set_action_status",
    "start_session",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SuperviseeMatch:
    """The supervisee a name picks out; ``person`` is None when no one or several match."""

    person: PersonRef | None
    candidates: tuple[PersonRef, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.person is None and len(self.candidates) > 1


def list_supervisees(supervisor_id: str) -> list[PersonRef]:
    with session_scope() as s:
        supervisor = access.acting_person(s, supervisor_id, "supervisor")
        return [PersonRef.of(p) for p in people.current_supervisees(s, supervisor.id)]


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _match_tiers(person: PersonRef) -> tuple[set[str], set[str], set[str]]:
    """Names a person answers to: exact handle, full name, then first name."""
    handle, full = _fold(person.username), _fold(person.display_name)
    first = {full.split()[0]} if full else set()
    if handle:
        first.add(handle.split(".")[0])
    return {handle} - {""}, {full} - {""}, first


def find_supervisee(supervisor_id: str, name_text: str) -> SuperviseeMatch:
    """The current supervisee meant by ``name_text`` (username, full or first name, any
    case). Several at the best matching level: ``candidates`` lists them."""
    wanted = _fold(name_text).lstrip("@")
    supervisees = list_supervisees(supervisor_id)
    for tier in range(3):
        found = tuple(p for p in supervisees if wanted in _match_tiers(p)[tier])
        if len(found) == 1:
            return SuperviseeMatch(found[0])
        if found:
            return SuperviseeMatch(None, found)
    return SuperviseeMatch(None)


def _since(s: Session, worker_id: str) -> datetime | None:
    last = sessions.last_completed_session(s, worker_id)
    return last.completed_at if last is not None else None


def summary_for(s: Session, supervisor: Person, worker: Person, what: str) -> SupervisionSummary:
    """The summary of what the worker shared, audited as a read of ``what``."""
    access.audit_read(s, supervisor, worker.id, what)
    return shared_records.summarise(
        s, PersonRef.of(supervisor), PersonRef.of(worker), _since(s, worker.id), utc_now()
    )


def prepare(supervisor_id: str, worker_id: str) -> SupervisionSummary:
    """What the worker shared since their last completed supervision, with what is still
    open from before: cases, debriefs, shared concerns with evidence, urgent ones with
    days open, ready-reckoner counts per visit, open actions, and whether the worker
    asked to talk about the impact on them."""
    with session_scope() as s:
        supervisor, worker = access.require_supervisor_of(s, supervisor_id, worker_id)
        return summary_for(s, supervisor, worker, "prepare")


def questions_for_case(
    supervisor_id: str, worker_id: str, case_id: str | None, sets: tuple[str, ...] = ()
) -> tuple[QuestionPrompt, ...]:
    """The supervision questions (and ``sets`` on request: ``team_around_child``,
    ``organisation``), each with the shared evidence of the case that bears on it.
    ``case_id`` None: evidence from every case."""
    wanted = check_sets(sets)
    with session_scope() as s:
        supervisor, worker = access.require_supervisor_of(s, supervisor_id, worker_id)
        summary = summary_for(s, supervisor, worker, "questions")
        if case_id is None:
            concerns, answers = summary.concerns, summary.shared_notes
        else:
            case = summary.case(case_id)
            concerns, answers = (case.concerns, case.answers) if case else ((), ())
        return tuple(q for set_id in wanted for q in prompts(set_id, concerns, answers, case_id))


def open_shared_debrief(supervisor_id: str, debrief_id: str) -> SharedDebrief:
    """One of a current supervisee's debriefs, as shared: shared concerns (with notes
    only when shared) and shared answers; nothing else of it."""
    with session_scope() as s:
        debrief = s.get(Debrief, debrief_id) if debrief_id else None
        if debrief is None:
            access.acting_person(s, supervisor_id, "supervisor")
            raise access.AccessDenied("no such debrief of your supervisees")
        supervisor, worker = access.require_supervisor_of(s, supervisor_id, debrief.person_id)
        shared = shared_records.debrief_as_shared(s, debrief, utc_now())
        if shared is None:
            raise access.AccessDenied("nothing of that debrief was shared with you")
        access.audit_read(s, supervisor, worker.id, "debrief", f"debrief={debrief.id}")
        return shared
