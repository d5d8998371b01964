"""Who may see what.

- A worker sees only their own records.
- A supervisor sees only what their *current* supervisees shared (never private answers).
- An administrator manages people and reads the audit log, but never reads case content.
- Someone deactivated has no access at all.

Every read of someone else's records writes an audit row (``audit_read``), in the same
transaction as the read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from actions.store import audit, people
from actions.store.db import session_scope
from actions.store.models import Debrief, Person
from actions.store.repository import StoreError

logger = logging.getLogger(__name__)

DEFAULT_AUDIT_LIMIT = 200


class AccessDenied(StoreError, PermissionError):
    """The acting person may not do this."""


class ActorDeactivated(AccessDenied):
    pass


@dataclass(frozen=True)
class PersonRef:
    id: str
    username: str | None
    display_name: str | None
    role: str
    active: bool
    erased: bool = False

    @property
    def name(self) -> str:
        if self.erased:
            return "an erased person"
        return self.display_name or self.username or f"worker {self.id[:8]}"

    @classmethod
    def of(cls, person: Person) -> PersonRef:
        return cls(
            person.id,
            person.username,
            person.display_name,
            person.role,
            person.active,
            person.erased_at is not None,
        )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str  # a name, or "command line"
    subject: str | None
    action: str
    detail: str | None


def acting_person(s: Session, actor_id: str, *roles: str) -> Person:
    """The active person acting, with one of ``roles`` when any are given."""
    person = s.get(Person, actor_id) if actor_id else None
    if person is None:
        raise AccessDenied("unknown acting person")
    if not person.active:
        logger.warning("Deactivated person %s refused", person.id)
        raise ActorDeactivated(f"{PersonRef.of(person).name} is deactivated")
    if roles and person.role not in roles:
        wanted = " or ".join(f"{'an' if r[0] in 'aeiou' else 'a'} {r}" for r in roles)
        raise AccessDenied(f"{PersonRef.of(person).name} is not {wanted}")
    return person


def require_supervisor_of(s: Session, supervisor_id: str, worker_id: str) -> tuple[Person, Person]:
    """The supervisor and the worker, when the worker is their current supervisee."""
    supervisor = acting_person(s, supervisor_id, "supervisor")
    worker = s.get(Person, worker_id) if worker_id else None
    if worker is None or not people.is_current_supervisor(s, supervisor.id, worker.id):
        logger.warning(
            "Person %s refused records of %s: not their supervisee", supervisor_id, worker_id
        )
        raise AccessDenied("that worker is not one of your current supervisees")
    return supervisor, worker


def require_administrator(s: Session, actor_id: str) -> Person:
    return acting_person(s, actor_id, "administrator")


def require_own(actor: Person, owner_id: str, what: str) -> None:
    if actor.id != owner_id:
        logger.warning("Person %s refused another person's %s", actor.id, what)
        raise AccessDenied(f"that {what} is not yours")


def own_debrief(s: Session, actor_id: str, debrief_id: str) -> tuple[Person, Debrief]:
    actor = acting_person(s, actor_id)
    debrief = s.get(Debrief, debrief_id) if debrief_id else None
    if debrief is None:
        raise AccessDenied("no such debrief of yours")
    require_own(actor, debrief.person_id, "debrief")
    return actor, debrief


def audit_read(s: Session, actor: Person, subject_id: str, what: str, detail: str | None = None):
    """Record a read of ``subject_id``'s records by ``actor`` (nothing for one's own)."""
    if actor.id != subject_id:
        audit.record(s, actor.id, subject_id, f"read:{what}", detail)


def _name(s: Session, person_id: str | None, default: str | None) -> str | None:
    person = s.get(Person, person_id) if person_id else None
    return PersonRef.of(person).name if person is not None else default


def list_audit_log(
    actor_id: str,
    subject_id: str | None = None,
    limit: int = DEFAULT_AUDIT_LIMIT,
    *,
    by: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditRow]:
    """The audit log, newest first (administrators only): optionally only rows about
    ``subject_id``, by the person ``by``, from ``since`` (included) to ``until``
    (excluded)."""
    with session_scope() as s:
        admin = require_administrator(s, actor_id)
        audit.record(s, admin.id, subject_id, "read:audit_log")
        found = audit.entries(
            s, subject_id=subject_id, actor_id=by, since=since, until=until, limit=limit
        )
        return [
            AuditRow(
                at=entry.at,
                actor=_name(s, entry.actor_id, "command line"),
                subject=_name(s, entry.subject_id, None),
                action=entry.action,
                detail=entry.detail,
            )
            for entry in found
        ]
