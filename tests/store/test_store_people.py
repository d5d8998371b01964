"""People, teams, supervision assignments, sharing and the audit log in the store."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from actions.store import audit, people, repository, sharing
from actions.store import supervision as sessions
from actions.store.models import AuditEntry, AuditLogIsAppendOnly, Person
from actions.store.repository import InvalidValue, PersonNotFound
from tests.store_fixtures import add_debrief, add_person


def test_a_person_has_a_unique_lower_case_username(session):
    sam = add_person(session, " Sam.K ", "  Sam   Kerr ", "supervisor", email="sam@example.org")

    assert (sam.username, sam.display_name, sam.role, sam.active) == (
        "sam.k",
        "Sam Kerr",
        "supervisor",
        True,
    )
    assert people.get_by_handle(session, "SAM.K") is sam
    assert people.get_by_handle(session, sam.id) is sam
    with pytest.raises(people.AlreadyExists):
        add_person(session, "sam.k", "Another Sam")


@pytest.mark.parametrize(
    "username, name, role, email",
    [
        ("sam k", "Sam", "worker", None),
        ("", "Sam", "worker", None),
        ("sam", "  ", "worker", None),
        ("sam", "Sam", "admin", None),
        ("sam", "Sam", "worker", "not-an-email"),
    ],
)
def test_bad_person_details_are_refused(session, username, name, role, email):
    with pytest.raises(InvalidValue):
        add_person(session, username, name, role, email=email)


def test_external_ids_are_unique_and_found(session):
    jo = add_person(session, "jo.b", "Jo Bell", external_id="aad-1234")
    assert people.find_by_id_or_external_id(session, "aad-1234") is jo
    assert people.find_by_id_or_external_id(session, jo.id) is jo
    assert people.find_by_id_or_external_id(session, "aad-9999") is None
    with pytest.raises(people.AlreadyExists):
        add_person(session, "jo.c", "Jo Cole", external_id="aad-1234")
    session.add(Person(username="x", role="worker", external_id="aad-1234"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_unknown_handles_and_teams_raise(session):
    with pytest.raises(PersonNotFound):
        people.get_by_handle(session, "nobody")
    with pytest.raises(people.TeamNotFound):
        people.get_team(session, "Nowhere")


def test_deactivating_keeps_every_record(session):
    jo = add_person(session, "jo.b", "Jo Bell")
    debrief = add_debrief(session, jo, "CP-1", concerns=[("drift", "No change.")])

    people.set_active(session, jo, False)
    assert (jo.active, jo.deactivated_at is not None) == (False, True)
    assert repository.get_debrief(session, debrief.id).person_id == jo.id
    people.set_active(session, jo, True)
    assert (jo.active, jo.deactivated_at) == (True, None)


def test_teams_and_membership(session):
    north = people.create_team(session, "North Team")
    jo = add_person(session, "jo.b", "Jo Bell")
    people.add_member(session, people.get_team(session, "north team"), jo)
    people.add_member(session, north, jo)  # twice: still one membership

    assert people.team_names(session, [jo.id]) == {jo.id: ["North Team"]}
    assert [p.username for p in people.list_people(session, team="North Team")] == ["jo.b"]
    with pytest.raises(people.AlreadyExists):
        people.create_team(session, "NORTH TEAM")
    assert people.remove_member(session, north, jo) is True
    assert people.team_names(session, [jo.id]) == {jo.id: []}


def test_a_change_of_supervisor_keeps_the_history(session):
    sam = add_person(session, "sam.k", "Sam Kerr", "supervisor")
    pat = add_person(session, "pat.d", "Pat Doyle", "supervisor")
    jo = add_person(session, "jo.b", "Jo Bell")

    first = people.assign_supervisor(session, sam, jo)
    assert people.assign_supervisor(session, sam, jo) is first  # no change
    people.assign_supervisor(session, pat, jo)

    history = people.assignment_history(session, jo.id)
    assert [(a.supervisor_id, a.ended_at is None) for a in history] == [
        (sam.id, False),
        (pat.id, True),
    ]
    assert people.current_supervisor(session, jo.id) is pat
    assert people.current_supervisees(session, sam.id) == []
    assert people.is_current_supervisor(session, pat.id, jo.id)
    assert people.end_supervision(session, jo) is True
    assert people.current_supervisor(session, jo.id) is None


def test_only_supervisors_supervise_and_never_themselves(session):
    sam = add_person(session, "sam.k", "Sam Kerr", "supervisor")
    jo = add_person(session, "jo.b", "Jo Bell")
    ana = add_person(session, "ana.a", "Ana Admin", "administrator")
    for supervisor, worker in ((jo, sam), (sam, sam), (sam, ana)):
        with pytest.raises(InvalidValue):
            people.assign_supervisor(session, supervisor, worker)


def test_taking_a_concern_to_supervision_shares_it_and_taking_it_back_unshares(session):
    jo = add_person(session, "jo.b", "Jo Bell")
    debrief = add_debrief(session, jo, "CP-1", concerns=[("hostility", "Shouting.")])
    [concern] = debrief.concerns

    repository.set_concern_status(session, concern.id, "for_supervision", "Context.")
    sharing.share_concern_note(session, concern)
    assert concern.shared_at is not None and concern.note_shared_at is not None
    repository.set_concern_status(session, concern.id, "for_supervision", "New context.")
    assert concern.note_shared_at is None  # a new note is private until shared again
    repository.set_concern_status(session, concern.id, "open")
    assert (concern.shared_at, concern.note_shared_at) == (None, None)
    assert sharing.open_shared_concerns(session, jo.id) == []


def test_a_session_is_completed_once_and_covers_what_came_after_the_last(session):
    sam = add_person(session, "sam.k", "Sam Kerr", "supervisor")
    jo = add_person(session, "jo.b", "Jo Bell")
    first = sessions.start_session(session, sam.id, jo.id)
    assert first.period_start is None
    sessions.complete_session(session, first)

    second = sessions.start_session(session, sam.id, jo.id)
    assert second.period_start == first.completed_at
    assert sessions.last_completed_session(session, jo.id) is first


def test_audit_rows_are_appended_and_never_changed(session):
    sam = add_person(session, "sam.k", "Sam Kerr", "supervisor")
    jo = add_person(session, "jo.b", "Jo Bell")
    audit.record(session, sam.id, jo.id, "read:prepare")
    audit.record(session, None, jo.id, "people:deactivate")

    entries = audit.entries(session, subject_id=jo.id)
    assert [e.action for e in entries] == ["people:deactivate", "read:prepare"]
    assert [e.action for e in audit.entries(session, actor_id=sam.id)] == ["read:prepare"]
    with pytest.raises(AuditLogIsAppendOnly), session.begin_nested():
        entries[0].action = "changed"
        session.flush()
    entry = session.execute(select(AuditEntry)).scalars().first()
    with pytest.raises(AuditLogIsAppendOnly), session.begin_nested():
        session.delete(entry)
        session.flush()


def test_the_export_carries_the_new_fields(session):
    jo = add_person(session, "jo.b", "Jo Bell", email="jo@example.org", external_id="aad-1")
    debrief = add_debrief(session, jo, "CP-1", answers={"for_supervision": ("text", "The door.")})
    sharing.share_answer(session, debrief.id, "for_supervision")

    data = repository.export_person(session, jo.id)
    assert data["person"]["username"] == "jo.b"
    assert data["person"]["external_id"] == "aad-1"
    assert data["person"]["deactivated_at"] is None
    [answer] = data["debriefs"][0]["answers"]
    assert answer["shared_at"] is not None
    assert data["debriefs"][0]["impact_requested_at"] is None
