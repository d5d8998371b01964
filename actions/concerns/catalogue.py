"""The concern catalogue: what each taxonomy code means and what the guidance suggests.

Kept as data (``catalogue.yml``) beside the rules so that wording can be improved
without touching code. Checked on load: every taxonomy code must be described.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from actions.bank.schema import TAXONOMY_CODES
from actions.settings import get_settings


class CatalogueError(ValueError):
    """The concern catalogue is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class ConcernInfo:
    code: str
    title: str
    plain: str
    suggests: str
    source: str


FIELDS = ("code", "title", "plain", "suggests", "source")


def load_catalogue(path: Path | None = None) -> dict[str, ConcernInfo]:
    path = Path(path or get_settings().concern_catalogue)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path}: cannot be read: {error}") from error
    entries = document.get("concerns") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise CatalogueError(f"{path}: expected a 'concerns:' list")
    catalogue: dict[str, ConcernInfo] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise CatalogueError(f"{path}: each concern must be a mapping")
        missing = [f for f in FIELDS if not str(entry.get(f, "")).strip()]
        if missing:
            raise CatalogueError(f"{path}: concern {entry.get('code')!r} lacks {missing}")
        info = ConcernInfo(**{f: " ".join(str(entry[f]).split()) for f in FIELDS})
        if info.code in catalogue:
            raise CatalogueError(f"{path}: concern '{info.code}' is listed twice")
        catalogue[info.code] = info
    absent = sorted(TAXONOMY_CODES - set(catalogue))
    if absent:
        raise CatalogueError(f"{path}: taxonomy codes not described: {absent}")
    return catalogue


@lru_cache(maxsize=4)
def cached_catalogue(path: str | None = None) -> dict[str, ConcernInfo]:
    return load_catalogue(Path(path) if path else None)
