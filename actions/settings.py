"""Settings read from the environment, in one place.

Every module asks this module; nothing else reads ``os.environ``. Values are read when
``get_settings()`` is first called (not at import), so tests can set the environment
first and then call ``get_settings.cache_clear()``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    question_bank_dir: Path
    concern_catalogue: Path
    urgent_discussion_working_days: int
    # Create a worker for an unknown chat sender (local use, tests); false: refuse them.
    auto_enrol: bool = True
    # Where supervision agendas are written (file names carry a random token), and the
    # URL a web server publishes that folder at, if one does (links are then given too).
    agenda_dir: Path = PROJECT_ROOT / "var" / "agendas"
    agenda_base_url: str | None = None
    # Rasa's SQL tracker store (endpoints.yml), whose `events` the retention purge and
    # erasure clear; and the retention policy (actions/retention.yml), with per-type
    # overrides from SUPERVISION_RETENTION_<TYPE>_DAYS (type name upper-cased).
    tracker_database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa_tracker.db'}"
    retention_file: Path = PROJECT_ROOT / "actions" / "retention.yml"
    retention_overrides: tuple[tuple[str, str], ...] = ()


FALSE_WORDS = ("0", "false", "no", "off")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value not in FALSE_WORDS


RETENTION_PREFIX, RETENTION_SUFFIX = "SUPERVISION_RETENTION_", "_DAYS"


def _retention_overrides() -> tuple[tuple[str, str], ...]:
    """(record type, value) from every SUPERVISION_RETENTION_<TYPE>_DAYS variable."""
    found = []
    for name, value in sorted(os.environ.items()):
        if name.startswith(RETENTION_PREFIX) and name.endswith(RETENTION_SUFFIX):
            record_type = name[len(RETENTION_PREFIX) : -len(RETENTION_SUFFIX)].lower()
            found.append((record_type, value.strip()))
    return tuple(found)


def _default_database_url() -> str:
    var_dir = PROJECT_ROOT / "var"
    return f"sqlite:///{var_dir / 'supervision.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("SUPERVISION_DATABASE_URL") or _default_database_url(),
        question_bank_dir=Path(
            os.environ.get("SUPERVISION_QUESTION_BANK", PROJECT_ROOT / "actions/bank/questions")
        ),
        concern_catalogue=Path(
            os.environ.get(
                "SUPERVISION_CONCERN_CATALOGUE", PROJECT_ROOT / "actions/concerns/catalogue.yml"
            )
        ),
        urgent_discussion_working_days=int(os.environ.get("SUPERVISION_URGENT_WORKING_DAYS", "1")),
        auto_enrol=_flag("SUPERVISION_AUTO_ENROL", default=True),
        agenda_dir=Path(os.environ.get("SUPERVISION_AGENDA_DIR") or PROJECT_ROOT / "var/agendas"),
        agenda_base_url=os.environ.get("SUPERVISION_AGENDA_BASE_URL", "").strip() or None,
        tracker_database_url=os.environ.get("SUPERVISION_TRACKER_DATABASE_URL")
        or Settings.tracker_database_url,
        retention_file=Path(
            os.environ.get("SUPERVISION_RETENTION_FILE") or Settings.retention_file
        ),
        retention_overrides=_retention_overrides(),
    )
