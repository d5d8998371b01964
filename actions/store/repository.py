"""Repository functions: the only way the rest of the bot reads and writes the store.

Every function takes a ``Session`` first and never commits; callers own the
transaction (``with session_scope() as s:``). Functions flush, so ids exist and
constraint violations surface where they happen.

Logs carry ids only, never answers, evidence or case references: those are sensitive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from actions.store.models import (
    CONCERN_SOURCES,
    CONCERN_STATUSES,
    DEBRIEF_STATUSES,
    RESUMABLE_STATUSES,
    SHARED_CONCERN_STATUSES,
    Answer,
    AnswerRevision,
    Case,
    ChatIdentity,
    Concern,
    Debrief,
    Person,
    Visit,
    utc_now,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

EXPORT_FORMAT_VERSION = 1
MAX_REFERENCE_LENGTH = Case.__table__.c.reference.type.length


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class NotFound(StoreError, LookupError):
    pass


class PersonNotFound(NotFound):
    pass


class DebriefNotFound(NotFound):
    pass


class ConcernNotFound(NotFound):
    pass


class InvalidValue(StoreError, ValueError):
    """An argument the store refuses (unknown status, empty reference, ...)."""


# --- small helpers -----------------------------------------------------------------


def normalise_reference(reference: str) -> str:
    """The key two spellings of one case reference share: upper case, single spaces."""
    return " ".join(reference.split()).upper()


def _require_text(name: str, value: str | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"{name} must be a non-empty string")
    return value


def _require_choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidValue(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _insert_or_get(s: Session, new: T, find_existing: Callable[[], T | None]) -> T:
    """Insert ``new``; if a concurrent transaction inserted the same key, return theirs.

    The savepoint keeps the caller's transaction usable after the unique-key clash.
    """
    try:
        with s.begin_nested():
            s.add(new)
            s.flush()
        return new
    except IntegrityError:
        existing = find_existing()
        if existing is None:
            raise  # not a duplicate key: a real integrity problem
        logger.debug("Lost an insert race; using the row another transaction made")
        return existing


# --- people ------------------------------------------------------------------------


def get_person(s: Session, person_id: str) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise PersonNotFound(f"no person with id {person_id!r}")
    return person


def find_person_by_sender(s: Session, channel: str, sender_id: str) -> Person | None:
    """The person behind a chat sender, or None; never creates anyone."""
    identity = _find_identity(s, channel, sender_id)
    return identity.person if identity is not None else None


def _find_identity(s: Session, channel: str, sender_id: str) -> ChatIdentity | None:
    query = select(ChatIdentity).where(
        ChatIdentity.channel == channel, ChatIdentity.sender_id == sender_id
    )
    return s.execute(query).scalars().one_or_none()


def get_or_create_person_for_sender(s: Session, channel: str, sender_id: str) -> Person:
    """The person behind (channel, sender_id); a new worker the first time."""
    _require_text("channel", channel)
    _require_text("sender_id", sender_id)
    identity = _find_identity(s, channel, sender_id)
    if identity is not None:
        return identity.person
    person = Person(role="worker", active=True)
    new_identity = ChatIdentity(channel=channel, sender_id=sender_id, person=person)
    identity = _insert_or_get(s, new_identity, lambda: _find_identity(s, channel, sender_id))
    if identity is new_identity:
        logger.info("New person %s for a %s sender", person.id, channel)
    return identity.person


# --- cases and visits --------------------------------------------------------------


def _find_case(s: Session, owner_id: str, reference_key: str) -> Case | None:
    query = select(Case).where(Case.owner_id == owner_id, Case.reference_key == reference_key)
    return s.execute(query).scalars().one_or_none()


def get_or_create_case(s: Session, reference: str, owner: Person) -> Case:
    """The owner's case with this reference, matched ignoring case and spacing."""
    reference = _require_text("reference", reference).strip()
    if len(reference) > MAX_REFERENCE_LENGTH:
        # Refused here rather than by the database, which only some backends enforce.
        raise InvalidValue(f"reference is longer than {MAX_REFERENCE_LENGTH} characters")
    key = normalise_reference(reference)
    case = _find_case(s, owner.id, key)
    if case is not None:
        return case
    new_case = Case(reference=reference, reference_key=key, owner_id=owner.id)
    return _insert_or_get(s, new_case, lambda: _find_case(s, owner.id, key))


def _parse_visit_date(visit_date: date | str | None) -> date | None:
    """A date from a date or an ISO ``YYYY-MM-DD`` string (how date answers are kept)."""
    if visit_date is None:
        return None
    # datetime is a subclass of date; a timestamp is not a visit date.
    if isinstance(visit_date, date) and not isinstance(visit_date, datetime):
        return visit_date
    if isinstance(visit_date, str):
        try:
            return date.fromisoformat(visit_date.strip())
        except ValueError:
            pass
    raise InvalidValue(f"visit_date must be a date or YYYY-MM-DD; got {visit_date!r}")


def record_visit_details(
    s: Session,
    debrief_id: str,
    visit_date: date | str | None = None,
    visit_type: str | None = None,
) -> Visit:
    """Create the debrief's visit, or update it; arguments left as None keep their value."""
    debrief = get_debrief(s, debrief_id)
    parsed_date = _parse_visit_date(visit_date)
    visit = debrief.visit
    changed = visit is None
    if visit is None:
        if debrief.case_id is None:
            raise InvalidValue(f"debrief {debrief_id} has no case yet, so no visit")
        visit = Visit(case_id=debrief.case_id, created_at=utc_now())
        s.add(visit)
        debrief.visit = visit
    if parsed_date is not None and parsed_date != visit.visit_date:
        visit.visit_date = parsed_date
        changed = True
    if visit_type is not None and visit_type != visit.visit_type:
        visit.visit_type = visit_type
        changed = True
    if changed:
        debrief.updated_at = utc_now()
        s.flush()
    return visit


# --- debriefs ----------------------------------------------------------------------


def get_debrief(s: Session, debrief_id: str) -> Debrief:
    debrief = s.get(Debrief, debrief_id)
    if debrief is None:
        raise DebriefNotFound(f"no debrief with id {debrief_id!r}")
    return debrief


def start_debrief(s: Session, person: Person, case: Case | None, sender_id: str) -> Debrief:
    """A new in-progress debrief of ``person`` about their ``case``.

    ``case`` may be None: the debrief asks about the worker's safety before the case, and
    those answers are saved at once; ``set_debrief_case`` names the case later.
    """
    _require_text("sender_id", sender_id)
    if case is not None and case.owner_id != person.id:
        # Cases are private to the worker who named them.
        raise InvalidValue(f"case {case.id} does not belong to person {person.id}")
    now = utc_now()
    debrief = Debrief(
        person_id=person.id,
        case_id=case.id if case is not None else None,
        sender_id=sender_id,
        status="in_progress",
        started_at=now,
        updated_at=now,
    )
    s.add(debrief)
    s.flush()
    logger.info("Debrief %s started by person %s", debrief.id, person.id)
    return debrief


def set_debrief_case(s: Session, debrief_id: str, case: Case) -> Debrief:
    """Move a debrief to another of its worker's cases (the reference was corrected).

    The debrief's visit and concerns move with it, so nothing points at the old case.
    """
    debrief = get_debrief(s, debrief_id)
    if case.owner_id != debrief.person_id:
        raise InvalidValue(f"case {case.id} does not belong to person {debrief.person_id}")
    if debrief.case_id == case.id:
        return debrief
    debrief.case = case
    if debrief.visit is not None:
        debrief.visit.case = case
    for concern in debrief.concerns:
        concern.case = case
    debrief.updated_at = utc_now()
    s.flush()
    logger.info("Debrief %s moved to case %s", debrief.id, case.id)
    return debrief


def set_debrief_status(s: Session, debrief_id: str, status: str) -> Debrief:
    """Move a debrief to ``status``; setting the status it already has changes nothing."""
    _require_choice("status", status, DEBRIEF_STATUSES)
    debrief = get_debrief(s, debrief_id)
    if debrief.status == status:
        return debrief
    now = utc_now()
    debrief.status = status
    debrief.updated_at = now
    debrief.completed_at = now if status == "completed" else None
    s.flush()
    logger.info("Debrief %s is now %s", debrief.id, status)
    return debrief


def update_debrief_progress(s: Session, debrief_id: str, current_question: str | None) -> Debrief:
    """Remember which question the debrief is on, so a pause can resume there."""
    debrief = get_debrief(s, debrief_id)
    if debrief.current_question != current_question:
        debrief.current_question = current_question
        debrief.updated_at = utc_now()
        s.flush()
    return debrief


def latest_resumable_debrief(s: Session, person_id: str) -> Debrief | None:
    """The person's most recently updated debrief that is in progress or paused."""
    query = (
        select(Debrief)
        .where(Debrief.person_id == person_id, Debrief.status.in_(RESUMABLE_STATUSES))
        .order_by(Debrief.updated_at.desc(), Debrief.started_at.desc())
        .limit(1)
    )
    return s.execute(query).scalars().first()


# --- answers -----------------------------------------------------------------------


def _find_answer(s: Session, debrief_id: str, question_id: str) -> Answer | None:
    query = select(Answer).where(Answer.debrief_id == debrief_id, Answer.question_id == question_id)
    return s.execute(query).scalars().one_or_none()


def record_answer(
    s: Session,
    debrief_id: str,
    question_id: str,
    value: str | None,
    free_text: str | None = None,
) -> Answer:
    """Store the answer to a question; a changed answer keeps the old one as a revision.

    Idempotent: the same value and free text again writes nothing.
    """
    _require_text("question_id", question_id)
    debrief = get_debrief(s, debrief_id)
    answer = _find_answer(s, debrief_id, question_id)
    if answer is None:
        return _insert_answer(s, debrief, question_id, value, free_text)
    if answer.value == value and answer.free_text == free_text:
        return answer
    now = utc_now()
    s.add(
        AnswerRevision(
            answer_id=answer.id,
            previous_value=answer.value,
            previous_free_text=answer.free_text,
            replaced_at=now,
        )
    )
    answer.value = value
    answer.free_text = free_text
    answer.updated_at = now
    answer.shared_at = None  # a changed answer is private until shared again
    debrief.updated_at = now
    s.flush()
    logger.debug("Debrief %s: answer to %s changed", debrief_id, question_id)
    return answer


def _insert_answer(
    s: Session,
    debrief: Debrief,
    question_id: str,
    value: str | None,
    free_text: str | None,
) -> Answer:
    now = utc_now()
    new_answer = Answer(
        debrief_id=debrief.id,
        question_id=question_id,
        value=value,
        free_text=free_text,
        answered_at=now,
        updated_at=now,
    )
    answer = _insert_or_get(s, new_answer, lambda: _find_answer(s, debrief.id, question_id))
    if answer is not new_answer:
        # Someone else answered first; apply ours as a change so theirs is kept.
        return record_answer(s, debrief.id, question_id, value, free_text)
    debrief.updated_at = now
    s.flush()
    return answer


def get_answers(s: Session, debrief_id: str) -> dict[str, Answer]:
    """The debrief's current answers by question id."""
    get_debrief(s, debrief_id)
    query = select(Answer).where(Answer.debrief_id == debrief_id).order_by(Answer.answered_at)
    return {answer.question_id: answer for answer in s.execute(query).scalars()}


# --- concerns ----------------------------------------------------------------------


def _find_concern(s: Session, debrief_id: str, code: str, rule_id: str) -> Concern | None:
    query = select(Concern).where(
        Concern.debrief_id == debrief_id,
        Concern.code == code,
        Concern.rule_id == rule_id,
    )
    return s.execute(query).scalars().one_or_none()


def record_concern(
    s: Session,
    debrief_id: str,
    code: str,
    source: str,
    evidence: str,
    rule_id: str,
    urgent: bool = False,
    evidence_start: int | None = None,
    evidence_end: int | None = None,
) -> Concern:
    """Record a concern once per (debrief, code, rule); a repeat returns the first one."""
    _require_text("code", code)
    _require_text("rule_id", rule_id)
    _require_choice("source", source, CONCERN_SOURCES)
    if evidence is None:
        raise InvalidValue("evidence is required")
    debrief = get_debrief(s, debrief_id)
    existing = _find_concern(s, debrief_id, code, rule_id)
    if existing is not None:
        return existing
    now = utc_now()
    new_concern = Concern(
        debrief_id=debrief.id,
        case_id=debrief.case_id,
        code=code,
        source=source,
        rule_id=rule_id,
        evidence=evidence,
        evidence_start=evidence_start,
        evidence_end=evidence_end,
        urgent=bool(urgent),
        status="open",
        created_at=now,
        updated_at=now,
    )
    concern = _insert_or_get(s, new_concern, lambda: _find_concern(s, debrief_id, code, rule_id))
    if concern is new_concern:
        logger.info(
            "Debrief %s: concern %s raised (urgent=%s)",
            debrief_id,
            code,
            concern.urgent,
        )
    return concern


def list_concerns(s: Session, debrief_id: str) -> list[Concern]:
    """The debrief's concerns, urgent ones first, then in the order they were raised."""
    get_debrief(s, debrief_id)
    query = (
        select(Concern)
        .where(Concern.debrief_id == debrief_id)
        .order_by(Concern.urgent.desc(), Concern.created_at)
    )
    return list(s.execute(query).scalars())


def set_concern_status(
    s: Session, concern_id: str, status: str, worker_note: str | None = None
) -> Concern:
    """Move a concern to ``status``; a given ``worker_note`` replaces the old note."""
    _require_choice("status", status, CONCERN_STATUSES)
    concern = s.get(Concern, concern_id)
    if concern is None:
        raise ConcernNotFound(f"no concern with id {concern_id!r}")
    if concern.status == status and (worker_note is None or worker_note == concern.worker_note):
        return concern
    now = utc_now()
    _track_sharing(concern, status, now)
    concern.status = status
    if worker_note is not None and worker_note != concern.worker_note:
        concern.worker_note = worker_note
        concern.note_shared_at = None  # a new note is private until shared again
    concern.updated_at = now
    s.flush()
    return concern


def _track_sharing(concern: Concern, status: str, now: datetime) -> None:
    """Taking a concern to supervision shares it; taking it back (open, not applicable)
    withdraws it and its note. Supervision's own statuses keep it shared."""
    if status == "for_supervision" and concern.shared_at is None:
        concern.shared_at = now
    elif status not in SHARED_CONCERN_STATUSES:
        concern.shared_at = None
        concern.note_shared_at = None


# --- export ------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person_dict(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "username": person.username,
        "display_name": person.display_name,
        "email": person.email,
        "external_id": person.external_id,
        "role": person.role,
        "active": person.active,
        "deactivated_at": _iso(person.deactivated_at),
        "created_at": _iso(person.created_at),
        "chat_identities": [
            {
                "channel": identity.channel,
                "sender_id": identity.sender_id,
                "created_at": _iso(identity.created_at),
            }
            for identity in sorted(person.identities, key=lambda each: each.created_at)
        ],
    }


def _visit_dict(visit: Visit | None) -> dict[str, Any] | None:
    if visit is None:
        return None
    return {
        "id": visit.id,
        "visit_date": _iso(visit.visit_date),
        "visit_type": visit.visit_type,
        "created_at": _iso(visit.created_at),
    }


def _case_dict(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "created_at": _iso(case.created_at),
        "visits": [_visit_dict(visit) for visit in case.visits],
    }


def _answer_dict(answer: Answer) -> dict[str, Any]:
    return {
        "question_id": answer.question_id,
        "value": answer.value,
        "free_text": answer.free_text,
        "answered_at": _iso(answer.answered_at),
        "updated_at": _iso(answer.updated_at),
        "shared_at": _iso(answer.shared_at),
        "revisions": [
            {
                "previous_value": revision.previous_value,
                "previous_free_text": revision.previous_free_text,
                "replaced_at": _iso(revision.replaced_at),
            }
            for revision in answer.revisions
        ],
    }


def _concern_dict(concern: Concern) -> dict[str, Any]:
    return {
        "id": concern.id,
        "code": concern.code,
        "source": concern.source,
        "rule_id": concern.rule_id,
        "evidence": concern.evidence,
        "evidence_start": concern.evidence_start,
        "evidence_end": concern.evidence_end,
        "urgent": concern.urgent,
        "status": concern.status,
        "worker_note": concern.worker_note,
        "created_at": _iso(concern.created_at),
        "updated_at": _iso(concern.updated_at),
        "shared_at": _iso(concern.shared_at),
        "note_shared_at": _iso(concern.note_shared_at),
    }


def _debrief_dict(debrief: Debrief) -> dict[str, Any]:
    return {
        "id": debrief.id,
        "case_id": debrief.case_id,
        "case_reference": debrief.case.reference if debrief.case is not None else None,
        "sender_id": debrief.sender_id,
        "status": debrief.status,
        "started_at": _iso(debrief.started_at),
        "updated_at": _iso(debrief.updated_at),
        "completed_at": _iso(debrief.completed_at),
        "current_question": debrief.current_question,
        "impact_requested_at": _iso(debrief.impact_requested_at),
        "visit": _visit_dict(debrief.visit),
        "answers": [_answer_dict(answer) for answer in debrief.answers],
        "concerns": [_concern_dict(concern) for concern in debrief.concerns],
    }


def _load_person_for_export(s: Session, person_id: str) -> Person:
    query = (
        select(Person)
        .where(Person.id == person_id)
        .options(
            selectinload(Person.identities),
            selectinload(Person.cases).selectinload(Case.visits),
            selectinload(Person.debriefs)
            .selectinload(Debrief.answers)
            .selectinload(Answer.revisions),
            selectinload(Person.debriefs).selectinload(Debrief.concerns),
            selectinload(Person.debriefs).selectinload(Debrief.visit),
            selectinload(Person.debriefs).selectinload(Debrief.case),
        )
    )
    person = s.execute(query).scalars().one_or_none()
    if person is None:
        raise PersonNotFound(f"no person with id {person_id!r}")
    return person


def export_person(s: Session, person_id: str) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data (subject access)."""
    person = _load_person_for_export(s, person_id)
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(utc_now()),
        "person": _person_dict(person),
        "cases": [_case_dict(case) for case in person.cases],
        "debriefs": [_debrief_dict(debrief) for debrief in person.debriefs],
    }
