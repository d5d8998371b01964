"""Who is writing: chat identity, then verified person id / external id, then
auto-enrolment (when the setting allows), and deactivated people refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from actions.services.identity import PersonDeactivated, UnknownSender, resolve_person, who
from actions.settings import get_settings
from actions.store import people, repository
from actions.store.db import session_scope
from actions.store.models import ChatIdentity, Person
from tests.store_fixtures import add_person


def people_count(s) -> int:
    return s.execute(select(func.count()).select_from(Person)).scalar_one()


@pytest.fixture
def auto_enrol_off(monkeypatch):
    monkeypatch.setenv("SUPERVISION_AUTO_ENROL", "false")
    get_settings.cache_clear()


def test_a_known_chat_identity_is_its_person():
    with session_scope() as s:
        first = repository.get_or_create_person_for_sender(s, "rest", "worker-9")
        assert resolve_person(s, "rest", "worker-9").id == first.id
        assert people_count(s) == 1


@pytest.mark.parametrize("by", ["id", "external_id"])
def test_a_verified_sender_is_the_person_with_that_id_or_external_id(by):
    with session_scope() as s:
        sam = add_person(s, "sam.k", "Sam Kerr", "supervisor", external_id="aad-0f3c-77")
        sender = sam.id if by == "id" else "aad-0f3c-77"
        assert resolve_person(s, "msteams", sender).id == sam.id
        assert people_count(s) == 1
        assert s.execute(select(func.count()).select_from(ChatIdentity)).scalar_one() == 0


def test_an_unknown_sender_becomes_a_new_worker_by_default():
    assert get_settings().auto_enrol is True
    with session_scope() as s:
        person = resolve_person(s, "rest", "someone-new")
        assert (person.role, person.active) == ("worker", True)
        assert resolve_person(s, "rest", "someone-new").id == person.id


def test_an_unknown_sender_is_refused_when_auto_enrolment_is_off(auto_enrol_off):
    with session_scope() as s:
        with pytest.raises(UnknownSender):
            resolve_person(s, "rest", "someone-new")
        assert people_count(s) == 0


def test_known_people_still_resolve_when_auto_enrolment_is_off(auto_enrol_off):
    with session_scope() as s:
        jo = add_person(s, "jo.b", "Jo Bell", external_id="oidc|jo")
        assert resolve_person(s, "web", "oidc|jo").id == jo.id


@pytest.mark.parametrize("how", ["identity", "id"])
def test_a_deactivated_person_is_refused(how):
    with session_scope() as s:
        jo = add_person(s, "jo.b", "Jo Bell")
        s.add(ChatIdentity(channel="rest", sender_id="jo-chat", person_id=jo.id))
        people.set_active(s, jo, False)
        sender = "jo-chat" if how == "identity" else jo.id
        with pytest.raises(PersonDeactivated):
            resolve_person(s, "rest", sender)


@pytest.mark.parametrize(
    "value, expected",
    [("0", False), ("No", False), ("off", False), ("1", True), ("yes", True), ("", True)],
)
def test_the_auto_enrol_setting_reads_common_words(monkeypatch, value, expected):
    monkeypatch.setenv("SUPERVISION_AUTO_ENROL", value)
    get_settings.cache_clear()
    assert get_settings().auto_enrol is expected


def test_the_debrief_service_uses_identity_resolution(auto_enrol_off):
    from actions.services import debriefs

    with session_scope() as s:
        jo = add_person(s, "jo.b", "Jo Bell", external_id="aad-jo")
    debrief_id = debriefs.open_debrief("msteams", "aad-jo")
    with session_scope() as s:
        assert repository.get_debrief(s, debrief_id).person_id == jo.id
    with pytest.raises(UnknownSender):
        debriefs.open_debrief("rest", "not-enrolled")


# --- who: the one-transaction form the actions use --------------------------------------


def test_who_is_the_person_behind_the_chat():
    with session_scope() as s:
        jo = add_person(s, "jo.b", "Jo Bell", external_id="oidc|jo")
        jo_id = jo.id
    ref = who("web", "oidc|jo")
    assert (ref.id, ref.name, ref.role, ref.active) == (jo_id, "Jo Bell", "worker", True)


def test_who_enrols_an_unknown_sender_by_default():
    ref = who("rest", "someone-new")
    assert ref is not None and ref.role == "worker"
    assert who("rest", "someone-new").id == ref.id


def test_who_is_none_for_a_deactivated_person():
    with session_scope() as s:
        jo = add_person(s, "jo.b", "Jo Bell")
        people.set_active(s, jo, False)
        jo_id = jo.id
    assert who("rest", jo_id) is None


def test_who_is_none_for_an_unknown_sender_when_auto_enrolment_is_off(auto_enrol_off):
    assert who("rest", "someone-new") is None
    with session_scope() as s:
        assert people_count(s) == 0


def test_who_without_enrolment_does_not_enrol_a_stranger():
    assert who("rest", "someone-new", enrol=False) is None
    with session_scope() as s:
        assert people_count(s) == 0
