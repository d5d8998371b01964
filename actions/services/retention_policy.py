"""The retention policy: how many days each kind of record is kept (``actions/retention.yml``,
overridden per type by ``SUPERVISION_RETENTION_<TYPE>_DAYS``).

The periods are local policy, set by the organisation's records-management schedule; the
file's defaults are placeholders. ``never`` keeps a type for good. The audit log must be
kept at least as long as every other type with a period, so a record's trail outlives
the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from actions.settings import get_settings

# In the order the purge handles them: the audit log last, so its cut-off is applied to
# a log that already records the purge's own work.
RECORD_TYPES = (
    "debriefs",
    "supervision_sessions",
    "chat_events",
    "agenda_files",
    "deactivated_people",
    "audit_log",
)
NEVER_WORDS = ("never", "none", "forever")
DEFAULT_BATCH_SIZE = 500
MAX_BATCH_SIZE = 5000  # well under SQLite's limit on bound parameters


class RetentionConfigError(ValueError):
    """The retention file or an override is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class RetentionPolicy:
    periods: Mapping[str, int | None]  # days; None: kept for good
    batch_size: int = DEFAULT_BATCH_SIZE
    source: str = "defaults"

    def period(self, record_type: str) -> int | None:
        return self.periods[record_type]

    def cutoff(self, record_type: str, now: datetime) -> datetime | None:
        """Records of this type dated before this moment are past their period."""
        days = self.periods[record_type]
        return None if days is None else now - timedelta(days=days)


def parse_days(record_type: str, value: Any, where: str) -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in NEVER_WORDS):
        return None
    if isinstance(value, bool):
        raise RetentionConfigError(f"{where}: {record_type} must be a number of days or never")
    try:
        days = int(str(value).strip())
    except ValueError:
        raise RetentionConfigError(
            f"{where}: {record_type} must be a number of days or never; got {value!r}"
        ) from None
    if days < 1:
        raise RetentionConfigError(f"{where}: {record_type} must be at least 1 day; got {days}")
    return days


def parse_batch_size(value: Any, where: str) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise RetentionConfigError(f"{where}: batch_size must be a number; got {value!r}") from None
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise RetentionConfigError(f"{where}: batch_size must be 1-{MAX_BATCH_SIZE}; got {size}")
    return size


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RetentionConfigError(f"cannot read the retention file {path}: {error}") from None
    except yaml.YAMLError as error:
        raise RetentionConfigError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("periods"), dict):
        raise RetentionConfigError(f"{path}: expected a mapping with `periods:`")
    return data


def _periods(
    from_file: Mapping[str, Any], overrides: Iterable[tuple[str, str]], where: str
) -> dict[str, int | None]:
    unknown = set(from_file) - set(RECORD_TYPES)
    missing = set(RECORD_TYPES) - set(from_file)
    if unknown or missing:
        raise RetentionConfigError(
            f"{where}: periods must name exactly {', '.join(RECORD_TYPES)}"
            f" (unknown: {sorted(unknown) or '-'}, missing: {sorted(missing) or '-'})"
        )
    periods = {name: parse_days(name, from_file[name], where) for name in RECORD_TYPES}
    for name, value in overrides:
        if name not in periods:
            raise RetentionConfigError(
                f"SUPERVISION_RETENTION_{name.upper()}_DAYS: no record type {name!r}"
            )
        periods[name] = parse_days(name, value, f"SUPERVISION_RETENTION_{name.upper()}_DAYS")
    return periods


def check_audit_outlives(periods: Mapping[str, int | None]) -> None:
    audit = periods["audit_log"]
    if audit is None:
        return
    for name, days in periods.items():
        if days is not None and days > audit:
            raise RetentionConfigError(
                f"the audit log ({audit} days) must be kept at least as long as "
                f"{name} ({days} days): the trail must outlive the records"
            )


def load_policy(
    path: Path | None = None, overrides: Iterable[tuple[str, str]] | None = None
) -> RetentionPolicy:
    """The policy in force: the file (default: settings), then environment overrides."""
    settings = get_settings()
    path = path or settings.retention_file
    overrides = settings.retention_overrides if overrides is None else overrides
    data = _read_yaml(path)
    periods = _periods(data["periods"], overrides, str(path))
    check_audit_outlives(periods)
    batch_size = parse_batch_size(data.get("batch_size", DEFAULT_BATCH_SIZE), str(path))
    return RetentionPolicy(MappingProxyType(periods), batch_size, str(path))
