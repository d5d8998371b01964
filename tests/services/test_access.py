"""Permissions: a supervisor sees only what their current supervisees shared, a worker
only their own records, an administrator no case content; reads of someone else's
records are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.services import access, my_view, supervision
from actions.services import people as people_service
from actions.services.access import AccessDenied, ActorDeactivated
from actions.store import audit, people
from actions.store.db import session_scope
from actions.store.models import AuditEntry, AuditLogIsAppendOnly, Person
from tests.services.conftest import PRIVATE


def audit_rows(subject_id: str | None = None) -> list[tuple]:
    with session_scope() as s:
        rows = audit.entries(s, subject_id=subject_id)
        return [(r.actor_id, r.subject_id, r.action) for r in reversed(rows)]


def reads(subject_id: str) -> list[tuple]:
    return [row for row in audit_rows(subject_id) if row[2].startswith("read:")]


# --- supervisors -------------------------------------------------------------------------


def test_a_supervisor_cannot_open_a_worker_who_is_not_theirs(world, jo_records):
    with pytest.raises(AccessDenied):
        supervision.prepare(world.pat, world.jo)
    with pytest.raises(AccessDenied):
        supervision.build_agenda(world.pat, world.jo)
    with pytest.raises(AccessDenied):
        supervision.open_shared_debrief(world.pat, jo_records["first"])
    with pytest.raises(AccessDenied):
        supervision.start_session(world.pat, world.jo)
    assert reads(world.jo) == []


def test_a_former_supervisor_loses_access_when_the_worker_changes_supervisor(world, jo_records):
    people_service.assign_supervisor("pat.d", "jo.b")

    with pytest.raises(AccessDenied):
        supervision.prepare(world.sam, world.jo)
    assert supervision.prepare(world.pat, world.jo).worker.id == world.jo


def test_a_deactivated_supervisor_loses_access(world, jo_records):
    supervision.prepare(world.sam, world.jo)
    people_service.deactivate("sam.k")

    with pytest.raises(ActorDeactivated):
        supervision.prepare(world.sam, world.jo)
    with pytest.raises(ActorDeactivated):
        supervision.list_supervisees(world.sam)

    people_service.reactivate("sam.k")
    assert supervision.prepare(world.sam, world.jo).worker.id == world.jo


def test_workers_and_administrators_cannot_use_the_supervisor_side(world, jo_records):
    for actor in (world.jody, world.ana):
        with pytest.raises(AccessDenied):
            supervision.prepare(actor, world.jo)
        with pytest.raises(AccessDenied):
            supervision.build_agenda(actor, world.jo)


def test_an_unknown_actor_is_refused(world):
    with pytest.raises(AccessDenied):
        supervision.list_supervisees("no-such-person")


# --- workers -----------------------------------------------------------------------------


def test_a_worker_cannot_open_another_workers_debriefs(world, jo_records):
    own = my_view.open_my_debrief(world.jo, jo_records["first"])
    assert own.case_reference == "CP-100"

    for someone_else in (world.jody, world.sam, world.ana):
        with pytest.raises(AccessDenied):
            my_view.open_my_debrief(someone_else, jo_records["first"])


def test_a_worker_cannot_share_or_read_someone_elses_records(world, jo_records):
    from actions.services import sharing

    with pytest.raises(AccessDenied):
        sharing.share_answer(world.jody, jo_records["other"], "for_supervision")
    with pytest.raises(AccessDenied):
        sharing.share_concern_note(world.jody, jo_records["concerns"]["avoidance"])
    assert my_view.last_said_about(world.jody, "CP-100") is None


# --- what is shared ------------------------------------------------------------------------


def test_unshared_items_never_appear_in_a_summary_or_an_agenda(world, jo_records):
    summary = supervision.prepare(world.sam, world.jo)
    agenda = supervision.build_agenda(
        world.sam, world.jo, sets=("team_around_child", "organisation")
    )
    questions = supervision.questions_for_case(world.sam, world.jo, None, ("organisation",))
    shared = supervision.open_shared_debrief(world.sam, jo_records["second"])

    for seen in (summary, agenda, questions, shared):
        assert PRIVATE not in repr(seen)
    assert [case.reference for case in summary.cases] == ["CP-100"]  # CP-200: nothing shared
    codes = {c.code for case in summary.cases for c in case.concerns}
    assert codes == {"worker_fear", "hostility", "avoidance"}


def test_a_debrief_with_nothing_shared_cannot_be_opened_by_the_supervisor(world, jo_records):
    with pytest.raises(AccessDenied):
        supervision.open_shared_debrief(world.sam, jo_records["other"])


def test_the_worker_sees_their_own_private_records(world, jo_records):
    record = my_view.open_my_debrief(world.jo, jo_records["first"])
    assert any(PRIVATE in (a.free_text or "") for a in record.answers)


# --- the audit log -------------------------------------------------------------------------


def test_reads_of_someone_elses_records_are_audited(world, jo_records):
    supervision.prepare(world.sam, world.jo)
    supervision.questions_for_case(world.sam, world.jo, jo_records["case"])
    supervision.build_agenda(world.sam, world.jo)
    supervision.open_shared_debrief(world.sam, jo_records["first"])
    session = supervision.start_session(world.sam, world.jo)
    supervision.session_view(world.sam, session.id)

    actions = [row[2] for row in reads(world.jo)]
    assert actions == [
        "read:prepare",
        "read:questions",
        "read:agenda",
        "read:debrief",
        "read:session",
    ]
    assert {row[0] for row in reads(world.jo)} == {world.sam}


def test_reading_ones_own_records_is_not_audited(world, jo_records):
    my_view.open_for_me(world.jo)
    my_view.open_my_debrief(world.jo, jo_records["first"])
    my_view.last_said_about(world.jo, "CP-100")
    assert reads(world.jo) == []


def test_a_refused_read_leaves_no_audit_row(world, jo_records):
    with pytest.raises(AccessDenied):
        supervision.prepare(world.pat, world.jo)
    assert reads(world.jo) == []


def test_only_administrators_list_the_audit_log(world, jo_records):
    supervision.prepare(world.sam, world.jo)

    rows = access.list_audit_log(world.ana, subject_id=world.jo)
    assert [(r.actor, r.subject, r.action) for r in rows][-1] == (
        "Sam Kerr",
        "Jo Bell",
        "read:prepare",
    )
    assert rows[0].action == "read:audit_log"  # reading the log is logged too
    for not_admin in (world.sam, world.jo):
        with pytest.raises(AccessDenied):
            access.list_audit_log(not_admin)


def test_the_audit_log_is_append_only(world, jo_records):
    supervision.prepare(world.sam, world.jo)
    with pytest.raises(AuditLogIsAppendOnly), session_scope() as s:
        entry = s.execute(select(AuditEntry)).scalars().first()
        entry.action = "read:nothing"
        s.flush()
    with pytest.raises(AuditLogIsAppendOnly), session_scope() as s:
        s.delete(s.execute(select(AuditEntry)).scalars().first())
        s.flush()
    assert any(row[2] == "read:prepare" for row in audit_rows(world.jo))


def test_people_changes_are_audited_with_the_acting_administrator(world):
    people_service.deactivate("lee.m", actor_id=world.ana)
    people_service.reactivate("lee.m")

    assert audit_rows(world.lee)[-2:] == [
        (world.ana, world.lee, "people:deactivate"),
        (None, world.lee, "people:reactivate"),
    ]


def test_only_an_administrator_may_act_on_people(world):
    with pytest.raises(AccessDenied):
        people_service.deactivate("lee.m", actor_id=world.sam)
    with session_scope() as s:
        assert s.get(Person, world.lee).active is True
        assert people.current_supervisor(s, world.lee).id == world.pat
