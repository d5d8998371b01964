"""The supervision agenda (``actions.reports.model.Agenda``) from what a worker shared:
per case, the shared concerns grouped by code, the visits with shared concerns and
ready-reckoner ticks, the supervision questions with their evidence and notes, and the
agreed actions. Only the worker's current supervisor may build it; each build is
audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from actions.reports.model import (
    Agenda,
    AgendaCase,
    AgendaConcern,
    AgreedAction,
    SupervisionQuestion,
    VisitPoint,
)
from actions.services import access, shared_records
from actions.services.access import AccessDenied, PersonRef
from actions.services.question_evidence import ORGANISATION_SET
from actions.services.shared_records import (
    ActionView,
    CaseSummary,
    SharedConcern,
    SupervisionSummary,
)
from actions.services.supervision_questions import QuestionPrompt, case_sets, check_sets, prompts
from actions.store import supervision as store
from actions.store.db import session_scope
from actions.store.models import Person, SupervisionSession, utc_now

# When a code's concerns differ in status, the agenda shows the first of these present.
STATUS_ORDER = ("for_supervision", "carried_forward", "discussed", "closed")


def _status(concern: SharedConcern) -> str:
    if concern.status == "for_supervision" and concern.carried_forward:
        return "carried_forward"
    return concern.status


def _group_status(concerns: list[SharedConcern]) -> str:
    present = {_status(c) for c in concerns}
    return next((s for s in STATUS_ORDER if s in present), concerns[0].status)


def agenda_concerns(concerns: Iterable[SharedConcern]) -> tuple[AgendaConcern, ...]:
    """One item per code, with every piece of evidence; urgent first, then longest open."""
    grouped: dict[str, list[SharedConcern]] = {}
    for concern in concerns:
        grouped.setdefault(concern.code, []).append(concern)
    items = []
    for code, group in grouped.items():
        notes = [c.worker_note for c in group if c.worker_note]
        first = group[0]
        items.append(
            AgendaConcern(
                code=code,
                title=first.title,
                plain=first.plain,
                evidence=tuple(dict.fromkeys(c.evidence for c in group)),
                guidance=first.guidance,
                urgent=any(c.urgent for c in group),
                status=_group_status(group),
                raised_on=min(c.raised_on for c in group),
                open_days=max(c.open_days for c in group),
                worker_note="; ".join(dict.fromkeys(notes)) or None,
            )
        )
    return tuple(sorted(items, key=lambda item: (not item.urgent, -item.open_days, item.code)))


def visit_label(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _question(prompt: QuestionPrompt) -> SupervisionQuestion:
    return SupervisionQuestion(
        number=prompt.number,
        text=prompt.text,
        evidence=prompt.evidence,
        note=prompt.note,
        set_id=prompt.set_id,
    )


def _action(action: ActionView) -> AgreedAction:
    return AgreedAction(
        text=action.text, owner=action.owner, due=action.due_on, status=action.status
    )


def _agenda_case(case: CaseSummary, sets, notes, actions: list[ActionView]) -> AgendaCase:
    questions = [
        _question(p)
        for set_id in sets
        for p in prompts(set_id, case.concerns, case.answers, case.case_id, notes)
    ]
    return AgendaCase(
        reference=case.reference,
        debrief_count=len(case.debriefs),
        concerns=agenda_concerns(case.concerns),
        visits=tuple(
            VisitPoint(visit_label(v.visit_date), v.shared_concerns, v.reckoner_ticks)
            for v in case.reckoner.per_visit
        ),
        questions=tuple(questions),
        actions=tuple(_action(a) for a in actions if a.case_id == case.case_id),
        reckoner_total=case.reckoner.total,
        reckoner_action=case.reckoner.action,
    )


def _session_for(
    s: Session, supervisor: Person, worker: Person, session_id: str | None
) -> SupervisionSession | None:
    if session_id is None:
        current = store.open_session(s, worker.id)
        return current if current is not None and current.supervisor_id == supervisor.id else None
    session = store.get_session(s, session_id)
    if session.worker_id != worker.id or session.supervisor_id != supervisor.id:
        raise AccessDenied("that supervision session is not yours with this worker")
    return session


def _actions(s: Session, summary: SupervisionSummary, session) -> list[ActionView]:
    actions = {a.id: a for a in summary.open_actions}
    if session is not None:
        for action in store.actions_of_session(s, session.id):
            actions.setdefault(action.id, shared_records.action_view(action))
    return list(actions.values())


def assemble(
    summary: SupervisionSummary, sets: tuple[str, ...], notes, actions: list[ActionView]
) -> Agenda:
    per_case = case_sets(sets)
    general = prompts(ORGANISATION_SET, summary.concerns, summary.shared_notes, None, notes)
    return Agenda(
        supervisee=summary.worker.name,
        supervisor=summary.supervisor.name,
        period_start=summary.since.date() if summary.since else None,
        period_end=summary.generated_at.date(),
        generated_at=summary.generated_at,
        cases=tuple(_agenda_case(c, per_case, notes, actions) for c in summary.cases),
        worker_asked_about_impact=summary.worker_asked_about_impact,
        shared_notes=tuple(
            f"{a.question} ({a.case_reference}): {a.text}" for a in summary.shared_notes
        ),
        questions=tuple(_question(p) for p in general) if ORGANISATION_SET in sets else (),
        actions=tuple(_action(a) for a in actions if a.case_id is None),
    )


def build_agenda(
    supervisor_id: str,
    worker_id: str,
    session_id: str | None = None,
    sets: tuple[str, ...] = (),
) -> Agenda:
    """The agenda of the worker's supervision: ``session_id`` (default: the open session
    between the two, if any) adds its notes, decisions and actions. ``sets`` adds the
    ``team_around_child`` (per case) and ``organisation`` questions."""
    sets = check_sets(sets)
    with session_scope() as s:
        supervisor, worker = access.require_supervisor_of(s, supervisor_id, worker_id)
        session = _session_for(s, supervisor, worker, session_id)
        access.audit_read(s, supervisor, worker.id, "agenda")
        since = session.period_start if session is not None else None
        if session is None:
            last = store.last_completed_session(s, worker.id)
            since = last.completed_at if last is not None else None
        decided = [row.concern for row in store.concern_outcomes(s, session.id)] if session else []
        summary = shared_records.summarise(
            s, PersonRef.of(supervisor), PersonRef.of(worker), since, utc_now(), decided
        )
        notes = (
            {(n.case_id, n.question_id): n.note for n in store.notes(s, session.id)}
            if session
            else {}
        )
        return assemble(summary, sets, notes, _actions(s, summary, session))
