"""The audit log: one row for every read of someone else's records, and every change to
people. Append-only: the model refuses updates and deletes (``AuditLogIsAppendOnly``).

Rows hold ids and the kind of read, never case content.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.store.models import AuditEntry, utc_now

MAX_ACTION_LENGTH = AuditEntry.__table__.c.action.type.length


def record(
    s: Session,
    actor_id: str | None,
    subject_id: str | None,
    action: str,
    detail: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor_id,
        subject_id=subject_id,
        action=action[:MAX_ACTION_LENGTH],
        detail=detail,
        at=utc_now(),
    )
    s.add(entry)
    s.flush()
    return entry


def entries(
    s: Session,
    subject_id: str | None = None,
    actor_id: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    until: datetime | None = None,
) -> list[AuditEntry]:
    """Audit rows, newest first, optionally about one subject or by one actor, and
    from ``since`` (included) to ``until`` (excluded)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id)
    if subject_id is not None:
        query = query.where(AuditEntry.subject_id == subject_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if limit is not None:
        query = query.limit(limit)
    return list(s.execute(query).scalars())
