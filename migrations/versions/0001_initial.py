"""Initial schema: people, chat identities, cases, visits, debriefs, answers, concerns.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written by hand (checked against the models by tests/store/test_migrations.py).
Constraint and index names follow actions.store.models.NAMING_CONVENTION; op.f()
marks them final, so the naming convention is not applied to them a second time.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model's value lists: a migration describes the schema as it was.
ROLES = ("worker", "supervisor", "admin")
DEBRIEF_STATUSES = ("in_progress", "paused", "completed", "stopped")
CONCERN_SOURCES = ("structured", "free_text", "pattern")
CONCERN_STATUSES = ("open", "for_supervision", "not_applicable", "discussed", "closed")


def _one_of(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _id() -> sa.Column:
    return sa.Column("id", sa.String(length=36), nullable=False)


def _fk(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=36), nullable=nullable)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "people",
        _id(),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.CheckConstraint(_one_of("role", ROLES), name=op.f("ck_people_role")),
    )

    op.create_table(
        "chat_identities",
        _id(),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        _fk("person_id"),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_identities")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_chat_identities_person_id_people"),
        ),
        sa.UniqueConstraint(
            "channel", "sender_id", name=op.f("uq_chat_identities_channel_sender_id")
        ),
    )
    op.create_index(
        op.f("ix_chat_identities_person_id"), "chat_identities", ["person_id"]
    )

    op.create_table(
        "cases",
        _id(),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("reference_key", sa.String(length=100), nullable=False),
        _fk("owner_id"),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_cases_owner_id_people")
        ),
        sa.UniqueConstraint(
            "owner_id", "reference_key", name=op.f("uq_cases_owner_id_reference_key")
        ),
    )

    op.create_table(
        "visits",
        _id(),
        _fk("case_id"),
        sa.Column("visit_date", sa.Date(), nullable=True),
        sa.Column("visit_type", sa.String(length=50), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_visits_case_id_cases")
        ),
    )
    op.create_index(op.f("ix_visits_case_id"), "visits", ["case_id"])

    op.create_table(
        "debriefs",
        _id(),
        _fk("person_id"),
        _fk("case_id", nullable=True),
        _fk("visit_id", nullable=True),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        _timestamp("started_at"),
        _timestamp("updated_at"),
        _timestamp("completed_at", nullable=True),
        sa.Column("current_question", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debriefs")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_debriefs_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_debriefs_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_debriefs_visit_id_visits")
        ),
        sa.CheckConstraint(
            _one_of("status", DEBRIEF_STATUSES), name=op.f("ck_debriefs_status")
        ),
    )
    op.create_index(
        op.f("ix_debriefs_person_id_status"), "debriefs", ["person_id", "status"]
    )
    op.create_index(op.f("ix_debriefs_case_id"), "debriefs", ["case_id"])

    op.create_table(
        "answers",
        _id(),
        _fk("debrief_id"),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("free_text", sa.Text(), nullable=True),
        _timestamp("answered_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.ForeignKeyConstraint(
            ["debrief_id"], ["debriefs.id"], name=op.f("fk_answers_debrief_id_debriefs")
        ),
        # Leads with debrief_id, so it is also the "answers of a debrief" index.
        sa.UniqueConstraint(
            "debrief_id", "question_id", name=op.f("uq_answers_debrief_id_question_id")
        ),
    )

    op.create_table(
        "answer_revisions",
        _id(),
        _fk("answer_id"),
        sa.Column("previous_value", sa.Text(), nullable=True),
        sa.Column("previous_free_text", sa.Text(), nullable=True),
        _timestamp("replaced_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_revisions")),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name=op.f("fk_answer_revisions_answer_id_answers"),
        ),
    )
    op.create_index(
        op.f("ix_answer_revisions_answer_id"), "answer_revisions", ["answer_id"]
    )

    op.create_table(
        "concerns",
        _id(),
        _fk("debrief_id"),
        _fk("case_id", nullable=True),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=True),
        sa.Column("evidence_end", sa.Integer(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("worker_note", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
        sa.ForeignKeyConstraint(
            ["debrief_id"],
            ["debriefs.id"],
            name=op.f("fk_concerns_debrief_id_debriefs"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_concerns_case_id_cases")
        ),
        sa.UniqueConstraint(
            "debrief_id",
            "code",
            "rule_id",
            name=op.f("uq_concerns_debrief_id_code_rule_id"),
        ),
        sa.CheckConstraint(
            _one_of("source", CONCERN_SOURCES), name=op.f("ck_concerns_source")
        ),
        sa.CheckConstraint(
            _one_of("status", CONCERN_STATUSES), name=op.f("ck_concerns_status")
        ),
    )
    op.create_index(
        op.f("ix_concerns_case_id_status"), "concerns", ["case_id", "status"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_concerns_case_id_status"), table_name="concerns")
    op.drop_table("concerns")
    op.drop_index(op.f("ix_answer_revisions_answer_id"), table_name="answer_revisions")
    op.drop_table("answer_revisions")
    op.drop_table("answers")
    op.drop_index(op.f("ix_debriefs_case_id"), table_name="debriefs")
    op.drop_index(op.f("ix_debriefs_person_id_status"), table_name="debriefs")
    op.drop_table("debriefs")
    op.drop_index(op.f("ix_visits_case_id"), table_name="visits")
    op.drop_table("visits")
    op.drop_table("cases")
    op.drop_index(op.f("ix_chat_identities_person_id"), table_name="chat_identities")
    op.drop_table("chat_identities")
    op.drop_table("people")
