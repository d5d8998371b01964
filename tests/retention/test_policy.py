"""The retention policy: actions/retention.yml, environment overrides, and checks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from actions.services.retention_policy import (
    RECORD_TYPES,
    RetentionConfigError,
    load_policy,
)
from actions.settings import get_settings
from actions.store.models import utc_now
from tests.retention.world import PERIODS


def write(tmp_path, body: str):
    path = tmp_path / "retention.yml"
    path.write_text(body, encoding="utf-8")
    return path


def periods_yaml(**changes) -> str:
    merged = {**PERIODS, **changes}
    return "periods:\n" + "".join(f"  {key}: {value}\n" for key, value in merged.items())


def test_the_shipped_defaults():
    policy = load_policy()

    assert dict(policy.periods) == PERIODS  # the documented defaults
    assert set(policy.periods) == set(RECORD_TYPES)
    assert policy.batch_size == 500 and policy.source.endswith("actions/retention.yml")


def test_the_cutoff_is_now_minus_the_period():
    now = utc_now()
    policy = load_policy()
    assert policy.cutoff("chat_events", now) == now - timedelta(days=90)


def test_an_environment_variable_overrides_one_type(monkeypatch):
    monkeypatch.setenv("SUPERVISION_RETENTION_CHAT_EVENTS_DAYS", "30")
    monkeypatch.setenv("SUPERVISION_RETENTION_DEBRIEFS_DAYS", "never")
    get_settings.cache_clear()

    policy = load_policy()

    assert policy.period("chat_events") == 30
    assert policy.period("debriefs") is None
    assert policy.cutoff("debriefs", utc_now()) is None


def test_another_file_can_be_named(monkeypatch, tmp_path):
    path = write(tmp_path, periods_yaml(agenda_files=7) + "batch_size: 50\n")
    monkeypatch.setenv("SUPERVISION_RETENTION_FILE", str(path))
    get_settings.cache_clear()

    policy = load_policy()

    assert policy.period("agenda_files") == 7 and policy.batch_size == 50


@pytest.mark.parametrize(
    "body, message",
    [
        (periods_yaml(debriefs="soon"), "debriefs must be a number of days"),
        (periods_yaml(debriefs=0), "at least 1 day"),
        (periods_yaml(audit_log=365), "audit log (365 days) must be kept at least as long"),
        (periods_yaml() + "  cases: 10\n", "unknown: ['cases']"),
        ("periods:\n  debriefs: 10\n", "missing"),
        ("just text", "expected a mapping"),
        (periods_yaml() + "batch_size: 0\n", "batch_size must be 1-5000"),
        ("periods: [", "not valid YAML"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(tmp_path, body, message):
    with pytest.raises(RetentionConfigError, match=re.escape(message)):
        load_policy(write(tmp_path, body), overrides=())


def test_a_bad_override_is_refused(tmp_path):
    path = write(tmp_path, periods_yaml())
    with pytest.raises(RetentionConfigError, match="no record type 'cases'"):
        load_policy(path, overrides=[("cases", "10")])
    with pytest.raises(RetentionConfigError, match="SUPERVISION_RETENTION_AUDIT_LOG_DAYS"):
        load_policy(path, overrides=[("audit_log", "-3")])


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(RetentionConfigError, match="cannot read"):
        load_policy(tmp_path / "nowhere.yml", overrides=())


def test_the_cli_reports_a_bad_policy(monkeypatch, tmp_path, invoke):
    monkeypatch.setenv("SUPERVISION_RETENTION_AUDIT_LOG_DAYS", "10")
    get_settings.cache_clear()

    result = invoke("purge", "--dry-run")

    assert result.exit_code == 2
    assert "invalid retention policy" in result.stderr and "audit log" in result.stderr
