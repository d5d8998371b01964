"""Repository functions on the fast in-memory database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from actions.store import repository
from actions.store.models import (
    UTC,
    Answer,
    AnswerRevision,
    Case,
    Concern,
    Person,
)
from actions.store.repository import DebriefNotFound, InvalidValue, PersonNotFound


def count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


# --- people --------------------------------------------------------------------------


def test_a_sender_maps_to_one_person(session):
    first = repository.get_or_create_person_for_sender(session, "rest", "worker-a")
    again = repository.get_or_create_person_for_sender(session, "rest", "worker-a")

    assert again.id == first.id
    assert first.id != "worker-a"
    assert (first.role, first.active) == ("worker", True)
    assert count(session, Person) == 1


def test_the_same_sender_id_on_another_channel_is_another_person(session):
    rest = repository.get_or_create_person_for_sender(session, "rest", "worker-a")
    other = repository.get_or_create_person_for_sender(session, "socketio", "worker-a")
    assert rest.id != other.id


def test_find_person_by_sender_never_creates(session):
    assert repository.find_person_by_sender(session, "rest", "nobody") is None
    assert count(session, Person) == 0


def test_a_lost_insert_race_returns_the_other_transactions_person(session, monkeypatch):
    """The row appears between our lookup and our insert (another worker thread)."""
    theirs = repository.get_or_create_person_for_sender(session, "rest", "racer")
    real_find = repository._find_identity
    calls = []

    def find_nothing_the_first_time(s, channel, sender_id):
        calls.append(sender_id)
        return None if len(calls) == 1 else real_find(s, channel, sender_id)

    monkeypatch.setattr(repository, "_find_identity", find_nothing_the_first_time)
    ours = repository.get_or_create_person_for_sender(session, "rest", "racer")

    assert calls == ["racer", "racer"]  # the second lookup came after the clash
    assert ours.id == theirs.id
    assert count(session, Person) == 1  # the savepoint dropped our orphan person
    session.flush()  # and the transaction is still usable


def test_empty_sender_is_refused(session):
    with pytest.raises(InvalidValue):
        repository.get_or_create_person_for_sender(session, "rest", "  ")


# --- cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["ab 123", " AB   123 ", "Ab\t123"])
def test_case_reference_is_unique_per_owner_ignoring_case_and_spacing(session, person, spelling):
    first = repository.get_or_create_case(session, "AB 123", person)
    again = repository.get_or_create_case(session, spelling, person)

    assert again.id == first.id
    assert first.reference == "AB 123"
    assert first.reference_key == "AB 123"
    assert count(session, Case) == 1


def test_case_reference_is_stored_stripped_as_typed(session, person):
    case = repository.get_or_create_case(session, "  ab-7 x ", person)
    assert (case.reference, case.reference_key) == ("ab-7 x", "AB-7 X")


def test_two_workers_can_use_the_same_reference(session, person):
    other = repository.get_or_create_person_for_sender(session, "rest", "sender-2")
    mine = repository.get_or_create_case(session, "AB 123", person)
    theirs = repository.get_or_create_case(session, "ab 123", other)
    assert mine.id != theirs.id


@pytest.mark.parametrize("reference", ["   ", "x" * 101])
def test_empty_or_overlong_case_reference_is_refused(session, person, reference):
    with pytest.raises(InvalidValue):
        repository.get_or_create_case(session, reference, person)


# --- debriefs ------------------------------------------------------------------------


def test_start_debrief_creates_an_in_progress_debrief(session, person, case):
    debrief = repository.start_debrief(session, person, case, "sender-1")

    assert debrief.status == "in_progress"
    assert debrief.person_id == person.id and debrief.case_id == case.id
    assert debrief.started_at.tzinfo is not None
    assert debrief.completed_at is None
    assert repository.get_debrief(session, debrief.id) is debrief


def test_a_debrief_cannot_use_someone_elses_case(session, case):
    other = repository.get_or_create_person_for_sender(session, "rest", "sender-2")
    with pytest.raises(InvalidValue):
        repository.start_debrief(session, other, case, "sender-2")


def test_unknown_debrief_raises(session):
    with pytest.raises(DebriefNotFound):
        repository.get_debrief(session, "no-such-id")
    with pytest.raises(DebriefNotFound):
        repository.record_answer(session, "no-such-id", "q", "yes")


def test_status_changes_and_completion_time(session, debrief):
    repository.set_debrief_status(session, debrief.id, "paused")
    assert (debrief.status, debrief.completed_at) == ("paused", None)

    repository.set_debrief_status(session, debrief.id, "completed")
    assert debrief.status == "completed"
    assert debrief.completed_at is not None

    with pytest.raises(InvalidValue):
        repository.set_debrief_status(session, debrief.id, "finished")


def test_progress_is_remembered(session, debrief):
    repository.update_debrief_progress(session, debrief.id, "child_seen_alone")
    assert repository.get_debrief(session, debrief.id).current_question == "child_seen_alone"


def _start(session, person, reference, updated_at, status="in_progress"):
    case = repository.get_or_create_case(session, reference, person)
    debrief = repository.start_debrief(session, person, case, "sender-1")
    debrief.status = status
    debrief.updated_at = updated_at
    session.flush()
    return debrief


def test_latest_resumable_debrief_is_the_most_recently_updated_open_one(session, person):
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    assert repository.latest_resumable_debrief(session, person.id) is None

    _start(session, person, "old", t0)
    paused = _start(session, person, "paused", t0 + timedelta(hours=1), status="paused")
    _start(session, person, "done", t0 + timedelta(hours=2), status="completed")
    _start(session, person, "stopped", t0 + timedelta(hours=3), status="stopped")
    other = repository.get_or_create_person_for_sender(session, "rest", "sender-2")
    _start(session, other, "theirs", t0 + timedelta(hours=4))

    assert repository.latest_resumable_debrief(session, person.id).id == paused.id


def test_recording_an_answer_makes_its_debrief_the_latest(session, person):
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    older = _start(session, person, "older", t0)
    _start(session, person, "newer", t0 + timedelta(hours=1))

    repository.record_answer(session, older.id, "q1", "yes")

    assert repository.latest_resumable_debrief(session, person.id).id == older.id


def test_moving_a_debrief_to_a_corrected_case_moves_its_visit_and_concerns(
    session, person, debrief
):
    repository.record_visit_details(session, debrief.id, visit_type="announced")
    concern = repository.record_concern(
        session, debrief.id, "unseen_child", "structured", "Not seen.", "r1"
    )
    corrected = repository.get_or_create_case(session, "AB 124", person)

    repository.set_debrief_case(session, debrief.id, corrected)

    assert debrief.case_id == corrected.id
    assert debrief.visit.case_id == corrected.id
    assert concern.case_id == corrected.id


# --- visits --------------------------------------------------------------------------


def test_visit_details_are_created_then_updated(session, debrief):
    visit = repository.record_visit_details(session, debrief.id, visit_date="2024-03-05")
    again = repository.record_visit_details(session, debrief.id, visit_type="unannounced")

    assert again.id == visit.id
    assert debrief.visit_id == visit.id
    assert visit.case_id == debrief.case_id
    assert (visit.visit_date, visit.visit_type) == (date(2024, 3, 5), "unannounced")


def test_a_bad_visit_date_is_refused(session, debrief):
    with pytest.raises(InvalidValue):
        repository.record_visit_details(session, debrief.id, visit_date="last tuesday")


# --- answers -------------------------------------------------------------------------


def test_record_answer_is_idempotent(session, debrief):
    first = repository.record_answer(session, debrief.id, "child_seen", "yes")
    updated_at = first.updated_at
    again = repository.record_answer(session, debrief.id, "child_seen", "yes")

    assert again.id == first.id
    assert again.updated_at == updated_at
    assert count(session, Answer) == 1
    assert count(session, AnswerRevision) == 0


def test_a_changed_answer_keeps_the_old_one(session, debrief):
    repository.record_answer(
        session, debrief.id, "child_seen", "own_words", free_text="Only briefly."
    )
    answer = repository.record_answer(session, debrief.id, "child_seen", "no")

    assert (answer.value, answer.free_text) == ("no", None)
    assert count(session, Answer) == 1
    [revision] = session.execute(select(AnswerRevision)).scalars().all()
    assert (revision.previous_value, revision.previous_free_text) == (
        "own_words",
        "Only briefly.",
    )
    assert revision.answer_id == answer.id


def test_a_changed_free_text_alone_is_a_change(session, debrief):
    repository.record_answer(session, debrief.id, "worry", "text", free_text="A")
    repository.record_answer(session, debrief.id, "worry", "text", free_text="B")
    assert count(session, AnswerRevision) == 1


def test_get_answers_by_question(session, debrief):
    repository.record_answer(session, debrief.id, "q1", "yes")
    repository.record_answer(session, debrief.id, "q2", "skipped")

    answers = repository.get_answers(session, debrief.id)

    assert {qid: a.value for qid, a in answers.items()} == {
        "q1": "yes",
        "q2": "skipped",
    }


answer_values = st.one_of(st.none(), st.sampled_from(["yes", "no", "not_sure", "ü"]))


# The engine fixture is shared by all examples; each example rolls its session back.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(answer_values, answer_values), min_size=1, max_size=8))
def test_answer_history_keeps_every_change_and_only_changes(engine, history):
    """Property: revisions are exactly the replaced versions, in order."""
    with sessionmaker(engine, future=True)() as s:
        person = repository.get_or_create_person_for_sender(s, "rest", "p")
        case = repository.get_or_create_case(s, "C1", person)
        debrief = repository.start_debrief(s, person, case, "p")
        for value, free_text in history:
            repository.record_answer(s, debrief.id, "q", value, free_text)

        kept = [history[0]]
        for version in history[1:]:
            if version != kept[-1]:
                kept.append(version)
        answer = repository.get_answers(s, debrief.id)["q"]
        revisions = [(r.previous_value, r.previous_free_text) for r in answer.revisions]
        assert (answer.value, answer.free_text) == kept[-1]
        assert revisions == kept[:-1]
        s.rollback()


# --- concerns ------------------------------------------------------------------------


def test_record_concern_is_idempotent_per_code_and_rule(session, debrief):
    first = repository.record_concern(
        session, debrief.id, "unseen_child", "structured", "Not seen alone.", "r1"
    )
    again = repository.record_concern(
        session, debrief.id, "unseen_child", "structured", "Not seen alone.", "r1"
    )
    other_rule = repository.record_concern(
        session, debrief.id, "unseen_child", "pattern", "never alone", "r2"
    )

    assert again.id == first.id
    assert other_rule.id != first.id
    assert count(session, Concern) == 2
    assert first.case_id == debrief.case_id
    assert first.status == "open"


def test_list_concerns_puts_urgent_first(session, debrief):
    repository.record_concern(session, debrief.id, "a", "structured", "A", "r1")
    repository.record_concern(
        session,
        debrief.id,
        "b",
        "free_text",
        "B",
        "r2",
        urgent=True,
        evidence_start=0,
        evidence_end=1,
    )

    concerns = repository.list_concerns(session, debrief.id)

    assert [c.code for c in concerns] == ["b", "a"]
    assert (concerns[0].evidence_start, concerns[0].evidence_end) == (0, 1)


def test_concern_source_and_status_are_checked(session, debrief):
    with pytest.raises(InvalidValue):
        repository.record_concern(session, debrief.id, "a", "guess", "A", "r1")
    concern = repository.record_concern(session, debrief.id, "a", "structured", "A", "r1")
    with pytest.raises(InvalidValue):
        repository.set_concern_status(session, concern.id, "resolved")

    repository.set_concern_status(session, concern.id, "for_supervision", "Talk on Monday")
    assert (concern.status, concern.worker_note) == (
        "for_supervision",
        "Talk on Monday",
    )


# --- export --------------------------------------------------------------------------


def test_export_person_shape(session, person, debrief):
    repository.record_visit_details(session, debrief.id, date(2024, 3, 5), "announced")
    repository.record_answer(session, debrief.id, "child_seen", "yes")
    repository.record_answer(session, debrief.id, "child_seen", "no")
    repository.record_answer(session, debrief.id, "feelings", "text", "Müde, aber ok")
    repository.record_concern(
        session,
        debrief.id,
        "unseen_child",
        "structured",
        "Not seen.",
        "r1",
        urgent=True,
    )

    data = repository.export_person(session, person.id)

    assert set(data) == {"format_version", "exported_at", "person", "cases", "debriefs"}
    assert data["person"]["id"] == person.id
    assert data["person"]["chat_identities"][0]["sender_id"] == "sender-1"
    assert [c["reference"] for c in data["cases"]] == ["AB 123"]
    [exported] = data["debriefs"]
    assert exported["status"] == "in_progress"
    assert exported["visit"]["visit_date"] == "2024-03-05"
    answers = {a["question_id"]: a for a in exported["answers"]}
    assert answers["child_seen"]["value"] == "no"
    assert [r["previous_value"] for r in answers["child_seen"]["revisions"]] == ["yes"]
    assert answers["feelings"]["free_text"] == "Müde, aber ok"
    [concern] = exported["concerns"]
    assert (concern["code"], concern["urgent"]) == ("unseen_child", True)
    assert exported["started_at"].endswith("+00:00")


def test_export_unknown_person_raises(session):
    with pytest.raises(PersonNotFound):
        repository.export_person(session, "no-such-person")
