"""Reading a case's chronology from the store (in-memory SQLite) and finding patterns in it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from actions.concerns.chronology import read_chronology
from actions.concerns.patterns import RULE_UNSEEN_ALONE_RUN, VisitRecord, pattern_concerns
from actions.store import repository
from actions.store.models import UTC
from tests.store_fixtures import engine, fresh_store_state, session  # noqa: F401 - fixtures

TODAY = date(2026, 11, 1)


@pytest.fixture(autouse=True)
def default_timescale(monkeypatch):
    monkeypatch.delenv("SUPERVISION_URGENT_WORKING_DAYS", raising=False)


@pytest.fixture
def person(session):
    return repository.get_or_create_person_for_sender(session, "rest", "worker-1")


@pytest.fixture
def case(session, person):
    return repository.get_or_create_case(session, "AB 123", person)


@pytest.fixture
def debrief_on(session, person, case):
    """Make a debrief of the case: visit date, status, answers and concerns."""

    def make(
        visit_date: date | None,
        status: str = "completed",
        answers: dict[str, str] | None = None,
        concerns: list[tuple[str, str]] | None = None,
        started: datetime | None = None,
        of_case=None,
    ):
        debrief = repository.start_debrief(session, person, of_case or case, "worker-1")
        if started is not None:
            debrief.started_at = started
            session.flush()
        if visit_date is not None:
            repository.record_visit_details(session, debrief.id, visit_date=visit_date)
        for question_id, value in (answers or {}).items():
            repository.record_answer(session, debrief.id, question_id, value)
        for code, source in concerns or []:
            repository.record_concern(
                session, debrief.id, code, source, f"evidence for {code}", f"test:{code}"
            )
        repository.set_debrief_status(session, debrief.id, status)
        return debrief

    return make


NOT_ALONE = {"child_seen": "yes", "child_seen_alone": "no", "access_gained": "yes"}
ALONE = {"child_seen": "yes", "child_seen_alone": "yes", "access_gained": "yes"}


def test_empty_case_has_an_empty_chronology(session, case):
    assert read_chronology(session, case.id) == []


def test_records_come_back_in_visit_order_with_their_fields(session, case, debrief_on):
    later = debrief_on(
        date(2026, 11, 17),
        answers={
            **NOT_ALONE,
            "rr_say_see_dont_add_up": "yes",
            "rr_fail_to_attend": "no",
            "rr_deflect_to_adults": "not_sure",
            "rr_prevent_child_alone": "yes",
        },
        concerns=[("unseen_child", "structured"), ("disguised_compliance", "free_text")],
    )
    earlier = debrief_on(date(2026, 11, 3), status="paused", answers={"access_gained": "no"})
    chronology = read_chronology(session, case.id)
    assert [record.debrief_id for record in chronology] == [earlier.id, later.id]
    first, second = chronology
    assert first == VisitRecord(
        debrief_id=earlier.id, visit_date=date(2026, 11, 3), access_gained="no"
    )
    assert second.visit_date == date(2026, 11, 17)
    assert (second.child_seen, second.child_seen_alone, second.access_gained) == (
        "yes",
        "no",
        "yes",
    )
    assert second.reckoner_ticks == {"rr_say_see_dont_add_up", "rr_prevent_child_alone"}
    assert second.concern_codes == {"unseen_child", "disguised_compliance"}
    assert second.date_from_debrief is False


def test_only_completed_and_paused_debriefs_count_plus_the_current_one(session, case, debrief_on):
    completed = debrief_on(date(2026, 11, 3))
    paused = debrief_on(date(2026, 11, 10), status="paused")
    debrief_on(date(2026, 11, 12), status="stopped")
    abandoned = debrief_on(date(2026, 11, 14), status="in_progress")
    current = debrief_on(date(2026, 11, 17), status="in_progress")
    ids = [record.debrief_id for record in read_chronology(session, case.id)]
    assert ids == [completed.id, paused.id]
    ids = [record.debrief_id for record in read_chronology(session, case.id, current.id)]
    assert ids == [completed.id, paused.id, current.id]
    assert abandoned.id not in ids


def test_other_cases_are_not_read_and_a_foreign_current_debrief_is_refused(
    session, person, case, debrief_on
):
    other_case = repository.get_or_create_case(session, "ZZ 999", person)
    ours = debrief_on(date(2026, 11, 3))
    theirs = debrief_on(date(2026, 11, 4), of_case=other_case)
    assert [r.debrief_id for r in read_chronology(session, case.id)] == [ours.id]
    with pytest.raises(repository.InvalidValue):
        read_chronology(session, case.id, theirs.id)
    with pytest.raises(repository.DebriefNotFound):
        read_chronology(session, case.id, "no-such-debrief")


def test_visit_date_falls_back_to_the_answer_then_the_debrief_start(session, case, debrief_on):
    started = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    no_date = debrief_on(None, started=started)
    answered = debrief_on(None, answers={"visit_date": "2026-11-05"}, started=started)
    by_id = {record.debrief_id: record for record in read_chronology(session, case.id)}
    assert by_id[no_date.id].visit_date == date(2026, 11, 20)
    assert by_id[no_date.id].date_from_debrief is True
    assert by_id[answered.id].visit_date == date(2026, 11, 5)
    assert by_id[answered.id].date_from_debrief is False


def test_same_visit_date_is_ordered_by_debrief_start(session, case, debrief_on):
    base = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    second = debrief_on(date(2026, 11, 3), started=base + timedelta(hours=2))
    first = debrief_on(date(2026, 11, 3), started=base)
    assert [r.debrief_id for r in read_chronology(session, case.id)] == [first.id, second.id]


def test_only_the_current_answer_counts_not_its_revisions(session, case, debrief_on):
    debrief = debrief_on(date(2026, 11, 3), answers={"child_seen_alone": "no"})
    repository.record_answer(
        session,
        debrief.id,
        "child_seen_alone",
        "yes",
        free_text="We used to struggle to see her alone but today I did",
    )
    (record,) = read_chronology(session, case.id)
    assert record.child_seen_alone == "yes"


def test_not_applicable_and_pattern_concerns_are_left_out(session, case, debrief_on):
    debrief = debrief_on(
        date(2026, 11, 3),
        concerns=[("avoidance", "structured"), ("hostility", "free_text"), ("drift", "pattern")],
    )
    hostility = next(
        c for c in repository.list_concerns(session, debrief.id) if c.code == "hostility"
    )
    repository.set_concern_status(session, hostility.id, "not_applicable")
    (record,) = read_chronology(session, case.id)
    assert record.concern_codes == {"avoidance"}
    (record,) = read_chronology(session, case.id, include_pattern_concerns=True)
    assert record.concern_codes == {"avoidance", "drift"}


def test_concerns_not_stored_yet_can_be_added_to_the_current_debrief(session, case, debrief_on):
    debrief_on(date(2026, 11, 3))
    current = debrief_on(date(2026, 11, 17), status="in_progress")
    chronology = read_chronology(session, case.id, current.id, extra_concern_codes=["unseen_child"])
    assert chronology[-1].concern_codes == {"unseen_child"}
    assert chronology[0].concern_codes == frozenset()


def test_the_current_debrief_sees_answers_added_after_it_was_loaded(session, case, debrief_on):
    current = debrief_on(date(2026, 11, 17), status="in_progress")
    assert current.answers == []  # the collection is now loaded (and would go stale)
    repository.record_answer(session, current.id, "child_seen", "no")
    (record,) = read_chronology(session, case.id, current.id)
    assert record.child_seen == "no"


def test_unseen_run_from_the_store(session, case, debrief_on):
    debrief_on(date(2026, 10, 20), answers=ALONE)
    debrief_on(date(2026, 11, 3), answers=NOT_ALONE, concerns=[("unseen_child", "structured")])
    current = debrief_on(date(2026, 11, 17), status="in_progress", answers=NOT_ALONE)
    raised = pattern_concerns(read_chronology(session, case.id, current.id), today=TODAY)
    assert [concern.rule_id for concern in raised] == [RULE_UNSEEN_ALONE_RUN]
    (concern,) = raised
    assert concern.code == "unseen_child"
    assert concern.urgent is True
    assert concern.evidence.startswith(
        "Child not seen alone on the visits of 2026-11-03 and 2026-11-17."
    )
    assert "(by 2026-11-18)" in concern.evidence
    # The pattern can be stored like any other concern, on the current debrief.
    stored = repository.record_concern(
        session,
        current.id,
        concern.code,
        concern.source,
        concern.evidence,
        concern.rule_id,
        urgent=concern.urgent,
    )
    assert stored.source == "pattern"


def test_stopped_debriefs_and_the_current_seen_alone_visit_break_the_run(session, case, debrief_on):
    debrief_on(date(2026, 11, 3), answers=NOT_ALONE)
    debrief_on(date(2026, 11, 10), status="stopped", answers=NOT_ALONE)
    current = debrief_on(date(2026, 11, 17), status="in_progress", answers=ALONE)
    assert pattern_concerns(read_chronology(session, case.id, current.id), today=TODAY) == []
    # Without the current visit only one counted visit remains: still no run.
    assert pattern_concerns(read_chronology(session, case.id), today=TODAY) == []


def test_drift_and_reckoner_from_the_store(session, case, debrief_on):
    reckoner = {
        "rr_say_see_dont_add_up": "yes",
        "rr_selective_cooperation": "yes",
        "rr_fail_to_attend": "no",
    }
    for day in (3, 10, 17):
        debrief_on(
            date(2026, 11, day),
            answers={**ALONE, **reckoner},
            concerns=[("disguised_compliance", "structured")],
        )
    raised = {
        c.rule_id: c for c in pattern_concerns(read_chronology(session, case.id), today=TODAY)
    }
    assert set(raised) == {"pattern:ready_reckoner", "pattern:drift"}
    assert "disguised_compliance on the visits of 2026-11-03, 2026-11-10 and 2026-11-17" in (
        raised["pattern:drift"].evidence
    )
    assert "6 indicators ticked" in raised["pattern:ready_reckoner"].evidence
