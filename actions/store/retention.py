"""Deleting what is past its retention period, and erasing one person (store functions:
take a session, never commit; ``actions.services.retention`` owns the transactions).

Deletes are bulk statements, children first, so they work with foreign keys enforced.
A cut-off of None means the type is kept for good: nothing of it is due.

Erasure keeps the person's row, emptied of everything identifying and marked
``erased_at``, so the audit trail (ids only) and what others still need (a supervision
session's agreed action the person owned, say) keep pointing somewhere.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, delete, false, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from actions.store.models import (
    UTC,
    AgreedAction,
    Answer,
    AnswerRevision,
    AuditEntry,
    Case,
    ChatIdentity,
    Concern,
    Debrief,
    Person,
    SessionConcern,
    SupervisionNote,
    SupervisionSession,
    SupervisorAssignment,
    TeamMember,
    Visit,
)

logger = logging.getLogger(__name__)

AUDIT = AuditEntry.__table__  # Core: the ORM refuses to delete audit rows, on purpose
ERASED_NAME = "[erased person]"
MIN_NAME_WORD = 2


@dataclass(frozen=True)
class Due:
    """What of one type is past its period: how many, the oldest date, and the rows
    that go with them (answers of debriefs, notes of sessions, ...)."""

    count: int = 0
    oldest: datetime | None = None
    includes: dict[str, int] = field(default_factory=dict)


def _delete(s: Session, model, *conditions: ColumnElement) -> int:
    statement = delete(model).where(*conditions).execution_options(synchronize_session=False)
    return s.execute(statement).rowcount or 0


def _count(s: Session, query: Select) -> int:
    return s.execute(select(func.count()).select_from(query.subquery())).scalar_one()


# --- debriefs (with answers, revisions, concerns, visits) and cases ---------------------


def _debrief_is_due(cutoff: datetime | None) -> ColumnElement:
    return false() if cutoff is None else Debrief.updated_at < cutoff


def _session_is_due(cutoff: datetime | None) -> ColumnElement:
    if cutoff is None:
        return false()
    return func.coalesce(SupervisionSession.completed_at, SupervisionSession.started_at) < cutoff


def delete_debriefs(s: Session, debrief_ids: Collection[str]) -> Counter:
    """Delete these debriefs with everything hanging off them; counts per table."""
    if not debrief_ids:
        return Counter()
    answers = select(Answer.id).where(Answer.debrief_id.in_(debrief_ids))
    concerns = select(Concern.id).where(Concern.debrief_id.in_(debrief_ids))
    visit_ids = list(
        s.execute(
            select(Debrief.visit_id).where(
                Debrief.id.in_(debrief_ids), Debrief.visit_id.is_not(None)
            )
        ).scalars()
    )
    counts = Counter()
    counts["answer_revisions"] = _delete(s, AnswerRevision, AnswerRevision.answer_id.in_(answers))
    counts["answers"] = _delete(s, Answer, Answer.debrief_id.in_(debrief_ids))
    counts["session_concerns"] = _delete(s, SessionConcern, SessionConcern.concern_id.in_(concerns))
    counts["concerns"] = _delete(s, Concern, Concern.debrief_id.in_(debrief_ids))
    counts["debriefs"] = _delete(s, Debrief, Debrief.id.in_(debrief_ids))
    still_used = select(Debrief.id).where(Debrief.visit_id == Visit.id).exists()
    counts["visits"] = _delete(s, Visit, Visit.id.in_(visit_ids), ~still_used)
    return counts


def _unused_case(debrief_cutoff: datetime | None, session_cutoff: datetime | None):
    """A case nothing kept refers to (once due debriefs and sessions have gone)."""
    kept_sessions = select(SupervisionSession.id).where(~_session_is_due(session_cutoff))
    kept_debriefs = select(Debrief.id).where(~_debrief_is_due(debrief_cutoff))
    return and_(
        ~select(Debrief.id)
        .where(Debrief.case_id == Case.id, Debrief.id.in_(kept_debriefs))
        .exists(),
        ~select(Concern.id)
        .where(Concern.case_id == Case.id, Concern.debrief_id.in_(kept_debriefs))
        .exists(),
        ~select(SupervisionNote.id)
        .where(SupervisionNote.case_id == Case.id, SupervisionNote.session_id.in_(kept_sessions))
        .exists(),
        ~select(AgreedAction.id)
        .where(AgreedAction.case_id == Case.id, AgreedAction.session_id.in_(kept_sessions))
        .exists(),
    )


def _cases_due(debrief_cutoff: datetime | None, session_cutoff: datetime | None) -> Select:
    if debrief_cutoff is None:
        return select(Case.id).where(false())
    return select(Case.id).where(
        Case.created_at < debrief_cutoff, _unused_case(debrief_cutoff, session_cutoff)
    )


def delete_cases(s: Session, case_ids: Collection[str]) -> Counter:
    """Delete these cases and their visits; anything kept that named them loses the link."""
    if not case_ids:
        return Counter()
    for model in (SupervisionNote, AgreedAction):
        s.execute(
            update(model)
            .where(model.case_id.in_(case_ids))
            .values(case_id=None)
            .execution_options(synchronize_session=False)
        )
    still_used = select(Debrief.id).where(Debrief.visit_id == Visit.id).exists()
    counts = Counter()
    counts["visits"] = _delete(s, Visit, Visit.case_id.in_(case_ids), ~still_used)
    counts["cases"] = _delete(s, Case, Case.id.in_(case_ids))
    return counts


def debriefs_due(
    s: Session, cutoff: datetime | None, session_cutoff: datetime | None = None
) -> Due:
    due = select(Debrief.id).where(_debrief_is_due(cutoff))
    oldest = s.execute(select(func.min(Debrief.updated_at)).where(_debrief_is_due(cutoff)))
    answers = select(Answer.id).where(Answer.debrief_id.in_(due))
    includes = {
        "answers": _count(s, answers),
        "answer_revisions": _count(
            s, select(AnswerRevision.id).where(AnswerRevision.answer_id.in_(answers))
        ),
        "concerns": _count(s, select(Concern.id).where(Concern.debrief_id.in_(due))),
        "cases": _count(s, _cases_due(cutoff, session_cutoff)),
    }
    return Due(_count(s, due), oldest.scalar_one(), includes)


def purge_debriefs(
    s: Session, cutoff: datetime | None, session_cutoff: datetime | None, limit: int
) -> Counter:
    """Delete up to ``limit`` due debriefs (oldest first); with the last batch, the cases
    nothing refers to any more. Returns counts per table (``debriefs`` 0: done)."""
    query = (
        select(Debrief.id)
        .where(_debrief_is_due(cutoff))
        .order_by(Debrief.updated_at, Debrief.id)
        .limit(limit)
    )
    counts = delete_debriefs(s, list(s.execute(query).scalars()))
    if counts["debriefs"] < limit:
        counts += purge_unused_cases(s, cutoff, session_cutoff)
    return counts


def purge_unused_cases(
    s: Session, debrief_cutoff: datetime | None, session_cutoff: datetime | None
) -> Counter:
    case_ids = list(s.execute(_cases_due(debrief_cutoff, session_cutoff)).scalars())
    return delete_cases(s, case_ids)


# --- supervision sessions (with notes, concern outcomes, agreed actions) --------------


def delete_sessions(s: Session, session_ids: Collection[str]) -> Counter:
    if not session_ids:
        return Counter()
    counts = Counter()
    counts["supervision_notes"] = _delete(
        s, SupervisionNote, SupervisionNote.session_id.in_(session_ids)
    )
    counts["session_concerns"] = _delete(
        s, SessionConcern, SessionConcern.session_id.in_(session_ids)
    )
    counts["agreed_actions"] = _delete(s, AgreedAction, AgreedAction.session_id.in_(session_ids))
    counts["supervision_sessions"] = _delete(
        s, SupervisionSession, SupervisionSession.id.in_(session_ids)
    )
    return counts


def sessions_due(s: Session, cutoff: datetime | None) -> Due:
    due = select(SupervisionSession.id).where(_session_is_due(cutoff))
    moment = func.coalesce(SupervisionSession.completed_at, SupervisionSession.started_at)
    oldest = s.execute(select(func.min(moment)).where(_session_is_due(cutoff))).scalar_one()
    includes = {
        "supervision_notes": _count(
            s, select(SupervisionNote.id).where(SupervisionNote.session_id.in_(due))
        ),
        "agreed_actions": _count(
            s, select(AgreedAction.id).where(AgreedAction.session_id.in_(due))
        ),
    }
    return Due(_count(s, due), _as_utc(oldest), includes)


def purge_sessions(
    s: Session, cutoff: datetime | None, debrief_cutoff: datetime | None, limit: int
) -> Counter:
    """Delete up to ``limit`` due sessions (oldest first); with the last batch, the cases
    only those sessions referred to."""
    query = (
        select(SupervisionSession.id)
        .where(_session_is_due(cutoff))
        .order_by(SupervisionSession.started_at, SupervisionSession.id)
        .limit(limit)
    )
    counts = delete_sessions(s, list(s.execute(query).scalars()))
    if counts["supervision_sessions"] < limit:
        counts += purge_unused_cases(s, debrief_cutoff, cutoff)
    return counts


# --- the audit log ----------------------------------------------------------------------


def audit_due(s: Session, cutoff: datetime | None) -> Due:
    if cutoff is None:
        return Due()
    where = AUDIT.c.at < cutoff
    count = s.execute(select(func.count()).select_from(AUDIT).where(where)).scalar_one()
    oldest = s.execute(select(func.min(AUDIT.c.at)).where(where)).scalar_one()
    return Due(count, oldest)


def purge_audit(s: Session, cutoff: datetime | None, limit: int) -> int:
    """Delete up to ``limit`` audit rows older than ``cutoff``: the only deletion of audit
    rows there is (the ORM refuses any other)."""
    if cutoff is None:
        return 0
    query = select(AUDIT.c.id).where(AUDIT.c.at < cutoff).order_by(AUDIT.c.at).limit(limit)
    ids = list(s.execute(query).scalars())
    if not ids:
        return 0
    return s.execute(AUDIT.delete().where(AUDIT.c.id.in_(ids))).rowcount or 0


# --- people -----------------------------------------------------------------------------


def _deactivated_due(cutoff: datetime | None) -> ColumnElement:
    if cutoff is None:
        return false()
    return and_(
        Person.active.is_(False), Person.erased_at.is_(None), Person.deactivated_at < cutoff
    )


def deactivated_due(s: Session, cutoff: datetime | None) -> Due:
    where = _deactivated_due(cutoff)
    count = _count(s, select(Person.id).where(where))
    oldest = s.execute(select(func.min(Person.deactivated_at)).where(where)).scalar_one()
    return Due(count, _as_utc(oldest))


def deactivated_people_due(s: Session, cutoff: datetime | None, limit: int) -> list[Person]:
    query = (
        select(Person)
        .where(_deactivated_due(cutoff))
        .order_by(Person.deactivated_at, Person.id)
        .limit(limit)
    )
    return list(s.execute(query).scalars())


def sender_ids(s: Session, person: Person) -> set[str]:
    """Every conversation id the person may have chatted under: their chat identities,
    their debriefs' senders, and their id / external id (token channels use those)."""
    found = set(
        s.execute(select(ChatIdentity.sender_id).where(ChatIdentity.person_id == person.id))
        .scalars()
        .all()
    )
    found.update(
        s.execute(select(Debrief.sender_id).where(Debrief.person_id == person.id)).scalars()
    )
    found.update(value for value in (person.id, person.external_id) if value)
    return found


def _erase_as_worker(s: Session, person_id: str) -> Counter:
    """The person's own supervision: notes and outcomes go, and so do the actions they
    owned; an action someone else owns stays for them (without its case), and so does
    the bare session it belongs to."""
    sessions = select(SupervisionSession.id).where(SupervisionSession.worker_id == person_id)
    counts = Counter()
    counts["supervision_notes"] = _delete(
        s, SupervisionNote, SupervisionNote.session_id.in_(sessions)
    )
    counts["session_concerns"] = _delete(s, SessionConcern, SessionConcern.session_id.in_(sessions))
    counts["agreed_actions"] = _delete(
        s, AgreedAction, AgreedAction.session_id.in_(sessions), AgreedAction.owner_id == person_id
    )
    has_action = select(AgreedAction.id).where(AgreedAction.session_id == SupervisionSession.id)
    counts["supervision_sessions"] = _delete(
        s,
        SupervisionSession,
        SupervisionSession.worker_id == person_id,
        ~has_action.exists(),
    )
    return counts


def _erase_as_supervisor(s: Session, person_id: str) -> Counter:
    """Sessions the person ran stay the worker's record, without the notes the person
    wrote; actions they owned stay, owned by the (now anonymous) erased person."""
    sessions = select(SupervisionSession.id).where(SupervisionSession.supervisor_id == person_id)
    return Counter(
        supervision_notes=_delete(s, SupervisionNote, SupervisionNote.session_id.in_(sessions))
    )


def name_pattern(person: Person) -> re.Pattern | None:
    """The person's full name, username and email (any case), and each word of their
    name as written (capitalised: "Will", not "will"), as whole words."""
    exact = [v for v in (person.display_name, person.username, person.email) if v]
    words = [w for w in (person.display_name or "").split() if len(w) >= MIN_NAME_WORD]
    if not exact:
        return None
    by_length = sorted(map(re.escape, set(exact)), key=len, reverse=True)
    either = f"(?i:{'|'.join(by_length)})"
    if words:
        either += "|" + "|".join(sorted(map(re.escape, set(words)), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)")


def _anonymise_kept_actions(s: Session, person: Person) -> int:
    """Actions kept for others: the person's name goes from their words; an action the
    person owned stays owned by the erased (anonymous) person."""
    pattern = name_pattern(person)
    involved = select(SupervisionSession.id).where(
        (SupervisionSession.worker_id == person.id)
        | (SupervisionSession.supervisor_id == person.id)
    )
    query = select(AgreedAction).where(
        (AgreedAction.owner_id == person.id) | AgreedAction.session_id.in_(involved)
    )
    touched = 0
    for action in s.execute(query).scalars():
        text = pattern.sub(ERASED_NAME, action.text) if pattern else action.text
        if text != action.text or action.owner_id == person.id:
            action.text = text
            touched += 1
    s.flush()
    return touched


def _end_assignments(s: Session, person_id: str, now: datetime) -> None:
    for column in (SupervisorAssignment.worker_id, SupervisorAssignment.supervisor_id):
        s.execute(
            update(SupervisorAssignment)
            .where(column == person_id, SupervisorAssignment.ended_at.is_(None))
            .values(ended_at=now)
            .execution_options(synchronize_session=False)
        )


def _blank(person: Person, now: datetime) -> None:
    person.username = person.display_name = person.email = person.external_id = None
    person.active = False
    person.deactivated_at = person.deactivated_at or now
    person.erased_at = now


def erase_person(s: Session, person: Person, now: datetime) -> Counter:
    """Remove the person's content and identifying details; counts per table."""
    debriefs = select(Debrief.id).where(Debrief.person_id == person.id)
    counts = delete_debriefs(s, list(s.execute(debriefs).scalars()))
    counts += _erase_as_worker(s, person.id)
    counts += _erase_as_supervisor(s, person.id)
    counts["agreed_actions_kept_anonymised"] = _anonymise_kept_actions(s, person)
    cases = list(s.execute(select(Case.id).where(Case.owner_id == person.id)).scalars())
    counts += delete_cases(s, cases)
    counts["chat_identities"] = _delete(s, ChatIdentity, ChatIdentity.person_id == person.id)
    counts["team_memberships"] = _delete(s, TeamMember, TeamMember.person_id == person.id)
    _end_assignments(s, person.id, now)
    s.expire_all()  # the bulk statements went around the identity map
    _blank(person, now)
    s.flush()
    logger.info("Person %s erased", person.id)
    return +counts  # only what was there


def _as_utc(value: datetime | None) -> datetime | None:
    """A min() over coalesce() may come back naive from SQLite; the store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
