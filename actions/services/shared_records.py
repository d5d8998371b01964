"""What a worker shared, read for their supervisor (plain data, no permission checks:
callers check first, in the same transaction).

Only shared things are read: concerns taken to supervision (with the note only when the
note was shared), the answers the worker shared, and requests to talk about the impact
of the work. For a case with something shared, the ready reckoner's tick *counts* per
visit come from the case's chronology (numbers only, never answers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.bank.schema import cached_bank
from actions.concerns.catalogue import cached_catalogue
from actions.concerns.chronology import read_chronology
from actions.concerns.patterns import reckoner_summary
from actions.services.access import PersonRef
from actions.store import sharing
from actions.store import supervision as sessions
from actions.store.models import AgreedAction, Answer, Case, Concern, Debrief


@dataclass(frozen=True)
class SharedConcern:
    id: str
    debrief_id: str
    case_id: str | None
    case_reference: str
    code: str
    title: str
    plain: str
    guidance: str
    evidence: str
    source: str
    urgent: bool
    status: str
    raised_on: date
    shared_on: date
    open_days: int
    worker_note: str | None  # only when the worker shared it
    carried_forward: bool  # shared before this period: brought forward


@dataclass(frozen=True)
class SharedAnswer:
    debrief_id: str
    case_reference: str
    question_id: str
    question: str
    text: str
    shared_on: date


@dataclass(frozen=True)
class ActionView:
    id: str
    text: str
    owner_id: str
    owner: str
    due_on: date | None
    status: str
    case_id: str | None
    case_reference: str | None
    agreed_on: date


@dataclass(frozen=True)
class VisitCount:
    debrief_id: str
    visit_date: date
    shared_concerns: int
    reckoner_ticks: int


@dataclass(frozen=True)
class ReckonerCounts:
    per_visit: tuple[VisitCount, ...]
    total: int  # ticks across the reckoner's window of latest visits
    case_total: int
    level: str | None
    action: str | None


@dataclass(frozen=True)
class SharedDebrief:
    id: str
    case_reference: str
    visit_date: date | None
    completed_on: date | None
    concerns: tuple[SharedConcern, ...]
    answers: tuple[SharedAnswer, ...]
    impact_requested: bool


@dataclass(frozen=True)
class CaseSummary:
    case_id: str
    reference: str
    debriefs: tuple[SharedDebrief, ...]
    concerns: tuple[SharedConcern, ...]
    urgent: tuple[SharedConcern, ...]
    reckoner: ReckonerCounts
    actions: tuple[ActionView, ...]

    @property
    def answers(self) -> tuple[SharedAnswer, ...]:
        return tuple(answer for debrief in self.debriefs for answer in debrief.answers)


@dataclass(frozen=True)
class SupervisionSummary:
    worker: PersonRef
    supervisor: PersonRef
    since: datetime | None  # the end of the last completed supervision; None: never
    generated_at: datetime
    cases: tuple[CaseSummary, ...]
    urgent: tuple[SharedConcern, ...]  # most days open first
    open_actions: tuple[ActionView, ...]
    worker_asked_about_impact: bool
    shared_notes: tuple[SharedAnswer, ...]

    def case(self, case_id: str) -> CaseSummary | None:
        return next((case for case in self.cases if case.case_id == case_id), None)

    @property
    def concerns(self) -> tuple[SharedConcern, ...]:
        """Every open shared concern, of a case or not."""
        found = {c.id: c for case in self.cases for c in case.concerns}
        found.update({c.id: c for c in self.urgent})
        return tuple(found.values())


# --- single items ----------------------------------------------------------------------


def _reference(case: Case | None) -> str:
    return case.reference if case is not None else "no case named"


def concern_view(concern: Concern, today: date, since: datetime | None) -> SharedConcern:
    info = cached_catalogue()[concern.code]
    raised_on = concern.created_at.date()
    return SharedConcern(
        id=concern.id,
        debrief_id=concern.debrief_id,
        case_id=concern.case_id,
        case_reference=_reference(concern.case),
        code=concern.code,
        title=info.title,
        plain=info.plain,
        guidance=f"{info.suggests} ({info.source})",
        evidence=concern.evidence,
        source=concern.source,
        urgent=concern.urgent,
        status=concern.status,
        raised_on=raised_on,
        shared_on=concern.shared_at.date(),
        open_days=max((today - raised_on).days, 0),
        worker_note=concern.worker_note if concern.note_shared_at is not None else None,
        carried_forward=since is not None and concern.shared_at <= since,
    )


def answer_text(answer: Answer) -> str:
    return answer.free_text or answer.value or ""


def answer_view(answer: Answer) -> SharedAnswer:
    question = cached_bank().questions.get(answer.question_id)
    label = (question.summary_label or question.text) if question else answer.question_id
    return SharedAnswer(
        debrief_id=answer.debrief_id,
        case_reference=_reference(answer.debrief.case),
        question_id=answer.question_id,
        question=label,
        text=answer_text(answer),
        shared_on=answer.shared_at.date(),
    )


def action_view(action: AgreedAction) -> ActionView:
    return ActionView(
        id=action.id,
        text=action.text,
        owner_id=action.owner_id,
        owner=PersonRef.of(action.owner).name,
        due_on=action.due_on,
        status=action.status,
        case_id=action.case_id,
        case_reference=action.case.reference if action.case is not None else None,
        agreed_on=action.created_at.date(),
    )


# --- per case -------------------------------------------------------------------------


def _shared_counts(s: Session, case_id: str) -> dict[str, int]:
    """Distinct shared concern codes per debrief of the case."""
    query = (
        select(Concern.debrief_id, func.count(func.distinct(Concern.code)))
        .where(Concern.case_id == case_id, Concern.shared_at.is_not(None))
        .group_by(Concern.debrief_id)
    )
    return dict(s.execute(query).all())


def reckoner_counts(s: Session, case_id: str) -> ReckonerCounts:
    summary = reckoner_summary(read_chronology(s, case_id))
    shared = _shared_counts(s, case_id)
    return ReckonerCounts(
        per_visit=tuple(
            VisitCount(v.debrief_id, v.visit_date, shared.get(v.debrief_id, 0), v.count)
            for v in summary.per_visit
        ),
        total=summary.total,
        case_total=summary.case_total,
        level=summary.level,
        action=summary.action,
    )


def _debrief_view(
    debrief: Debrief,
    concerns: Iterable[SharedConcern],
    answers: Iterable[SharedAnswer],
    since: datetime | None,
) -> SharedDebrief:
    asked = debrief.impact_requested_at
    return SharedDebrief(
        id=debrief.id,
        case_reference=_reference(debrief.case),
        visit_date=debrief.visit.visit_date if debrief.visit is not None else None,
        completed_on=debrief.completed_at.date() if debrief.completed_at else None,
        concerns=tuple(c for c in concerns if c.debrief_id == debrief.id),
        answers=tuple(a for a in answers if a.debrief_id == debrief.id),
        impact_requested=asked is not None and (since is None or asked > since),
    )


def _by_urgency(concerns: Iterable[SharedConcern]) -> tuple[SharedConcern, ...]:
    urgent = [c for c in concerns if c.urgent]
    return tuple(sorted(urgent, key=lambda c: (-c.open_days, c.raised_on, c.id)))


# --- the whole summary ----------------------------------------------------------------


@dataclass(frozen=True)
class _Shared:
    concerns: tuple[SharedConcern, ...]
    answers: tuple[SharedAnswer, ...]
    impact: tuple[Debrief, ...]
    actions: tuple[ActionView, ...]
    debriefs: dict[str, Debrief]


def _read(
    s: Session, worker_id: str, since: datetime | None, today: date, also: Iterable[Concern]
) -> _Shared:
    concerns = sharing.open_shared_concerns(s, worker_id)
    known = {c.id for c in concerns}
    concerns += [c for c in also if c.id not in known and c.shared_at is not None]
    answers = sharing.shared_answers(s, worker_id, since)
    impact = sharing.impact_requests(s, worker_id, since)
    debriefs = {c.debrief.id: c.debrief for c in concerns}
    debriefs.update({a.debrief.id: a.debrief for a in answers})
    debriefs.update({d.id: d for d in impact})
    return _Shared(
        concerns=tuple(concern_view(c, today, since) for c in concerns),
        answers=tuple(answer_view(a) for a in answers),
        impact=tuple(impact),
        actions=tuple(action_view(a) for a in sessions.open_actions(s, worker_id)),
        debriefs=debriefs,
    )


def _case_summary(s: Session, case: Case, shared: _Shared, since) -> CaseSummary:
    concerns = tuple(c for c in shared.concerns if c.case_id == case.id)
    debriefs = sorted(
        (d for d in shared.debriefs.values() if d.case_id == case.id),
        key=lambda d: (d.started_at, d.id),
    )
    return CaseSummary(
        case_id=case.id,
        reference=case.reference,
        debriefs=tuple(_debrief_view(d, concerns, shared.answers, since) for d in debriefs),
        concerns=concerns,
        urgent=_by_urgency(concerns),
        reckoner=reckoner_counts(s, case.id),
        actions=tuple(a for a in shared.actions if a.case_id == case.id),
    )


def summarise(
    s: Session,
    supervisor: PersonRef,
    worker: PersonRef,
    since: datetime | None,
    now: datetime,
    also: Iterable[Concern] = (),
) -> SupervisionSummary:
    """What ``worker`` shared: open shared concerns (and the shared concerns in ``also``,
    such as those a session closed), answers and impact requests shared after ``since``,
    and open agreed actions."""
    shared = _read(s, worker.id, since, now.date(), also)
    case_ids = {d.case_id for d in shared.debriefs.values() if d.case_id}
    case_ids |= {a.case_id for a in shared.actions if a.case_id}
    cases = sorted((s.get(Case, case_id) for case_id in case_ids), key=lambda c: c.reference_key)
    return SupervisionSummary(
        worker=worker,
        supervisor=supervisor,
        since=since,
        generated_at=now,
        cases=tuple(_case_summary(s, case, shared, since) for case in cases),
        urgent=_by_urgency(shared.concerns),
        open_actions=shared.actions,
        worker_asked_about_impact=bool(shared.impact),
        shared_notes=shared.answers,
    )


def debrief_as_shared(s: Session, debrief: Debrief, now: datetime) -> SharedDebrief | None:
    """One debrief as its worker shared it (whatever supervision did since), or None
    when nothing of it was shared."""
    concerns = [c for c in debrief.concerns if c.shared_at is not None]
    answers = [
        a
        for a in debrief.answers
        if a.shared_at is not None and a.question_id in sharing.SHAREABLE_QUESTIONS
    ]
    if not concerns and not answers and debrief.impact_requested_at is None:
        return None
    return _debrief_view(
        debrief,
        [concern_view(c, now.date(), None) for c in concerns],
        [answer_view(a) for a in answers],
        None,
    )
