"""Invented records for the retention tests, dated on purpose, and ways to look at
everything the databases hold."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from types import MappingProxyType

from sqlalchemy import String, create_engine, func, select, update

from actions.services.retention_policy import RetentionPolicy
from actions.store import audit, repository
from actions.store import supervision as sessions
from actions.store.models import AuditEntry, Base, Debrief, SupervisionSession
from actions.store.tracker import EVENTS

PERIODS = {
    "debriefs": 1095,
    "supervision_sessions": 2190,
    "chat_events": 90,
    "agenda_files": 30,
    "deactivated_people": 2190,
    "audit_log": 2555,
}


def policy(batch_size: int = 2, **periods: int | None) -> RetentionPolicy:
    return RetentionPolicy(MappingProxyType({**PERIODS, **periods}), batch_size, "test policy")


def days_before(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)


def date_debrief(debrief: Debrief, moment: datetime) -> Debrief:
    """Everything of the debrief happened at ``moment``."""
    debrief.started_at = debrief.updated_at = moment
    debrief.completed_at = moment if debrief.completed_at else None
    for answer in debrief.answers:
        answer.answered_at = answer.updated_at = moment
    for concern in debrief.concerns:
        concern.created_at = concern.updated_at = moment
    return debrief


def add_session(
    s,
    supervisor,
    worker,
    *,
    completed: datetime | None,
    note: str | None = None,
    case_id: str | None = None,
    actions: tuple[tuple[str, object], ...] = (),
    concerns=(),
) -> SupervisionSession:
    """A supervision session with a note, agreed actions ((text, owner) pairs) and the
    given concerns discussed; completed at ``completed`` (None: left open)."""
    session = sessions.start_session(s, supervisor.id, worker.id)
    if note is not None:
        sessions.record_note(s, session, "supervision_reflection", note, case_id)
    for text, owner in actions:
        sessions.add_action(s, session, text, owner.id, case_id=case_id)
    for concern in concerns:
        sessions.set_concern_outcome(s, session, concern, "discussed")
    if completed is not None:
        sessions.complete_session(s, session)
        session.started_at = session.completed_at = completed
    s.flush()
    return session


def audit_at(s, moment: datetime, action: str = "read:prepare", **ids) -> str:
    entry = audit.record(s, ids.get("actor"), ids.get("subject"), action)
    table = AuditEntry.__table__
    s.execute(update(table).where(table.c.id == entry.id).values(at=moment))
    return entry.id


def add_events(url: str, sender_id: str, moments: list[datetime], text: str = "hello") -> None:
    engine = create_engine(url, future=True)
    rows = [
        {
            "sender_id": sender_id,
            "type_name": "user",
            "timestamp": moment.timestamp(),
            "intent_name": "inform",
            "data": json.dumps({"event": "user", "text": text}),
        }
        for moment in moments
    ]
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), rows)
    engine.dispose()


def tracker_rows(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        found = [
            tuple(row) for row in connection.execute(select(EVENTS.c.sender_id, EVENTS.c.data))
        ]
    engine.dispose()
    return found


def table_counts(s) -> dict[str, int]:
    return {
        table.name: s.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def every_text(s) -> str:
    """Every value of every text column of every table, one per line."""
    values: list[str] = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String)]
        for row in s.execute(select(*columns)) if columns else ():
            values.extend(str(value) for value in row if value is not None)
    return "\n".join(values)


def debrief_with_revision(s, worker, reference: str, words: str, earlier: str, evidence: str):
    """A debrief with a changed free-text answer (so a revision) and a concern."""
    case = repository.get_or_create_case(s, reference, worker)
    debrief = repository.start_debrief(s, worker, case, f"sender-{worker.username}")
    repository.record_answer(s, debrief.id, "feelings_now", "text", earlier)
    repository.record_answer(s, debrief.id, "feelings_now", "text", words)
    repository.record_concern(s, debrief.id, "hostility", "free_text", evidence, "rule:h")
    repository.set_debrief_status(s, debrief.id, "completed")
    s.flush()
    return debrief
