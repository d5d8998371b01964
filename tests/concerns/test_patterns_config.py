"""patterns.yml: documented defaults, local-policy header, and errors that name the key."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml

from actions.bank.schema import load_bank
from actions.concerns.patterns import (
    DEFAULT_CONFIG_PATH,
    PatternConfigError,
    VisitRecord,
    default_config,
    load_config,
    parse_config,
    pattern_concerns,
)


def shipped_document() -> dict:
    return yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))


def test_header_says_the_cut_offs_are_local_policy_not_the_portfolios():
    header = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").split("version:")[0]
    assert "LOCAL POLICY" in header
    assert "not published by the portfolio" in " ".join(header.replace("#", " ").split())


def test_shipped_defaults_are_the_documented_ones():
    config = load_config()
    assert config.unseen_alone_run.visits == 2
    assert config.unseen_alone_run.values == {"no", "not_sure"}
    assert config.unseen_alone_run.urgent is True
    assert config.unseen_alone_run.discuss_within_working_days is None  # from settings
    assert config.no_access_run.visits == 2
    assert config.no_access_run.values == {"no"}
    assert config.no_access_run.urgent is False
    reckoner = config.ready_reckoner
    assert reckoner.window_visits == 3
    assert [(level.id, level.min_total) for level in reckoner.levels] == [
        ("be_aware", 1),
        ("speak_to_supervisor", 4),
        ("high_likelihood", 7),
    ]
    assert reckoner.same_indicator_visits == 3
    assert reckoner.raise_at == {"high_likelihood"}
    assert config.drift.min_debriefs == 3
    assert config.slide_back.tick_weight == 1
    assert config.slide_back.code_weight == 1


def test_action_texts_are_the_portfolios_three_actions():
    actions = [level.action for level in default_config().ready_reckoner.levels]
    assert actions[0].startswith("Be aware and alert")
    assert "speak to supervisor and email multi agencies" in actions[1].lower()
    assert "get to see the child" in actions[2]


def test_indicators_are_the_ten_ready_reckoner_questions_of_the_bank():
    bank = load_bank()
    reckoner_questions = [qid for qid in bank.questions if qid.startswith("rr_")]
    indicators = default_config().ready_reckoner.indicator_ids
    assert len(indicators) == 10
    assert sorted(indicators) == sorted(reckoner_questions)
    assert all(bank.questions[qid].type == "yes_no" for qid in indicators)


def test_thresholds_are_overridable():
    config = load_config(
        overrides={
            "unseen_alone_run": {"visits": 3},
            "ready_reckoner": {"levels": {"speak_to_supervisor": {"min_total": 5}}},
        }
    )
    assert config.unseen_alone_run.visits == 3
    assert config.ready_reckoner.level("speak_to_supervisor").min_total == 5
    # Everything not overridden keeps its default.
    assert config.ready_reckoner.level("high_likelihood").min_total == 7
    assert config.no_access_run.visits == 2


def test_local_file_only_needs_the_keys_it_changes(tmp_path):
    local = tmp_path / "local_patterns.yml"
    local.write_text("drift:\n  min_debriefs: 4\n", encoding="utf-8")
    config = load_config(local)
    assert config.drift.min_debriefs == 4
    assert config.unseen_alone_run.visits == 2
    assert str(local) in config.source


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"unseen_alone_run": {"visits": 0}}, "unseen_alone_run.visits"),
        ({"unseen_alone_run": {"visits": "two"}}, "unseen_alone_run.visits"),
        ({"unseen_alone_run": {"visits": True}}, "unseen_alone_run.visits"),
        ({"unseen_alone_run": {"vists": 2}}, "unseen_alone_run.vists"),
        ({"unseen_alone_run": {"unseen_values": ["yes"]}}, "unseen_alone_run.unseen_values"),
        ({"unseen_alone_run": {"unseen_values": []}}, "unseen_alone_run.unseen_values"),
        ({"unseen_alone_run": {"urgent": "yes"}}, "unseen_alone_run.urgent"),
        (
            {"unseen_alone_run": {"discuss_within_working_days": -1}},
            "unseen_alone_run.discuss_within_working_days",
        ),
        ({"no_access_run": {"unknown_visits": "ignore"}}, "no_access_run.unknown_visits"),
        (
            {"no_access_run": {"discuss_within_working_days": 1}},
            "no_access_run.discuss_within_working_days",
        ),
        (
            {"ready_reckoner": {"levels": {"speak_to_supervisor": {"min_total": 1}}}},
            "ready_reckoner.levels.speak_to_supervisor.min_total",
        ),
        (
            {"ready_reckoner": {"levels": {"high_likelihood": {"action": "  "}}}},
            "ready_reckoner.levels.high_likelihood.action",
        ),
        (
            {"ready_reckoner": {"levels": {"very_high": {"min_total": 9, "action": "x"}}}},
            "ready_reckoner.levels.very_high",
        ),
        ({"ready_reckoner": {"window_visits": 0}}, "ready_reckoner.window_visits"),
        ({"ready_reckoner": {"same_indicator_visits": 4}}, "ready_reckoner.same_indicator_visits"),
        ({"ready_reckoner": {"raise_at": ["sometimes"]}}, "ready_reckoner.raise_at"),
        (
            {"ready_reckoner": {"indicators": {"rr_fail_to_attend": ""}}},
            "ready_reckoner.indicators.rr_fail_to_attend",
        ),
        ({"slide_back": {"weights": {"reckoner_tick": -1}}}, "slide_back.weights.reckoner_tick"),
        (
            {"slide_back": {"weights": {"reckoner_tick": 0, "concern_code": 0}}},
            "slide_back.weights",
        ),
        ({"slide_back": {"min_drop": 0}}, "slide_back.min_drop"),
        ({"drift": {"min_debriefs": 1}}, "drift.min_debriefs"),
        ({"drift": {"ignore_codes": ["not_a_code"]}}, "drift.ignore_codes"),
        ({"drift": "often"}, "drift"),
        ({"version": 2}, "version"),
        ({"extra_rule": {}}, "extra_rule"),
    ],
)
def test_malformed_config_raises_naming_the_key(overrides, key):
    with pytest.raises(PatternConfigError) as caught:
        load_config(overrides=overrides)
    assert caught.value.key == key
    assert f"'{key}'" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_missing_key_is_named():
    document = copy.deepcopy(shipped_document())
    del document["ready_reckoner"]["levels"]["be_aware"]["min_total"]
    with pytest.raises(PatternConfigError, match=r"ready_reckoner\.levels\.be_aware\.min_total"):
        parse_config(document)
    document = copy.deepcopy(shipped_document())
    del document["slide_back"]
    with pytest.raises(PatternConfigError, match="'slide_back': is missing"):
        parse_config(document)


def test_unquoted_yes_no_in_a_file_gets_a_helpful_message(tmp_path):
    local = tmp_path / "patterns.yml"
    local.write_text("no_access_run:\n  no_access_values: [no]\n", encoding="utf-8")
    with pytest.raises(PatternConfigError) as caught:
        load_config(local)
    message = str(caught.value)
    assert "no_access_run.no_access_values" in message
    assert "quote" in message
    assert str(local) in message


def test_unreadable_or_non_mapping_files_are_reported(tmp_path):
    with pytest.raises(PatternConfigError, match="cannot be read"):
        load_config(tmp_path / "absent.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("drift: [unclosed\n", encoding="utf-8")
    with pytest.raises(PatternConfigError, match="cannot be read"):
        load_config(broken)
    listing = tmp_path / "list.yml"
    listing.write_text("- drift\n", encoding="utf-8")
    with pytest.raises(PatternConfigError, match="top level"):
        load_config(listing)


def test_every_rule_can_be_switched_off():
    records = [
        VisitRecord(
            f"d{day}",
            date(2026, 11, day),
            child_seen="no",
            access_gained="no",
            reckoner_ticks={"rr_say_see_dont_add_up", "rr_fail_to_attend", "rr_deflect_to_adults"},
            concern_codes={"avoidance", "unseen_child"},
        )
        for day in (2, 9, 16)
    ]
    assert len(pattern_concerns(records, today=date(2026, 11, 16))) >= 4
    off = {"enabled": False}
    config = load_config(
        overrides={
            "unseen_alone_run": off,
            "no_access_run": off,
            "ready_reckoner": off,
            "slide_back": off,
            "drift": off,
        }
    )
    assert pattern_concerns(records, config, today=date(2026, 11, 16)) == []
