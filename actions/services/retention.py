"""Retention and erasure (what ``python -m actions.people purge`` and ``erase`` do).

``purge`` deletes, type by type (``retention_policy.RECORD_TYPES``), what is past its
period, in batches of one transaction each, so a large purge never holds the database
for long and an interrupted one keeps what it did; each type then writes one audit row
(counts only). ``dry_run`` counts instead and changes nothing.

``erase`` removes one person's content (``actions.store.retention.erase_person``), their
chat transcripts and the agenda files naming them, and writes an audit row (counts
only). Without confirmation,
``erasure_preview`` shows what would go, in a transaction that is rolled back.

``actor_id`` is the administrator acting; None means the command line, whose user
already has the server (and its database) in hand. Anyone else is refused.

The tracker store is another database (or at least another connection): its events go
first, in their own transaction, and the store's part after it, so an erasure that fails
half-way can simply be run again.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from actions.services.access import AccessDenied, PersonRef, require_administrator
from actions.services.retention_policy import RECORD_TYPES, RetentionPolicy, load_policy
from actions.settings import get_settings
from actions.store import audit, people, tracker
from actions.store import retention as store
from actions.store.db import get_sessionmaker, session_scope
from actions.store.models import UTC, Person, utc_now
from actions.store.repository import InvalidValue

logger = logging.getLogger(__name__)

# (record type, done so far, total); total 0: counting, the total is not known yet.
Progress = Callable[[str, int, int], None]
Report = Callable[[int], None]  # how many of one type are done so far
AGENDA_PATTERN = "agenda-*"
MIN_AGENDA_NAME = 3  # shorter names would match too much of an agenda


@dataclass(frozen=True)
class TypeReport:
    """One record type: what is due (dry run) or what was deleted."""

    record_type: str
    period_days: int | None
    cutoff: datetime | None
    count: int = 0
    oldest: datetime | None = None
    includes: Mapping[str, int] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class PurgeReport:
    dry_run: bool
    now: datetime
    policy_source: str
    types: tuple[TypeReport, ...]


@dataclass(frozen=True)
class ErasureReport:
    person_id: str
    name: str
    counts: Mapping[str, int]
    erased: bool  # False: a preview, nothing changed


def _no_progress(record_type: str, done: int, total: int) -> None:
    return None


def _operator(s: Session, actor_id: str | None) -> str | None:
    return require_administrator(s, actor_id).id if actor_id is not None else None


def _detail(counts: Mapping[str, int], **extra: object) -> str:
    """Counts only (and a cut-off date): never a name or a word of content."""
    parts = [f"{key}={value}" for key, value in extra.items() if value is not None]
    return " ".join(parts + [f"{key}={counts[key]}" for key in sorted(counts) if counts[key]])


def _selected(only: Iterable[str] | None) -> tuple[str, ...]:
    if not only:
        return RECORD_TYPES
    unknown = set(only) - set(RECORD_TYPES)
    if unknown:
        raise InvalidValue(f"no record type {', '.join(sorted(unknown))}")
    return tuple(name for name in RECORD_TYPES if name in set(only))


# --- what is due --------------------------------------------------------------------------


def _agenda_files(cutoff: datetime | None) -> list[Path]:
    folder = get_settings().agenda_dir
    if cutoff is None or not folder.is_dir():
        return []
    limit = cutoff.timestamp()
    return sorted(
        path
        for path in folder.glob(AGENDA_PATTERN)
        if path.is_file() and path.stat().st_mtime < limit
    )


def _due(record_type: str, policy: RetentionPolicy, now: datetime) -> store.Due | str:
    """What is due, or a note saying why nothing can be (no tracker store, ...)."""
    cutoff = policy.cutoff(record_type, now)
    if record_type == "chat_events":
        return _chat_events_due(cutoff)
    if record_type == "agenda_files":
        files = _agenda_files(cutoff)
        oldest = min((p.stat().st_mtime for p in files), default=None)
        return store.Due(len(files), _from_timestamp(oldest))
    with session_scope() as s:
        if record_type == "debriefs":
            return store.debriefs_due(s, cutoff, policy.cutoff("supervision_sessions", now))
        if record_type == "supervision_sessions":
            return store.sessions_due(s, cutoff)
        if record_type == "deactivated_people":
            return store.deactivated_due(s, cutoff)
        return store.audit_due(s, cutoff)


def _chat_events_due(cutoff: datetime | None) -> store.Due | str:
    with tracker.open_tracker(get_settings().tracker_database_url) as engine:
        if engine is None:
            return "no tracker store (no events table) found"
        if cutoff is None:
            return store.Due()
        with engine.connect() as connection:
            count, oldest = tracker.due(connection, cutoff)
    return store.Due(count, oldest)


def _from_timestamp(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


# --- deleting, type by type ---------------------------------------------------------------


def _batches(step: Callable[[], Counter], key: str, batch: int, report: Report) -> Counter:
    """Run ``step`` (one transaction) until a batch deletes fewer than ``batch`` items."""
    total = Counter()
    while True:
        counts = step()
        total += counts
        report(total[key])
        if counts[key] < batch:
            return total


def _purge_debriefs(
    policy: RetentionPolicy, now: datetime, batch: int, actor: str | None, report: Report
) -> Counter:
    cutoff = policy.cutoff("debriefs", now)
    sessions_cutoff = policy.cutoff("supervision_sessions", now)

    def step() -> Counter:
        with session_scope() as s:
            return store.purge_debriefs(s, cutoff, sessions_cutoff, batch)

    return _batches(step, "debriefs", batch, report)


def _purge_sessions(
    policy: RetentionPolicy, now: datetime, batch: int, actor: str | None, report: Report
) -> Counter:
    cutoff = policy.cutoff("supervision_sessions", now)
    debriefs_cutoff = policy.cutoff("debriefs", now)

    def step() -> Counter:
        with session_scope() as s:
            return store.purge_sessions(s, cutoff, debriefs_cutoff, batch)

    return _batches(step, "supervision_sessions", batch, report)


def _purge_audit(
    policy: RetentionPolicy, now: datetime, batch: int, actor: str | None, report: Report
) -> Counter:
    cutoff = policy.cutoff("audit_log", now)

    def step() -> Counter:
        with session_scope() as s:
            return Counter(audit_log=store.purge_audit(s, cutoff, batch))

    return _batches(step, "audit_log", batch, report)


def _purge_chat_events(
    policy: RetentionPolicy, now: datetime, batch: int, actor: str | None, report: Report
) -> Counter:
    cutoff = policy.cutoff("chat_events", now)
    with tracker.open_tracker(get_settings().tracker_database_url) as engine:
        if engine is None or cutoff is None:
            return Counter()

        def step() -> Counter:
            with engine.begin() as connection:
                return Counter(chat_events=tracker.delete_before(connection, cutoff, batch))

        return _batches(step, "chat_events", batch, report)


def _purge_agenda_files(
    policy: RetentionPolicy, now: datetime, batch: int, actor: str | None, report: Report
) -> Counter:
    files = _agenda_files(policy.cutoff("agenda_files", now))
    for done, path in enumerate(files, start=1):
        path.unlink(missing_ok=True)
        report(done)
    return Counter(agenda_files=len(files))


def _purge_deactivated(
    policy: RetentionPolicy, now: datetime, batch: int, actor: str | None, report: Report
) -> Counter:
    cutoff = policy.cutoff("deactivated_people", now)

    def step() -> Counter:
        with session_scope() as s:
            due = [p.id for p in store.deactivated_people_due(s, cutoff, batch)]
        for person_id in due:
            _erase(actor, person_id, now, reason="retention")
        return Counter(deactivated_people=len(due))

    return _batches(step, "deactivated_people", batch, report)


PURGERS = {
    "debriefs": _purge_debriefs,
    "supervision_sessions": _purge_sessions,
    "chat_events": _purge_chat_events,
    "agenda_files": _purge_agenda_files,
    "deactivated_people": _purge_deactivated,
    "audit_log": _purge_audit,
}


def _purge_type(
    record_type: str,
    policy: RetentionPolicy,
    now: datetime,
    batch: int,
    actor: str | None,
    due: store.Due,
    progress: Progress,
) -> TypeReport:
    def report(done: int) -> None:
        progress(record_type, min(done, due.count), due.count)

    counts = PURGERS[record_type](policy, now, batch, actor, report)
    deleted = counts.pop(record_type, 0)
    cutoff = policy.cutoff(record_type, now)
    with session_scope() as s:
        detail = _detail(
            counts, type=record_type, cutoff=cutoff.date() if cutoff else None, deleted=deleted
        )
        audit.record(s, actor, None, "data:purge", detail)
    logger.info("Purged %s: %s", record_type, detail)
    return TypeReport(
        record_type, policy.period(record_type), cutoff, deleted, due.oldest, dict(+counts)
    )


def _check_actor(actor_id: str | None) -> str | None:
    with session_scope() as s:
        return _operator(s, actor_id)


def purge(
    actor_id: str | None,
    *,
    dry_run: bool,
    now: datetime | None = None,
    only: Sequence[str] | None = None,
    batch_size: int | None = None,
    policy: RetentionPolicy | None = None,
    progress: Progress | None = None,
) -> PurgeReport:
    """Delete (or, with ``dry_run``, count) everything past its retention period."""
    policy = policy or load_policy()
    now = now or utc_now()
    progress = progress or _no_progress
    batch = batch_size or policy.batch_size
    if batch < 1:
        raise InvalidValue("the batch size must be at least 1")
    actor = _check_actor(actor_id)
    reports = []
    for record_type in _selected(only):
        progress(record_type, 0, 0)
        due = _due(record_type, policy, now)
        cutoff = policy.cutoff(record_type, now)
        if isinstance(due, str):
            reports.append(TypeReport(record_type, policy.period(record_type), cutoff, note=due))
        elif dry_run:
            reports.append(
                TypeReport(
                    record_type,
                    policy.period(record_type),
                    cutoff,
                    due.count,
                    due.oldest,
                    {k: v for k, v in due.includes.items() if v},
                )
            )
        else:
            reports.append(_purge_type(record_type, policy, now, batch, actor, due, progress))
    return PurgeReport(dry_run, now, policy.source, tuple(reports))


# --- erasure ------------------------------------------------------------------------------


def _target(s: Session, actor_id: str | None, handle: str) -> tuple[str | None, Person]:
    actor = _operator(s, actor_id)
    person = people.get_by_handle(s, handle)
    if actor is not None and actor == person.id:
        raise AccessDenied("you cannot erase yourself; ask another administrator")
    return actor, person


def _delete_conversations(conversations: set[str]) -> int:
    with tracker.open_tracker(get_settings().tracker_database_url) as engine:
        if engine is None or not conversations:
            return 0
        with engine.begin() as connection:
            return tracker.delete_for(connection, conversations)


def _count_conversations(conversations: set[str]) -> int:
    with tracker.open_tracker(get_settings().tracker_database_url) as engine:
        if engine is None or not conversations:
            return 0
        with engine.connect() as connection:
            return tracker.count_for(connection, conversations)


def _names(person: Person) -> set[str]:
    """How an agenda file names the person (its HTML escapes names)."""
    if person.erased_at is not None:
        return set()
    found = {PersonRef.of(person).name, person.display_name or "", person.username or ""}
    found |= {html.escape(name) for name in found}
    return {name for name in found if len(name) >= MIN_AGENDA_NAME}


def _agendas_naming(names: set[str]) -> list[Path]:
    """Agenda files (HTML, and the PDF of the same name) whose HTML names the person."""
    folder = get_settings().agenda_dir
    if not names or not folder.is_dir():
        return []
    found: list[Path] = []
    for page in sorted(folder.glob(f"{AGENDA_PATTERN}.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if any(name in text for name in names):
            found += [path for path in (page, page.with_suffix(".pdf")) if path.exists()]
    return found


def _erase(
    actor_id: str | None, handle: str, now: datetime, reason: str = "request"
) -> ErasureReport:
    with session_scope() as s:
        _actor, person = _target(s, actor_id, handle)
        conversations, names = store.sender_ids(s, person), _names(person)
    chat_events = _delete_conversations(conversations)
    agendas = _agendas_naming(names)
    for path in agendas:
        path.unlink(missing_ok=True)
    with session_scope() as s:
        actor, person = _target(s, actor_id, handle)
        name = PersonRef.of(person).name
        counts = store.erase_person(s, person, now)
        counts.update(chat_events=chat_events, agenda_files=len(agendas))
        audit.record(s, actor, person.id, "data:erase", _detail(counts, reason=reason))
        return ErasureReport(person.id, name, dict(+counts), erased=True)


def erase(actor_id: str | None, handle: str, now: datetime | None = None) -> ErasureReport:
    """Erase one person's data (username or id); see ``store.retention.erase_person``."""
    return _erase(actor_id, handle, now or utc_now())


def erasure_preview(actor_id: str | None, handle: str) -> ErasureReport:
    """What ``erase`` would remove; the work is done in a transaction rolled back."""
    with get_sessionmaker()() as s:
        transaction = s.begin()
        try:
            _actor, person = _target(s, actor_id, handle)
            name, names = PersonRef.of(person).name, _names(person)
            person_id, conversations = person.id, store.sender_ids(s, person)
            counts = store.erase_person(s, person, utc_now())
        finally:
            transaction.rollback()
    counts["chat_events"] = _count_conversations(conversations)
    counts["agenda_files"] = len(_agendas_naming(names))
    return ErasureReport(person_id, name, dict(+counts), erased=False)
