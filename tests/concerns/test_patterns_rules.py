"""Pattern rules over invented chronologies: each fires at its threshold and not below."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.concerns.patterns import (
    RULE_DRIFT,
    RULE_NO_ACCESS_RUN,
    RULE_READY_RECKONER,
    RULE_SLIDE_BACK,
    RULE_UNSEEN_ALONE_RUN,
    VisitRecord,
    add_working_days,
    default_config,
    drift_concern,
    load_config,
    no_access_run_concern,
    pattern_concerns,
    reckoner_concern,
    reckoner_summary,
    slide_back_concern,
    unseen_alone_run_concern,
    worry_score,
)
from actions.settings import get_settings

FIRST_VISIT = date(2026, 11, 3)  # a Tuesday
TODAY = date(2026, 11, 3)  # before every due date below, unless a test says otherwise
INDICATORS = default_config().ready_reckoner.indicator_ids


def visits(*fields: dict, start: date = FIRST_VISIT, every: int = 14) -> list[VisitRecord]:
    """Visit records a fortnight apart; each dict holds that visit's fields."""
    return [
        VisitRecord(debrief_id=f"d{n}", visit_date=start + timedelta(days=every * n), **each)
        for n, each in enumerate(fields)
    ]


def ticks(count: int, offset: int = 0) -> dict:
    """A visit with ``count`` ready-reckoner indicators ticked (starting at ``offset``)."""
    chosen = [INDICATORS[(offset + n) % len(INDICATORS)] for n in range(count)]
    return {"reckoner_ticks": chosen}


def codes(*names: str) -> dict:
    return {"concern_codes": names}


NOT_ALONE = {"child_seen": "yes", "child_seen_alone": "no"}
ALONE = {"child_seen": "yes", "child_seen_alone": "yes"}
NO_ACCESS = {"access_gained": "no"}
ACCESS = {"access_gained": "yes"}


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch):
    monkeypatch.delenv("SUPERVISION_URGENT_WORKING_DAYS", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --- add_working_days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 5), 1, date(2026, 11, 6)),  # Thursday -> Friday
        (date(2026, 11, 6), 1, date(2026, 11, 9)),  # Friday -> Monday
        (date(2026, 11, 7), 1, date(2026, 11, 9)),  # Saturday -> Monday
        (date(2026, 11, 8), 1, date(2026, 11, 9)),  # Sunday -> Monday
        (date(2026, 11, 6), 0, date(2026, 11, 6)),  # no days: the same day
        (date(2026, 11, 6), 3, date(2026, 11, 11)),  # Friday + 3 -> Wednesday
        (date(2026, 11, 2), 5, date(2026, 11, 9)),  # Monday + 5 -> next Monday
        (date(2026, 12, 31), 2, date(2027, 1, 4)),  # Thursday, over a weekend and a year
    ],
)
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


def test_add_working_days_skips_given_holidays():
    christmas = {date(2026, 12, 25), date(2026, 12, 28)}  # Friday and the Monday after
    assert add_working_days(date(2026, 12, 24), 1, christmas) == date(2026, 12, 29)


@pytest.mark.parametrize("days", [-1, 1.5, True, "1"])
def test_add_working_days_refuses_odd_day_counts(days):
    with pytest.raises(ValueError, match="days"):
        add_working_days(date(2026, 11, 6), days)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 60))
def test_add_working_days_lands_on_a_weekday_after_exactly_n_weekdays(start, days):
    result = add_working_days(start, days)
    between = [start + timedelta(days=k) for k in range(1, (result - start).days + 1)]
    assert sum(day.weekday() < 5 for day in between) == days
    if days:
        assert result.weekday() < 5


# --- rule 1: child not seen alone on visits running ---------------------------------------


def test_unseen_alone_run_fires_at_two_visits_with_dates_and_timescale():
    chronology = visits(NOT_ALONE, NOT_ALONE)
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert concern is not None
    assert concern.code == "unseen_child"
    assert concern.source == "pattern"
    assert concern.rule_id == RULE_UNSEEN_ALONE_RUN == "pattern:unseen_alone_run"
    assert concern.urgent is True
    assert concern.evidence.startswith(
        "Child not seen alone on the visits of 2026-11-03 and 2026-11-17."
    )
    # 2026-11-17 is a Tuesday: one working day later is Wednesday.
    assert "Discuss with a manager within 1 working day (by 2026-11-18)." in concern.evidence
    assert "passed" not in concern.evidence


def test_unseen_alone_run_does_not_fire_on_one_visit():
    assert unseen_alone_run_concern(visits(NOT_ALONE), today=TODAY) is None
    assert unseen_alone_run_concern(visits(ALONE, NOT_ALONE), today=TODAY) is None


def test_a_seen_alone_visit_in_between_resets_the_run():
    chronology = visits(NOT_ALONE, ALONE, NOT_ALONE)
    assert unseen_alone_run_concern(chronology, today=TODAY) is None


def test_a_run_that_a_later_visit_ended_is_not_raised_again():
    chronology = visits(NOT_ALONE, NOT_ALONE, NOT_ALONE, ALONE)
    assert unseen_alone_run_concern(chronology, today=TODAY) is None


def test_a_longer_run_names_every_visit_in_it():
    chronology = visits(ALONE, NOT_ALONE, NOT_ALONE, NOT_ALONE)
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert "the visits of 2026-11-17, 2026-12-01 and 2026-12-15" in concern.evidence
    assert "2026-11-03" not in concern.evidence


def test_not_seen_at_all_and_not_sure_count_and_are_described():
    chronology = visits({"child_seen": "no"}, {"child_seen": "yes", "child_seen_alone": "not_sure"})
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert concern is not None
    assert "not seen at all on 2026-11-03" in concern.evidence
    assert "not sure the child was seen alone on 2026-11-17" in concern.evidence
    unsure_seen = visits({"child_seen": "not_sure"}, {"child_seen": "not_sure"})
    assert unseen_alone_run_concern(unsure_seen, today=TODAY) is not None


def test_own_words_and_skipped_answers_do_not_count_by_default():
    chronology = visits(
        {"child_seen": "yes", "child_seen_alone": "own_words"},
        {"child_seen": "yes", "child_seen_alone": "skipped"},
    )
    assert unseen_alone_run_concern(chronology, today=TODAY) is None
    counting = load_config(overrides={"unseen_alone_run": {"unseen_values": ["skipped", "no"]}})
    assert unseen_alone_run_concern(chronology, counting, today=TODAY) is None  # own_words
    counting = load_config(
        overrides={"unseen_alone_run": {"unseen_values": ["skipped", "own_words"]}}
    )
    assert unseen_alone_run_concern(chronology, counting, today=TODAY) is not None


def test_unknown_visits_are_skipped_by_default_and_named():
    unknown = {"child_seen": "yes"}  # seen-alone question not answered
    chronology = visits(NOT_ALONE, unknown, NOT_ALONE)
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert concern is not None
    assert "the visits of 2026-11-03 and 2026-12-01" in concern.evidence
    assert "Not recorded on the visit of 2026-11-17." in concern.evidence


def test_unknown_visits_older_than_the_run_are_not_named():
    chronology = visits({"child_seen": "yes"}, ALONE, NOT_ALONE, NOT_ALONE)
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert "Not recorded" not in concern.evidence


def test_unknown_visits_can_be_set_to_break_the_run():
    config = load_config(overrides={"unseen_alone_run": {"unknown_visits": "break"}})
    chronology = visits(NOT_ALONE, {"child_seen": "yes"}, NOT_ALONE)
    assert unseen_alone_run_concern(chronology, config, today=TODAY) is None


def test_run_length_is_read_from_config():
    config = load_config(overrides={"unseen_alone_run": {"visits": 3}})
    assert unseen_alone_run_concern(visits(NOT_ALONE, NOT_ALONE), config, today=TODAY) is None
    three = visits(NOT_ALONE, NOT_ALONE, NOT_ALONE)
    assert unseen_alone_run_concern(three, config, today=TODAY) is not None


def test_timescale_comes_from_settings(monkeypatch):
    monkeypatch.setenv("SUPERVISION_URGENT_WORKING_DAYS", "3")
    get_settings.cache_clear()
    # Latest visit Friday 2026-11-20: three working days later is Wednesday 2026-11-25.
    chronology = visits(NOT_ALONE, NOT_ALONE, start=date(2026, 11, 13), every=7)
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert "within 3 working days (by 2026-11-25)" in concern.evidence


def test_timescale_in_config_overrides_settings(monkeypatch):
    monkeypatch.setenv("SUPERVISION_URGENT_WORKING_DAYS", "3")
    get_settings.cache_clear()
    config = load_config(overrides={"unseen_alone_run": {"discuss_within_working_days": 2}})
    chronology = visits(NOT_ALONE, NOT_ALONE, start=date(2026, 11, 13), every=7)
    concern = unseen_alone_run_concern(chronology, config, today=TODAY)
    assert "within 2 working days (by 2026-11-24)" in concern.evidence


def test_due_date_skips_the_weekend_after_a_friday_visit():
    chronology = visits(NOT_ALONE, NOT_ALONE, start=date(2026, 11, 13), every=7)
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert "(by 2026-11-23)" in concern.evidence  # Friday 20th -> Monday 23rd


def test_a_past_due_date_says_so():
    chronology = visits(NOT_ALONE, NOT_ALONE)
    on_time = unseen_alone_run_concern(chronology, today=date(2026, 11, 18))
    late = unseen_alone_run_concern(chronology, today=date(2026, 11, 19))
    assert "passed" not in on_time.evidence
    assert "That date has passed: discuss it as soon as possible." in late.evidence


def test_urgency_is_configurable():
    config = load_config(overrides={"unseen_alone_run": {"urgent": False}})
    assert (
        unseen_alone_run_concern(visits(NOT_ALONE, NOT_ALONE), config, today=TODAY).urgent is False
    )


def test_a_debrief_date_used_for_a_visit_is_marked():
    chronology = [
        VisitRecord("a", date(2026, 11, 3), **NOT_ALONE),
        VisitRecord("b", date(2026, 11, 10), date_from_debrief=True, **NOT_ALONE),
    ]
    concern = unseen_alone_run_concern(chronology, today=TODAY)
    assert "the visits of 2026-11-03 and 2026-11-10." in concern.evidence
    assert "2026-11-10 is the date of the debrief: no visit date was recorded." in (
        concern.evidence
    )
    both = [
        VisitRecord(r.debrief_id, r.visit_date, date_from_debrief=True, **NOT_ALONE)
        for r in chronology
    ]
    concern = unseen_alone_run_concern(both, today=TODAY)
    assert "2026-11-03 and 2026-11-10 are the dates of the debrief" in concern.evidence
    assert unseen_alone_run_concern(chronology[:1], today=TODAY) is None


def reference_run(values: list[str | None]) -> int:
    """How many visits the trailing run counts: unknown visits skipped, "yes" ends it."""
    count = 0
    for value in reversed(values):
        if value in ("no", "not_sure"):
            count += 1
        elif value == "yes":
            break
    return count


@given(st.lists(st.sampled_from(["yes", "no", "not_sure", None]), max_size=8), st.integers(1, 4))
def test_run_rule_fires_exactly_when_the_trailing_run_is_long_enough(answers, needed):
    config = load_config(overrides={"unseen_alone_run": {"visits": needed}})
    chronology = visits(*({"child_seen": "yes", "child_seen_alone": a} for a in answers))
    fired = unseen_alone_run_concern(chronology, config, today=TODAY) is not None
    assert fired == (reference_run(answers) >= needed)
    # A visit where the child was seen alone always ends it.
    seen = chronology + visits(ALONE, start=FIRST_VISIT + timedelta(days=365))
    assert unseen_alone_run_concern(seen, config, today=TODAY) is None


# --- rule 2: no access on visits running ------------------------------------------------


def test_no_access_run_fires_at_two_visits_not_urgent_by_default():
    concern = no_access_run_concern(visits(NO_ACCESS, NO_ACCESS))
    assert concern is not None
    assert concern.code == "avoidance"
    assert concern.rule_id == RULE_NO_ACCESS_RUN
    assert concern.source == "pattern"
    assert concern.urgent is False
    assert "2026-11-03 and 2026-11-17" in concern.evidence


def test_no_access_run_needs_consecutive_visits():
    assert no_access_run_concern(visits(NO_ACCESS)) is None
    assert no_access_run_concern(visits(NO_ACCESS, ACCESS, NO_ACCESS)) is None
    assert no_access_run_concern(visits(NO_ACCESS, NO_ACCESS, ACCESS)) is None
    not_sure = visits({"access_gained": "not_sure"}, NO_ACCESS)
    assert no_access_run_concern(not_sure) is None  # only "no" counts by default


def test_no_access_run_threshold_and_urgency_are_configurable():
    config = load_config(overrides={"no_access_run": {"visits": 3, "urgent": True}})
    assert no_access_run_concern(visits(NO_ACCESS, NO_ACCESS), config) is None
    concern = no_access_run_concern(visits(NO_ACCESS, NO_ACCESS, NO_ACCESS), config)
    assert concern.urgent is True


# --- rule 3: the ready reckoner --------------------------------------------------------


@pytest.mark.parametrize(
    ("per_visit", "level"),
    [
        ((0, 0, 0), None),
        ((1, 0, 0), "be_aware"),
        ((1, 1, 1), "be_aware"),
        ((2, 1, 0), "be_aware"),
        ((2, 2, 0), "speak_to_supervisor"),
        ((0, 3, 3), "speak_to_supervisor"),
        ((0, 4, 3), "high_likelihood"),
        ((7,), "high_likelihood"),
    ],
)
def test_reckoner_levels_at_their_thresholds(per_visit, level):
    # Different indicators on each visit, so no indicator repeats across three visits.
    chronology = visits(*(ticks(count, offset=3 * n) for n, count in enumerate(per_visit)))
    summary = reckoner_summary(chronology)
    assert summary.per_visit_counts == per_visit
    assert summary.total == sum(per_visit)
    assert summary.level == level
    expected_action = default_config().ready_reckoner.level(level).action if level else None
    assert summary.action == expected_action


def test_reckoner_counts_only_the_latest_three_visits_but_reports_the_case_total():
    chronology = visits(ticks(5), ticks(1), ticks(1), ticks(1, offset=5))
    summary = reckoner_summary(chronology)
    assert summary.per_visit_counts == (5, 1, 1, 1)
    assert [visit.visit_date for visit in summary.window] == [
        date(2026, 11, 17),
        date(2026, 12, 1),
        date(2026, 12, 15),
    ]
    assert summary.total == 3
    assert summary.case_total == 8
    assert summary.level == "be_aware"


def test_same_indicator_on_three_visits_is_high_likelihood():
    same = {"reckoner_ticks": ["rr_say_see_dont_add_up"]}
    summary = reckoner_summary(visits(same, same, same))
    assert summary.total == 3
    assert summary.repeated == ("rr_say_see_dont_add_up",)
    assert summary.level == "high_likelihood"
    two = reckoner_summary(visits(same, {}, same))
    assert two.repeated == ()
    assert two.level == "be_aware"


def test_reckoner_ignores_ids_that_are_not_indicators():
    summary = reckoner_summary(visits({"reckoner_ticks": ["rr_unknown", "child_seen"]}))
    assert summary.total == 0
    assert summary.level is None


def test_reckoner_raises_disguised_compliance_at_high_likelihood_only_by_default():
    speak = visits(ticks(2), ticks(2, offset=2), ticks(2, offset=4))
    assert reckoner_summary(speak).level == "speak_to_supervisor"
    assert reckoner_concern(speak) is None

    high = visits(ticks(3), ticks(2, offset=3), ticks(2, offset=5))
    concern = reckoner_concern(high)
    assert concern is not None
    assert concern.code == "disguised_compliance"
    assert concern.rule_id == RULE_READY_RECKONER
    assert concern.source == "pattern"
    assert concern.urgent is False
    assert (
        "7 indicators ticked across the visits of 2026-11-03 (3), 2026-11-17 (2) and "
        "2026-12-01 (2)" in concern.evidence
    )
    assert concern.evidence.endswith(
        default_config().ready_reckoner.level("high_likelihood").action
    )


def test_reckoner_can_raise_at_speak_to_supervisor():
    config = load_config(
        overrides={"ready_reckoner": {"raise_at": ["speak_to_supervisor", "high_likelihood"]}}
    )
    speak = visits(ticks(2), ticks(2, offset=2))
    concern = reckoner_concern(speak, config)
    assert concern is not None
    assert "Speak to supervisor" in concern.evidence


def test_repeated_indicator_evidence_quotes_the_portfolio():
    same = {"reckoner_ticks": ["rr_prevent_child_alone"]}
    concern = reckoner_concern(visits(same, same, same))
    assert (
        '"Parents try to prevent you from spending time with the child on their own"'
        in concern.evidence
    )


def test_reckoner_thresholds_and_action_text_come_from_config():
    config = load_config(
        overrides={
            "ready_reckoner": {
                "window_visits": 2,
                "same_indicator_visits": None,
                "levels": {
                    "be_aware": {"min_total": 2, "action": "Keep an eye on it."},
                    "speak_to_supervisor": {"min_total": 3},
                    "high_likelihood": {"min_total": 4},
                },
            }
        }
    )
    one = reckoner_summary(visits(ticks(1)), config)
    assert one.level is None
    two = reckoner_summary(visits(ticks(5), ticks(1), ticks(1, offset=1)), config)
    assert two.total == 2  # window of two visits
    assert (two.level, two.action) == ("be_aware", "Keep an eye on it.")
    same = {"reckoner_ticks": ["rr_fail_to_attend"]}
    assert reckoner_summary(visits(same, same), config).level == "be_aware"  # rule off


# --- rule 4: improvement that slides back -------------------------------------------------


def scored(*scores: int) -> list[VisitRecord]:
    """Visits whose worry score is the given number of ticks (no concern codes)."""
    return visits(*(ticks(score) for score in scores))


def test_worry_score_adds_weighted_ticks_and_distinct_codes():
    record = VisitRecord(
        "d", FIRST_VISIT, reckoner_ticks=INDICATORS[:2], concern_codes={"avoidance", "drift"}
    )
    assert worry_score(record) == 4
    config = load_config(overrides={"slide_back": {"weights": {"reckoner_tick": 0.5}}})
    assert worry_score(record, config) == 3


def test_slide_back_fires_when_the_score_falls_then_returns_to_its_earlier_level():
    concern = slide_back_concern(scored(3, 1, 3))
    assert concern is not None
    assert concern.code == "disguised_compliance"
    assert concern.rule_id == RULE_SLIDE_BACK
    assert concern.source == "pattern"
    assert (
        "fell from 3 on the visit of 2026-11-03 to 1 on the visit of 2026-11-17, then rose "
        "again to 3 on the visit of 2026-12-01" in concern.evidence
    )


@pytest.mark.parametrize(
    "scores",
    [
        (3, 1),  # no rise yet
        (3, 1, 2),  # rose, but not back to the earlier level
        (3, 3, 3),  # never fell
        (1, 2, 3),  # only rising
        (3, 1, 3, 1),  # the latest visit is better again
        (1, 0, 1),  # earlier score below min_earlier_score (2)
    ],
)
def test_slide_back_does_not_fire_below_its_threshold(scores):
    assert slide_back_concern(scored(*scores)) is None


def test_slide_back_counts_concern_codes_too():
    chronology = visits(codes("avoidance", "hostility"), {}, codes("avoidance", "collusion"))
    assert slide_back_concern(chronology) is not None


def test_slide_back_settings_come_from_config():
    low = load_config(overrides={"slide_back": {"min_earlier_score": 1}})
    assert slide_back_concern(scored(1, 0, 1), low) is not None
    deep = load_config(overrides={"slide_back": {"min_drop": 2}})
    assert slide_back_concern(scored(3, 2, 3), deep) is None
    assert slide_back_concern(scored(3, 1, 3), deep) is not None
    codes_only = load_config(overrides={"slide_back": {"weights": {"reckoner_tick": 0}}})
    assert slide_back_concern(scored(3, 1, 3), codes_only) is None


def test_slide_back_names_the_most_recent_earlier_peak():
    concern = slide_back_concern(scored(5, 0, 2, 1, 4))
    assert "fell from 2 on the visit of 2026-12-01 to 1 on the visit of 2026-12-15" in (
        concern.evidence
    )


# --- rule 5: drift ------------------------------------------------------------------------


def test_drift_fires_when_a_code_is_on_three_debriefs():
    chronology = visits(codes("avoidance"), codes("avoidance", "hostility"), codes("avoidance"))
    concern = drift_concern(chronology)
    assert concern is not None
    assert concern.code == "drift"
    assert concern.rule_id == RULE_DRIFT
    assert concern.source == "pattern"
    assert concern.evidence == (
        "The same concern keeps coming up: avoidance on the visits of 2026-11-03, "
        "2026-11-17 and 2026-12-01."
    )


def test_drift_does_not_fire_on_two_debriefs():
    assert drift_concern(visits(codes("avoidance"), {}, codes("avoidance"))) is None


def test_drift_needs_the_code_on_the_latest_visit_by_default():
    stopped = visits(codes("avoidance"), codes("avoidance"), codes("avoidance"), {})
    assert drift_concern(stopped) is None
    config = load_config(overrides={"drift": {"require_on_latest_visit": False}})
    assert drift_concern(stopped, config) is not None


def test_drift_lists_every_recurring_code_once():
    both = codes("avoidance", "unseen_child")
    concern = drift_concern(visits(both, both, codes("unseen_child"), both))
    assert "unseen_child on the visits of 2026-11-03, 2026-11-17, 2026-12-01 and 2026-12-15" in (
        concern.evidence
    )
    assert "avoidance on the visits of 2026-11-03, 2026-11-17 and 2026-12-15" in concern.evidence


def test_drift_settings_come_from_config():
    two = load_config(overrides={"drift": {"min_debriefs": 2}})
    assert drift_concern(visits(codes("hostility"), codes("hostility")), two) is not None
    ignoring = load_config(overrides={"drift": {"ignore_codes": ["hostility"]}})
    assert drift_concern(visits(*[codes("hostility")] * 3), ignoring) is None


# --- all rules together -------------------------------------------------------------------


def test_pattern_concerns_on_an_empty_or_single_visit_chronology():
    assert pattern_concerns([], today=TODAY) == []
    assert pattern_concerns(visits(NOT_ALONE), today=TODAY) == []


def test_pattern_concerns_raises_each_rule_urgent_first():
    busy = {**NOT_ALONE, **NO_ACCESS, **codes("avoidance", "unseen_child", "hostility")}
    chronology = visits(
        {**busy, **ticks(2)},  # worry score 5
        {**ALONE, **ACCESS, **codes("avoidance")},  # 1: better
        {**busy, **ticks(3, offset=2)},  # 6
        {**busy, **ticks(4, offset=5)},  # 7: back above 5; reckoner 0 + 3 + 4 = 7 ticks
    )
    raised = pattern_concerns(chronology, today=TODAY)
    assert [concern.rule_id for concern in raised] == [
        RULE_UNSEEN_ALONE_RUN,
        RULE_NO_ACCESS_RUN,
        RULE_READY_RECKONER,
        RULE_SLIDE_BACK,
        RULE_DRIFT,
    ]
    assert raised[0].urgent is True
    assert all(concern.source == "pattern" for concern in raised)
    assert all(concern.rule_id.startswith("pattern:") for concern in raised)
    assert all(concern.evidence for concern in raised)


def test_pattern_concerns_orders_the_chronology_by_visit_date():
    chronology = visits(NOT_ALONE, ALONE, NOT_ALONE)
    # Given out of order: the seen-alone visit is really the latest, so no run.
    shuffled = [chronology[0], chronology[2]] + [VisitRecord("late", date(2027, 1, 5), **ALONE)]
    assert pattern_concerns(list(reversed(shuffled)), today=TODAY) == []
    in_order = pattern_concerns(list(reversed(chronology[:1] + chronology[2:])), today=TODAY)
    assert [concern.rule_id for concern in in_order] == [RULE_UNSEEN_ALONE_RUN]
