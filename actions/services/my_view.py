"""The worker's own view of their records: what is open for me, what I said about a
case last time, and what came out of supervision since I last looked. A worker only
ever reaches their own records here; each call is one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.bank.schema import cached_bank
from actions.concerns.catalogue import cached_catalogue
from actions.services import access
from actions.services.shared_records import ActionView, action_view
from actions.services.supervision_sessions import SessionView, set_action_status, view_of
from actions.store import supervision as sessions
from actions.store.db import session_scope
from actions.store.models import Case, Concern, Debrief, Person, SupervisionSession, utc_now
from actions.store.repository import normalise_reference

CLOSED_FOR_ME = ("closed", "not_applicable")  # closed in supervision, or by my decision
LAST_TIME_STATUSES = ("completed", "paused", "stopped")


@dataclass(frozen=True)
class MyConcern:
    id: str
    debrief_id: str
    case_reference: str | None
    code: str
    title: str
    evidence: str
    urgent: bool
    status: str
    raised_on: date
    shared: bool
    note: str | None


@dataclass(frozen=True)
class MyOpenItems:
    concerns: tuple[MyConcern, ...]
    actions: tuple[ActionView, ...]  # agreed actions I own


@dataclass(frozen=True)
class MyCase:
    reference: str
    last_debrief: date  # the day of my last finished, paused or stopped debrief of it


@dataclass(frozen=True)
class AnswerRecord:
    question_id: str
    question: str
    value: str | None
    free_text: str | None
    shared: bool


@dataclass(frozen=True)
class DebriefRecord:
    id: str
    case_reference: str | None
    status: str
    started_at: datetime
    completed_at: datetime | None
    visit_date: date | None
    answers: tuple[AnswerRecord, ...]
    concerns: tuple[MyConcern, ...]


def _concern(concern: Concern) -> MyConcern:
    return MyConcern(
        id=concern.id,
        debrief_id=concern.debrief_id,
        case_reference=concern.case.reference if concern.case is not None else None,
        code=concern.code,
        title=cached_catalogue()[concern.code].title,
        evidence=concern.evidence,
        urgent=concern.urgent,
        status=concern.status,
        raised_on=concern.created_at.date(),
        shared=concern.shared_at is not None,
        note=concern.worker_note,
    )


def _record(debrief: Debrief) -> DebriefRecord:
    questions = cached_bank().questions
    return DebriefRecord(
        id=debrief.id,
        case_reference=debrief.case.reference if debrief.case is not None else None,
        status=debrief.status,
        started_at=debrief.started_at,
        completed_at=debrief.completed_at,
        visit_date=debrief.visit.visit_date if debrief.visit is not None else None,
        answers=tuple(
            AnswerRecord(
                question_id=a.question_id,
                question=questions[a.question_id].text if a.question_id in questions else "",
                value=a.value,
                free_text=a.free_text,
                shared=a.shared_at is not None,
            )
            for a in debrief.answers
        ),
        concerns=tuple(_concern(c) for c in debrief.concerns),
    )


def open_for_me(worker_id: str) -> MyOpenItems:
    """My concerns not closed (nor set aside by me), urgent first; actions I own."""
    with session_scope() as s:
        me = access.acting_person(s, worker_id)
        query = (
            select(Concern)
            .join(Debrief, Debrief.id == Concern.debrief_id)
            .where(Debrief.person_id == me.id, Concern.status.notin_(CLOSED_FOR_ME))
            .order_by(Concern.urgent.desc(), Concern.created_at, Concern.code)
        )
        return MyOpenItems(
            concerns=tuple(_concern(c) for c in s.execute(query).scalars()),
            actions=tuple(action_view(a) for a in sessions.actions_owned_by(s, me.id)),
        )


def _my_case(s: Session, me: Person, reference: str) -> Case | None:
    query = select(Case).where(
        Case.owner_id == me.id, Case.reference_key == normalise_reference(reference)
    )
    return s.execute(query).scalars().one_or_none()


def last_said_about(worker_id: str, case_reference: str) -> DebriefRecord | None:
    """My last debrief about the case (completed first, else paused or stopped): its
    answers and concerns. None when I have not debriefed it."""
    with session_scope() as s:
        me = access.acting_person(s, worker_id)
        case = _my_case(s, me, case_reference)
        if case is None:
            return None
        query = (
            select(Debrief)
            .where(Debrief.case_id == case.id, Debrief.status.in_(LAST_TIME_STATUSES))
            .order_by(
                (Debrief.status == "completed").desc(),
                Debrief.completed_at.desc(),
                Debrief.updated_at.desc(),
            )
            .limit(1)
        )
        debrief = s.execute(query).scalars().first()
        return _record(debrief) if debrief is not None else None


def my_cases(worker_id: str) -> tuple[MyCase, ...]:
    """My cases that I have debriefed (finished, paused or stopped), the most recently
    debriefed first, each with the day of its last debrief."""
    with session_scope() as s:
        me = access.acting_person(s, worker_id)
        query = (
            select(Case.reference, Debrief.completed_at, Debrief.started_at)
            .join(Debrief, Debrief.case_id == Case.id)
            .where(Case.owner_id == me.id, Debrief.status.in_(LAST_TIME_STATUSES))
        )
        last: dict[str, datetime] = {}
        for reference, completed_at, started_at in s.execute(query):
            when = completed_at or started_at
            if reference not in last or when > last[reference]:
                last[reference] = when
        ordered = sorted(sorted(last.items()), key=lambda item: item[1], reverse=True)
        return tuple(MyCase(reference, when.date()) for reference, when in ordered)


def open_my_debrief(actor_id: str, debrief_id: str) -> DebriefRecord:
    """One of my debriefs in full; anyone else's is refused (``AccessDenied``)."""
    with session_scope() as s:
        _, debrief = access.own_debrief(s, actor_id, debrief_id)
        return _record(debrief)


def outcomes_since_last_look(worker_id: str, mark_seen: bool = True) -> tuple[SessionView, ...]:
    """My supervisions completed since I last looked: notes, decisions, actions."""
    with session_scope() as s:
        me = access.acting_person(s, worker_id)
        unseen = sessions.completed_sessions_unseen(s, me.id)
        views = tuple(view_of(s, session) for session in unseen)
        if mark_seen:
            now = utc_now()
            for session in unseen:
                session.worker_seen_at = now
        return views


def has_unseen_outcomes(worker_id: str) -> bool:
    """Whether a supervision of mine was completed since I last looked (nothing marked)."""
    with session_scope() as s:
        me = access.acting_person(s, worker_id)
        query = (
            select(SupervisionSession.id)
            .where(
                SupervisionSession.worker_id == me.id,
                SupervisionSession.status == "completed",
                SupervisionSession.worker_seen_at.is_(None),
            )
            .limit(1)
        )
        return s.execute(query).first() is not None


def latest_outcomes(worker_id: str, limit: int = 3) -> tuple[SessionView, ...]:
    """My most recently completed supervisions, newest first, seen or not (nothing is
    marked seen)."""
    with session_scope() as s:
        me = access.acting_person(s, worker_id)
        query = (
            select(SupervisionSession)
            .where(SupervisionSession.worker_id == me.id, SupervisionSession.status == "completed")
            .order_by(SupervisionSession.completed_at.desc())
            .limit(max(limit, 0))
        )
        return tuple(view_of(s, session) for session in s.execute(query).scalars())


def mark_action_done(worker_id: str, action_id: str) -> ActionView:
    """Mark an agreed action I own as done."""
    return set_action_status(worker_id, action_id, "done")
