"""Tables of the supervision store (SQLAlchemy 1.4 declarative, 2.0 style).

Every primary key is a random UUID string, so ids can leave the database (exports,
logs) without revealing how many records exist. Every timestamp is a UTC-aware
datetime, whatever the backend stores.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

# Explicit names for every constraint, so migrations (and SQLite batch mode, which
# rebuilds tables) can refer to them by a name that is the same on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

ROLES = ("worker", "supervisor", "administrator")
DEBRIEF_STATUSES = ("in_progress", "paused", "completed", "stopped")
RESUMABLE_STATUSES = ("in_progress", "paused")
CONCERN_SOURCES = ("structured", "free_text", "pattern")
CONCERN_STATUSES = ("open", "for_supervision", "not_applicable", "discussed", "closed")
# A concern the worker shared stays shared while supervision works on it.
SHARED_CONCERN_STATUSES = ("for_supervision", "discussed", "closed")
SESSION_STATUSES = ("open", "completed")
SESSION_CONCERN_OUTCOMES = ("discussed", "closed", "carried_forward")
ACTION_STATUSES = ("open", "done", "carried_forward", "closed")
OPEN_ACTION_STATUSES = ("open", "carried_forward")

UUID_LENGTH = 36

# datetime.UTC only exists from Python 3.11; the action server runs on 3.10.
UTC = timezone.utc  # noqa: UP017


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL text for a CHECK that ``column`` holds one of ``values``."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime that always comes back in UTC.

    SQLite drops the offset on write, so values are converted to UTC before they are
    stored and marked as UTC when read. Naive datetimes are refused: their meaning is
    ambiguous, and accepting them is how local times sneak in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use a timezone-aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _id_column() -> Column:
    return Column(String(UUID_LENGTH), primary_key=True, default=new_id)


def _foreign_id(target: str, nullable: bool = False) -> Column:
    return Column(String(UUID_LENGTH), ForeignKey(target), nullable=nullable)


def _created_at() -> Column:
    return Column(UTCDateTime(), nullable=False, default=utc_now)


class Person(Base):
    """Someone who uses the assistant; separate from the chat ids they write from."""

    __tablename__ = "people"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id = _id_column()
    # A short handle such as "sam.k", lower case; null for people enrolled by a chat.
    username = Column(String(64), nullable=True, unique=True)
    display_name = Column(String(200), nullable=True)
    email = Column(String(254), nullable=True)
    # The verified subject of a token channel (OIDC subject, Azure AD object id).
    external_id = Column(String(255), nullable=True, unique=True)
    role = Column(String(20), nullable=False, default="worker")
    active = Column(Boolean, nullable=False, default=True)
    deactivated_at = Column(UTCDateTime(), nullable=True)
    # Set when the person's data was erased (on request or by retention): the row stays,
    # without anything identifying, so the audit trail and others' records still hold.
    erased_at = Column(UTCDateTime(), nullable=True)
    created_at = _created_at()

    identities = relationship("ChatIdentity", back_populates="person")
    memberships = relationship("TeamMember", back_populates="person")
    cases = relationship("Case", back_populates="owner", order_by="Case.created_at")
    debriefs = relationship("Debrief", back_populates="person", order_by="Debrief.started_at")


class ChatIdentity(Base):
    """One (channel, sender id) pair a person writes from."""

    __tablename__ = "chat_identities"
    __table_args__ = (
        UniqueConstraint("channel", "sender_id"),
        Index("ix_chat_identities_person_id", "person_id"),
    )

    id = _id_column()
    channel = Column(String(50), nullable=False)
    sender_id = Column(String(255), nullable=False)
    person_id = _foreign_id("people.id")
    created_at = _created_at()

    person = relationship("Person", back_populates="identities")


class Case(Base):
    """A pseudonymous case reference, owned by the worker who typed it."""

    __tablename__ = "cases"
    # The unique constraint leads with owner_id, so it also serves "cases of a person".
    __table_args__ = (UniqueConstraint("owner_id", "reference_key"),)

    id = _id_column()
    reference = Column(String(100), nullable=False)
    # Upper-cased, whitespace-collapsed reference: "ab 12" and "AB  12" are one case.
    reference_key = Column(String(100), nullable=False)
    owner_id = _foreign_id("people.id")
    created_at = _created_at()

    owner = relationship("Person", back_populates="cases")
    visits = relationship("Visit", back_populates="case", order_by="Visit.created_at")


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_case_id", "case_id"),)

    id = _id_column()
    case_id = _foreign_id("cases.id")
    visit_date = Column(Date, nullable=True)
    visit_type = Column(String(50), nullable=True)
    created_at = _created_at()

    case = relationship("Case", back_populates="visits")


class Debrief(Base):
    """One reflective debrief of a worker about a case (and usually one visit)."""

    __tablename__ = "debriefs"
    __table_args__ = (
        CheckConstraint(_one_of("status", DEBRIEF_STATUSES), name="status"),
        Index("ix_debriefs_person_id_status", "person_id", "status"),
        Index("ix_debriefs_case_id", "case_id"),
    )

    id = _id_column()
    person_id = _foreign_id("people.id")
    # Null until the worker names the case: the debrief asks about their safety first.
    case_id = _foreign_id("cases.id", nullable=True)
    visit_id = _foreign_id("visits.id", nullable=True)
    sender_id = Column(String(255), nullable=False)
    status = Column(String(20), nullable=False, default="in_progress")
    started_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    updated_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    completed_at = Column(UTCDateTime(), nullable=True)
    # Where a paused debrief stopped, so resuming can start from that question.
    current_question = Column(Text, nullable=True)
    # When the worker asked to talk in supervision about the impact of the work on them.
    impact_requested_at = Column(UTCDateTime(), nullable=True)

    person = relationship("Person", back_populates="debriefs")
    case = relationship("Case")
    visit = relationship("Visit")
    answers = relationship("Answer", back_populates="debrief", order_by="Answer.answered_at")
    concerns = relationship("Concern", back_populates="debrief", order_by="Concern.created_at")


class Answer(Base):
    """The current answer to one question of one debrief."""

    __tablename__ = "answers"
    # The unique constraint leads with debrief_id, so it is also the "answers of a
    # debrief" index; a separate index would only duplicate it.
    __table_args__ = (UniqueConstraint("debrief_id", "question_id"),)

    id = _id_column()
    debrief_id = _foreign_id("debriefs.id")
    question_id = Column(String(100), nullable=False)
    value = Column(Text, nullable=True)
    free_text = Column(Text, nullable=True)
    answered_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    updated_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    # Set when the worker shares this answer with their supervisor; null: private.
    shared_at = Column(UTCDateTime(), nullable=True)

    debrief = relationship("Debrief", back_populates="answers")
    revisions = relationship(
        "AnswerRevision", back_populates="answer", order_by="AnswerRevision.replaced_at"
    )


class AnswerRevision(Base):
    """An answer as it was before it was changed: nothing a worker said is lost."""

    __tablename__ = "answer_revisions"
    __table_args__ = (Index("ix_answer_revisions_answer_id", "answer_id"),)

    id = _id_column()
    answer_id = _foreign_id("answers.id")
    previous_value = Column(Text, nullable=True)
    previous_free_text = Column(Text, nullable=True)
    replaced_at = Column(UTCDateTime(), nullable=False, default=utc_now)

    answer = relationship("Answer", back_populates="revisions")


class Concern(Base):
    """A possible concern raised during a debrief, for the worker and supervision."""

    __tablename__ = "concerns"
    __table_args__ = (
        UniqueConstraint("debrief_id", "code", "rule_id"),
        CheckConstraint(_one_of("source", CONCERN_SOURCES), name="source"),
        CheckConstraint(_one_of("status", CONCERN_STATUSES), name="status"),
        Index("ix_concerns_case_id_status", "case_id", "status"),
    )

    id = _id_column()
    debrief_id = _foreign_id("debriefs.id")
    case_id = _foreign_id("cases.id", nullable=True)  # as the debrief's
    code = Column(String(100), nullable=False)
    source = Column(String(20), nullable=False)
    rule_id = Column(String(200), nullable=False)
    evidence = Column(Text, nullable=False)
    # Character offsets of the evidence inside the worker's free text, when it came
    # from free text.
    evidence_start = Column(Integer, nullable=True)
    evidence_end = Column(Integer, nullable=True)
    urgent = Column(Boolean, nullable=False, default=False)
    status = Column(String(20), nullable=False, default="open")
    worker_note = Column(Text, nullable=True)
    created_at = _created_at()
    updated_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    # Set when the worker takes the concern to supervision; the note is shared apart.
    shared_at = Column(UTCDateTime(), nullable=True)
    note_shared_at = Column(UTCDateTime(), nullable=True)

    debrief = relationship("Debrief", back_populates="concerns")
    case = relationship("Case")


# --- people around the work: teams, supervision, audit ------------------------------


class Team(Base):
    __tablename__ = "teams"

    id = _id_column()
    name = Column(String(100), nullable=False, unique=True)
    created_at = _created_at()

    members = relationship("TeamMember", back_populates="team")


class TeamMember(Base):
    __tablename__ = "team_members"
    # Leads with team_id ("members of a team"); the index serves "teams of a person".
    __table_args__ = (
        UniqueConstraint("team_id", "person_id"),
        Index("ix_team_members_person_id", "person_id"),
    )

    id = _id_column()
    team_id = _foreign_id("teams.id")
    person_id = _foreign_id("people.id")
    created_at = _created_at()

    team = relationship("Team", back_populates="members")
    person = relationship("Person", back_populates="memberships")


class SupervisorAssignment(Base):
    """A supervisor supervising a worker from ``started_at`` until ``ended_at``.

    A worker has at most one current assignment (``ended_at`` null); a change of
    supervisor ends the current one, so the history is kept.
    """

    __tablename__ = "supervisor_assignments"
    __table_args__ = (
        CheckConstraint("supervisor_id <> worker_id", name="not_self"),
        Index("ix_supervisor_assignments_worker_id_ended_at", "worker_id", "ended_at"),
        Index("ix_supervisor_assignments_supervisor_id_ended_at", "supervisor_id", "ended_at"),
    )

    id = _id_column()
    supervisor_id = _foreign_id("people.id")
    worker_id = _foreign_id("people.id")
    started_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    ended_at = Column(UTCDateTime(), nullable=True)

    supervisor = relationship("Person", foreign_keys=[supervisor_id])
    worker = relationship("Person", foreign_keys=[worker_id])


class SupervisionSession(Base):
    """One supervision of a worker by their supervisor."""

    __tablename__ = "supervision_sessions"
    __table_args__ = (
        CheckConstraint(_one_of("status", SESSION_STATUSES), name="status"),
        Index("ix_supervision_sessions_worker_id_status", "worker_id", "status"),
    )

    id = _id_column()
    supervisor_id = _foreign_id("people.id")
    worker_id = _foreign_id("people.id")
    status = Column(String(20), nullable=False, default="open")
    # What the session looks at: what was shared after this (the last session's end).
    period_start = Column(UTCDateTime(), nullable=True)
    started_at = Column(UTCDateTime(), nullable=False, default=utc_now)
    completed_at = Column(UTCDateTime(), nullable=True)
    # When the worker last looked at this session's outcomes.
    worker_seen_at = Column(UTCDateTime(), nullable=True)

    supervisor = relationship("Person", foreign_keys=[supervisor_id])
    worker = relationship("Person", foreign_keys=[worker_id])
    notes = relationship("SupervisionNote", back_populates="session")
    concern_outcomes = relationship("SessionConcern", back_populates="session")


class SupervisionNote(Base):
    """The supervisor's note on one question (a bank question id) for one case."""

    __tablename__ = "supervision_notes"
    __table_args__ = (Index("ix_supervision_notes_session_id", "session_id"),)

    id = _id_column()
    session_id = _foreign_id("supervision_sessions.id")
    case_id = _foreign_id("cases.id", nullable=True)  # null: not about one case
    question_id = Column(String(100), nullable=False)
    note = Column(Text, nullable=False)
    created_at = _created_at()
    updated_at = Column(UTCDateTime(), nullable=False, default=utc_now)

    session = relationship("SupervisionSession", back_populates="notes")


class SessionConcern(Base):
    """What a session did with a shared concern: discussed, closed or carried forward."""

    __tablename__ = "session_concerns"
    __table_args__ = (
        UniqueConstraint("session_id", "concern_id"),
        CheckConstraint(_one_of("outcome", SESSION_CONCERN_OUTCOMES), name="outcome"),
        Index("ix_session_concerns_concern_id", "concern_id"),
    )

    id = _id_column()
    session_id = _foreign_id("supervision_sessions.id")
    concern_id = _foreign_id("concerns.id")
    outcome = Column(String(20), nullable=False, default="discussed")
    updated_at = Column(UTCDateTime(), nullable=False, default=utc_now)

    session = relationship("SupervisionSession", back_populates="concern_outcomes")
    concern = relationship("Concern")


class AgreedAction(Base):
    """An action agreed in supervision: who does what by when."""

    __tablename__ = "agreed_actions"
    __table_args__ = (
        CheckConstraint(_one_of("status", ACTION_STATUSES), name="status"),
        Index("ix_agreed_actions_worker_id_status", "worker_id", "status"),
        Index("ix_agreed_actions_owner_id_status", "owner_id", "status"),
    )

    id = _id_column()
    session_id = _foreign_id("supervision_sessions.id")
    worker_id = _foreign_id("people.id")  # whose supervision agreed it
    case_id = _foreign_id("cases.id", nullable=True)  # null: not about one case
    owner_id = _foreign_id("people.id")
    text = Column(Text, nullable=False)
    due_on = Column(Date, nullable=True)
    status = Column(String(20), nullable=False, default="open")
    created_at = _created_at()
    updated_at = Column(UTCDateTime(), nullable=False, default=utc_now)

    session = relationship("SupervisionSession")
    case = relationship("Case")
    owner = relationship("Person", foreign_keys=[owner_id])


class AuditEntry(Base):
    """One read of someone else's records (or a change to people): append-only.

    ``actor_id`` is null for the command line (someone with access to the server).
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject_id_at", "subject_id", "at"),
        Index("ix_audit_log_actor_id_at", "actor_id", "at"),
    )

    id = _id_column()
    actor_id = _foreign_id("people.id", nullable=True)
    subject_id = _foreign_id("people.id", nullable=True)
    action = Column(String(50), nullable=False)
    detail = Column(Text, nullable=True)  # ids only, never case content
    at = Column(UTCDateTime(), nullable=False, default=utc_now)


class AuditLogIsAppendOnly(RuntimeError):
    """An attempt to change or delete an audit row."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_append_only(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("the audit log is append-only")
