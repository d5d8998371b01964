"""`purge`: the dry run counts and changes nothing; the purge deletes exactly what is past
its period (time is frozen by passing ``now``), in batches, and audits each type."""

from __future__ import annotations

import os
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from actions.people import cli as people_cli
from actions.services import retention
from actions.services.access import AccessDenied
from actions.store import people, repository
from actions.store.db import session_scope
from actions.store.models import (
    AuditEntry,
    AuditLogIsAppendOnly,
    Case,
    Debrief,
    Person,
    SupervisionSession,
    utc_now,
)
from tests.retention.world import (
    add_events,
    add_session,
    audit_at,
    date_debrief,
    days_before,
    debrief_with_revision,
    policy,
    table_counts,
    tracker_rows,
)
from tests.store_fixtures import add_debrief, add_person, share_concern

HOUR = timedelta(hours=1)


@pytest.fixture
def now():
    return utc_now()


@pytest.fixture
def world(now, tracker_url, agenda_dir):
    """Records on both sides of every period (see world.PERIODS)."""
    with session_scope() as s:
        ana = add_person(s, "ana.a", "Ana Admin", "administrator")
        sam = add_person(s, "sam.k", "Sam Kerr", "supervisor")
        jo = add_person(s, "jo.b", "Jo Bell")
        people.assign_supervisor(s, sam, jo)
        old_a = debrief_with_revision(s, jo, "CP-OLD", "Tired now.", "Fine.", "He shouted.")
        share_concern(s, old_a, "hostility")
        date_debrief(old_a, days_before(now, 1200))
        old_b = date_debrief(add_debrief(s, jo, "CP-OLD"), days_before(now, 1100))
        just_gone = date_debrief(add_debrief(s, jo, "CP-NEW"), days_before(now, 1095) - HOUR)
        just_kept = date_debrief(add_debrief(s, jo, "CP-NEW"), days_before(now, 1095) + HOUR)
        recent = date_debrief(add_debrief(s, jo, "CP-NEW"), days_before(now, 10))
        old_case = repository.get_or_create_case(s, "CP-OLD", jo)
        old_case.created_at = days_before(now, 1200)
        old_session = add_session(
            s, sam, jo, completed=days_before(now, 2200), note="Old note.",
            case_id=old_case.id, actions=(("Old action.", jo),), concerns=old_a.concerns,
        )  # fmt: skip
        new_session = add_session(s, sam, jo, completed=days_before(now, 30), note="New note.")
        lee = add_person(s, "lee.m", "Lee Moss", email="lee@example.org")
        repository.get_or_create_person_for_sender(s, "rest", "lee-chat")
        kim = add_person(s, "kim.t", "Kim Tan")
        for person, days in ((lee, 2200), (kim, 10)):
            people.set_active(s, person, False)
            person.deactivated_at = days_before(now, days)
        old_audit = [audit_at(s, days_before(now, 2600 + n), subject=jo.id) for n in range(3)]
        recent_audit = audit_at(s, days_before(now, 5), subject=jo.id)
        ids = SimpleNamespace(
            ana=ana.id, jo=jo.id, lee=lee.id, kim=kim.id,
            gone=[old_a.id, old_b.id, just_gone.id], kept=[just_kept.id, recent.id],
            old_session=old_session.id, new_session=new_session.id,
            old_audit=old_audit, recent_audit=recent_audit,
        )  # fmt: skip
    add_events(tracker_url, "jo-chat", [days_before(now, 100 + n) for n in range(4)])
    add_events(tracker_url, "jo-chat", [days_before(now, 1), days_before(now, 89)])
    _agenda(agenda_dir / "agenda-20200101-old.html", days_before(now, 40))
    _agenda(agenda_dir / "agenda-20990101-new.html", days_before(now, 2))
    _agenda(agenda_dir / "notes.txt", days_before(now, 400))  # not an agenda: kept
    return ids


def _agenda(path, moment):
    path.write_text("<p>agenda</p>", encoding="utf-8")
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def by_type(report) -> dict:
    return {row.record_type: row for row in report.types}


def snapshot(tracker_url, agenda_dir):
    with session_scope() as s:
        counts = table_counts(s)
    return counts, len(tracker_rows(tracker_url)), sorted(p.name for p in agenda_dir.iterdir())


# --- the dry run ------------------------------------------------------------------------


def test_dry_run_reports_what_would_go_and_deletes_nothing(world, now, tracker_url, agenda_dir):
    before = snapshot(tracker_url, agenda_dir)

    report = retention.purge(world.ana, dry_run=True, now=now, policy=policy())

    assert snapshot(tracker_url, agenda_dir) == before
    rows = by_type(report)
    assert {name: row.count for name, row in rows.items()} == {
        "debriefs": 3,
        "supervision_sessions": 1,
        "chat_events": 4,
        "agenda_files": 1,
        "deactivated_people": 1,
        "audit_log": 3,
    }
    assert rows["debriefs"].includes == {
        "answers": 1, "answer_revisions": 1, "concerns": 1, "cases": 1,
    }  # fmt: skip
    assert rows["supervision_sessions"].includes == {"supervision_notes": 1, "agreed_actions": 1}
    assert rows["debriefs"].oldest == days_before(now, 1200)
    assert rows["supervision_sessions"].oldest == days_before(now, 2200)
    assert abs(rows["chat_events"].oldest - days_before(now, 103)) < timedelta(seconds=1)
    assert rows["deactivated_people"].oldest == days_before(now, 2200)
    assert rows["audit_log"].oldest == days_before(now, 2602)
    assert rows["debriefs"].cutoff == days_before(now, 1095)


def test_dry_run_writes_no_audit_row(world, now):
    with session_scope() as s:
        before = s.execute(select(AuditEntry.id)).scalars().all()
    retention.purge(world.ana, dry_run=True, now=now, policy=policy())
    with session_scope() as s:
        assert s.execute(select(AuditEntry.id)).scalars().all() == before


def test_a_type_kept_for_good_has_nothing_due(world, now):
    report = retention.purge(
        world.ana, dry_run=True, now=now, policy=policy(debriefs=None, supervision_sessions=None)
    )
    rows = by_type(report)
    assert rows["debriefs"].count == 0 and rows["debriefs"].period_days is None
    assert rows["supervision_sessions"].count == 0


def test_without_a_tracker_store_chat_events_are_reported_not_found(now, agenda_dir):
    report = retention.purge(None, dry_run=True, now=now, policy=policy())
    assert "no tracker store" in by_type(report)["chat_events"].note


# --- the purge --------------------------------------------------------------------------


def test_purge_deletes_exactly_what_is_past_its_period(world, now, tracker_url, agenda_dir):
    report = retention.purge(world.ana, dry_run=False, now=now, policy=policy())

    assert {row.record_type: row.count for row in report.types} == {
        "debriefs": 3,
        "supervision_sessions": 1,
        "chat_events": 4,
        "agenda_files": 1,
        "deactivated_people": 1,
        "audit_log": 3,
    }
    with session_scope() as s:
        left = set(s.execute(select(Debrief.id)).scalars())
        assert left == set(world.kept)
        sessions = set(s.execute(select(SupervisionSession.id)).scalars())
        assert sessions == {world.new_session}
        assert [c.reference for c in s.execute(select(Case)).scalars()] == ["CP-NEW"]
        counts = table_counts(s)
        assert counts["answers"] == counts["answer_revisions"] == counts["concerns"] == 0
        assert counts["supervision_notes"] == 1 and counts["agreed_actions"] == 0
        lee, kim = s.get(Person, world.lee), s.get(Person, world.kim)
        assert lee.erased_at is not None and lee.username is None and lee.email is None
        assert kim.erased_at is None and kim.username == "kim.t"
        audit_ids = set(s.execute(select(AuditEntry.id)).scalars())
        assert world.recent_audit in audit_ids and not audit_ids & set(world.old_audit)
    assert len(tracker_rows(tracker_url)) == 2
    assert sorted(p.name for p in agenda_dir.iterdir()) == [
        "agenda-20990101-new.html",
        "notes.txt",
    ]


def test_purge_writes_one_audit_row_per_type_with_counts_only(world, now):
    retention.purge(world.ana, dry_run=False, now=now, policy=policy())

    with session_scope() as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.action == "data:purge")).scalars()
        details = {row.detail.split()[0]: row for row in rows}
        erasures = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "data:erase")).scalars().all()
        )
    assert set(details) == {
        "type=debriefs", "type=supervision_sessions", "type=chat_events",
        "type=agenda_files", "type=deactivated_people", "type=audit_log",
    }  # fmt: skip
    debriefs = details["type=debriefs"]
    assert debriefs.actor_id == world.ana and debriefs.subject_id is None
    assert "deleted=3" in debriefs.detail and "answers=1" in debriefs.detail
    assert "CP-" not in debriefs.detail and "Tired" not in debriefs.detail
    [lee_erased] = erasures
    assert lee_erased.subject_id == world.lee and "reason=retention" in lee_erased.detail


def test_a_second_purge_finds_nothing(world, now):
    retention.purge(world.ana, dry_run=False, now=now, policy=policy())
    report = retention.purge(world.ana, dry_run=True, now=now, policy=policy())
    assert all(row.count == 0 for row in report.types)


def test_purge_works_in_batches_and_reports_progress(world, now):
    seen: list[tuple[str, int, int]] = []

    report = retention.purge(
        world.ana, dry_run=False, now=now, policy=policy(batch_size=1),
        only=["debriefs", "audit_log"], progress=lambda *call: seen.append(call),
    )  # fmt: skip

    assert [row.count for row in report.types] == [3, 3]
    debrief_calls = [call for call in seen if call[0] == "debriefs"]
    assert debrief_calls[0] == ("debriefs", 0, 0)  # counting
    assert [done for _, done, _ in debrief_calls[1:]] == [1, 2, 3, 3]
    with session_scope() as s:
        assert set(s.execute(select(Debrief.id)).scalars()) == set(world.kept)


def test_an_unknown_type_is_refused(world, now):
    with pytest.raises(repository.InvalidValue, match="no record type"):
        retention.purge(world.ana, dry_run=True, now=now, policy=policy(), only=["cases"])


# --- the audit log stays append-only, except for the purge ------------------------------


def test_the_orm_still_refuses_to_delete_an_audit_row(world):
    with pytest.raises(AuditLogIsAppendOnly), session_scope() as s:
        s.delete(s.get(AuditEntry, world.recent_audit))
        s.flush()


# --- who may purge ----------------------------------------------------------------------


def test_only_an_administrator_may_purge(world, now):
    for who in (world.jo, world.kim):  # a worker; someone deactivated
        with pytest.raises(AccessDenied):
            retention.purge(who, dry_run=True, now=now, policy=policy())


def test_the_cli_dry_run_prints_a_table(world, invoke):
    result = invoke("--as", "ana.a", "purge", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "WOULD GO" in result.output and "Dry run: nothing was deleted." in result.output
    assert "debriefs" in result.output and "actions/retention.yml" in result.output


def test_the_cli_refuses_a_non_administrator(world, invoke):
    result = invoke("--as", "jo.b", "purge", "--dry-run")
    assert result.exit_code == people_cli.EXIT_REFUSED
    assert "administrator" in result.stderr


def test_the_cli_purges_one_type(world, invoke):
    result = invoke("--as", "ana.a", "purge", "--only", "audit_log", "--batch-size", "2")

    assert result.exit_code == 0, result.output
    assert "DELETED" in result.output
    with session_scope() as s:
        assert not set(s.execute(select(AuditEntry.id)).scalars()) & set(world.old_audit)
        assert len(s.execute(select(Debrief.id)).scalars().all()) == 5  # untouched
