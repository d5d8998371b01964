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

ROLES = ("worker", "supervisor", "admin")
DEBRIEF_STATUSES = ("in_progress", "paused", "completed", "stopped")
RESUMABLE_STATUSES = ("in_progress", "paused")
CONCERN_SOURCES = ("structured", "free_text", "pattern")
CONCERN_STATUSES = ("open", "for_supervision", "not_applicable", "discussed", "closed")

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
    display_name = Column(String(200), nullable=True)
    role = Column(String(20), nullable=False, default="worker")
    active = Column(Boolean, nullable=False, default=True)
    created_at = _created_at()

    identities = relationship("ChatIdentity", back_populates="person")
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

    debrief = relationship("Debrief", back_populates="concerns")
    case = relationship("Case")
