"""The audit log end to end: a supervisor's read of a worker's records is written, and an
administrator sees it, filtered by person and by date; the log outlives what it is about."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from actions.people import cli as people_cli
from actions.services import supervision
from actions.services.retention_policy import load_policy
from actions.store.db import session_scope
from actions.store.models import UTC, AuditEntry
from tests.retention.world import PERIODS, audit_at


def table_rows(output: str) -> list[str]:
    return output.strip().splitlines()[2:]


def test_a_supervisors_read_shows_in_the_administrators_view(office, invoke):
    supervision.prepare(office["sam"], office["jo"])  # the real read, through the service

    result = invoke("--as", "ana.a", "audit", "--subject", "jo.zeb")

    assert result.exit_code == 0, result.output
    reads = [row for row in table_rows(result.output) if "read:prepare" in row]
    assert len(reads) == 2  # the fixture's, and this one
    assert all("Sam Kerr" in row and "Jo Zebrafinch" in row for row in reads)


def test_the_view_filters_by_who_acted(office, invoke):
    result = invoke("--as", "ana.a", "audit", "--actor", "sam.k")

    rows = table_rows(result.output)
    assert rows and all(row.split("  ")[1].strip() == "Sam Kerr" for row in rows)


def test_the_view_filters_by_dates(office, invoke):
    with session_scope() as s:
        audit_at(s, datetime(2024, 3, 1, 23, 59, tzinfo=UTC), subject=office["lee"])
        audit_at(s, datetime(2024, 3, 2, 0, 0, tzinfo=UTC), subject=office["lee"])
        audit_at(s, datetime(2024, 3, 5, 12, 0, tzinfo=UTC), subject=office["lee"])

    result = invoke(
        "--as", "ana.a", "audit", "--subject", "lee.m", "--since", "2024-03-02",
        "--until", "2024-03-05",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert [row[:16] for row in table_rows(result.output)] == [
        "2024-03-05 12:00",
        "2024-03-02 00:00",
    ]


def test_a_bad_date_is_a_usage_error(office, invoke):
    result = invoke("--as", "ana.a", "audit", "--since", "March")
    assert result.exit_code == 2 and "--since" in result.output


@pytest.mark.parametrize("who", [None, "jo.zeb", "sam.k"])
def test_only_an_administrator_sees_the_log(office, invoke, who):
    args = ("audit",) if who is None else ("--as", who, "audit")
    assert invoke(*args).exit_code == people_cli.EXIT_REFUSED


def test_reading_the_log_is_itself_audited(office, invoke):
    invoke("--as", "ana.a", "audit", "--subject", "jo.zeb")
    with session_scope() as s:
        [row] = s.execute(select(AuditEntry).where(AuditEntry.action == "read:audit_log")).scalars()
    assert (row.actor_id, row.subject_id) == (office["ana"], office["jo"])


def test_the_audit_log_is_kept_longest_by_default():
    periods = load_policy().periods
    assert periods["audit_log"] == max(periods.values()) == PERIODS["audit_log"]
