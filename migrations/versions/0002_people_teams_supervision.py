"""People, teams, supervision and sharing: who supervises whom, what a worker shared,
supervision sessions (notes, concern outcomes, agreed actions) and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01

Written by hand (checked against the models by tests/store/test_store_migrations.py).
SQLite rebuilds ``people`` in batch mode; PostgreSQL alters it in place. The role
``admin`` becomes ``administrator`` (and back on downgrade).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model's value lists: a migration describes the schema as it was.
OLD_ROLES = ("worker", "supervisor", "admin")
ROLES = ("worker", "supervisor", "administrator")
SHARED_CONCERN_STATUSES = ("for_supervision", "discussed", "closed")
SESSION_STATUSES = ("open", "completed")
SESSION_CONCERN_OUTCOMES = ("discussed", "closed", "carried_forward")
ACTION_STATUSES = ("open", "done", "carried_forward", "closed")


def _one_of(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _id() -> sa.Column:
    return sa.Column("id", sa.String(length=36), nullable=False)


def _fk(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=36), nullable=nullable)


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _foreign_key(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _rename_role(old: str, new: str) -> None:
    people = sa.table("people", sa.column("role", sa.String))
    op.execute(people.update().where(people.c.role == old).values(role=new))


def _set_role_check(roles: tuple) -> None:
    with op.batch_alter_table("people") as batch:
        batch.create_check_constraint(op.f("ck_people_role"), _one_of("role", roles))


# --- upgrade ---------------------------------------------------------------------------


def _upgrade_people() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_constraint(op.f("ck_people_role"), type_="check")
        batch.add_column(sa.Column("username", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("external_id", sa.String(length=255), nullable=True))
        batch.add_column(_timestamp("deactivated_at", nullable=True))
        batch.create_unique_constraint(op.f("uq_people_username"), ["username"])
        batch.create_unique_constraint(op.f("uq_people_external_id"), ["external_id"])
    _rename_role("admin", "administrator")
    _set_role_check(ROLES)


def _upgrade_sharing() -> None:
    with op.batch_alter_table("debriefs") as batch:
        batch.add_column(_timestamp("impact_requested_at", nullable=True))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(_timestamp("shared_at", nullable=True))
    with op.batch_alter_table("concerns") as batch:
        batch.add_column(_timestamp("shared_at", nullable=True))
        batch.add_column(_timestamp("note_shared_at", nullable=True))
    # Concerns already taken to supervision were shared when last updated.
    concerns = sa.table(
        "concerns",
        sa.column("status", sa.String),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("shared_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        concerns.update()
        .where(concerns.c.status.in_(SHARED_CONCERN_STATUSES))
        .values(shared_at=concerns.c.updated_at)
    )


def _create_teams() -> None:
    op.create_table(
        "teams",
        _id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    op.create_table(
        "team_members",
        _id(),
        _fk("team_id"),
        _fk("person_id"),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
        _foreign_key("team_members", "team_id", "teams"),
        _foreign_key("team_members", "person_id", "people"),
        sa.UniqueConstraint(
            "team_id", "person_id", name=op.f("uq_team_members_team_id_person_id")
        ),
    )
    op.create_index(op.f("ix_team_members_person_id"), "team_members", ["person_id"])


def _create_assignments() -> None:
    op.create_table(
        "supervisor_assignments",
        _id(),
        _fk("supervisor_id"),
        _fk("worker_id"),
        _timestamp("started_at"),
        _timestamp("ended_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_assignments")),
        _foreign_key("supervisor_assignments", "supervisor_id", "people"),
        _foreign_key("supervisor_assignments", "worker_id", "people"),
        sa.CheckConstraint(
            "supervisor_id <> worker_id", name=op.f("ck_supervisor_assignments_not_self")
        ),
    )
    op.create_index(
        op.f("ix_supervisor_assignments_worker_id_ended_at"),
        "supervisor_assignments",
        ["worker_id", "ended_at"],
    )
    op.create_index(
        op.f("ix_supervisor_assignments_supervisor_id_ended_at"),
        "supervisor_assignments",
        ["supervisor_id", "ended_at"],
    )


def _create_sessions() -> None:
    op.create_table(
        "supervision_sessions",
        _id(),
        _fk("supervisor_id"),
        _fk("worker_id"),
        sa.Column("status", sa.String(length=20), nullable=False),
        _timestamp("period_start", nullable=True),
        _timestamp("started_at"),
        _timestamp("completed_at", nullable=True),
        _timestamp("worker_seen_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_sessions")),
        _foreign_key("supervision_sessions", "supervisor_id", "people"),
        _foreign_key("supervision_sessions", "worker_id", "people"),
        sa.CheckConstraint(
            _one_of("status", SESSION_STATUSES), name=op.f("ck_supervision_sessions_status")
        ),
    )
    op.create_index(
        op.f("ix_supervision_sessions_worker_id_status"),
        "supervision_sessions",
        ["worker_id", "status"],
    )
    op.create_table(
        "supervision_notes",
        _id(),
        _fk("session_id"),
        _fk("case_id", nullable=True),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_notes")),
        _foreign_key("supervision_notes", "session_id", "supervision_sessions"),
        _foreign_key("supervision_notes", "case_id", "cases"),
    )
    op.create_index(
        op.f("ix_supervision_notes_session_id"), "supervision_notes", ["session_id"]
    )
    op.create_table(
        "session_concerns",
        _id(),
        _fk("session_id"),
        _fk("concern_id"),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_concerns")),
        _foreign_key("session_concerns", "session_id", "supervision_sessions"),
        _foreign_key("session_concerns", "concern_id", "concerns"),
        sa.UniqueConstraint(
            "session_id", "concern_id", name=op.f("uq_session_concerns_session_id_concern_id")
        ),
        sa.CheckConstraint(
            _one_of("outcome", SESSION_CONCERN_OUTCOMES),
            name=op.f("ck_session_concerns_outcome"),
        ),
    )
    op.create_index(
        op.f("ix_session_concerns_concern_id"), "session_concerns", ["concern_id"]
    )


def _create_actions() -> None:
    op.create_table(
        "agreed_actions",
        _id(),
        _fk("session_id"),
        _fk("worker_id"),
        _fk("case_id", nullable=True),
        _fk("owner_id"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreed_actions")),
        _foreign_key("agreed_actions", "session_id", "supervision_sessions"),
        _foreign_key("agreed_actions", "worker_id", "people"),
        _foreign_key("agreed_actions", "case_id", "cases"),
        _foreign_key("agreed_actions", "owner_id", "people"),
        sa.CheckConstraint(
            _one_of("status", ACTION_STATUSES), name=op.f("ck_agreed_actions_status")
        ),
    )
    op.create_index(
        op.f("ix_agreed_actions_worker_id_status"), "agreed_actions", ["worker_id", "status"]
    )
    op.create_index(
        op.f("ix_agreed_actions_owner_id_status"), "agreed_actions", ["owner_id", "status"]
    )


def _create_audit_log() -> None:
    op.create_table(
        "audit_log",
        _id(),
        _fk("actor_id", nullable=True),
        _fk("subject_id", nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        _timestamp("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        _foreign_key("audit_log", "actor_id", "people"),
        _foreign_key("audit_log", "subject_id", "people"),
    )
    op.create_index(op.f("ix_audit_log_subject_id_at"), "audit_log", ["subject_id", "at"])
    op.create_index(op.f("ix_audit_log_actor_id_at"), "audit_log", ["actor_id", "at"])


def upgrade() -> None:
    _upgrade_people()
    _upgrade_sharing()
    _create_teams()
    _create_assignments()
    _create_sessions()
    _create_actions()
    _create_audit_log()


# --- downgrade -------------------------------------------------------------------------

NEW_TABLES = (
    "audit_log",
    "agreed_actions",
    "session_concerns",
    "supervision_notes",
    "supervision_sessions",
    "supervisor_assignments",
    "team_members",
    "teams",
)


def downgrade() -> None:
    # Dropping a table drops its indexes with it, on SQLite and PostgreSQL alike.
    for table in NEW_TABLES:
        op.drop_table(table)
    with op.batch_alter_table("concerns") as batch:
        batch.drop_column("note_shared_at")
        batch.drop_column("shared_at")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("shared_at")
    with op.batch_alter_table("debriefs") as batch:
        batch.drop_column("impact_requested_at")
    with op.batch_alter_table("people") as batch:
        batch.drop_constraint(op.f("ck_people_role"), type_="check")
        batch.drop_constraint(op.f("uq_people_external_id"), type_="unique")
        batch.drop_constraint(op.f("uq_people_username"), type_="unique")
        batch.drop_column("deactivated_at")
        batch.drop_column("external_id")
        batch.drop_column("email")
        batch.drop_column("username")
    _rename_role("administrator", "admin")
    _set_role_check(OLD_ROLES)
