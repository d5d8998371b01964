"""Concerns from patterns across the visits of one case.

Structured answers and free text raise concerns about one visit; this module looks at the
case's chronology (``VisitRecord``s, oldest first; ``chronology.read_chronology`` reads
them from the store) and raises what only shows over several visits:

1. ``pattern:unseen_alone_run`` -> ``unseen_child`` (urgent): the child not seen alone on
   N visits running, with a "discuss with a manager within X working days" timescale.
2. ``pattern:no_access_run`` -> ``avoidance``: no access on N visits running.
3. ``pattern:ready_reckoner`` -> ``disguised_compliance``: the portfolio's ready reckoner
   (Appendix), ticks counted across the latest visits and mapped to its three actions
   (``reckoner_summary``).
4. ``pattern:slide_back`` -> ``disguised_compliance``: a worry score that fell and then
   rose back to at least its earlier level ("improvement that lasts only until the
   pressure lifts").
5. ``pattern:drift`` -> ``drift``: the same concern code on K or more debriefs.

Every pattern is judged at the latest visit of the chronology: an old run that a later
visit ended is not raised again. The numbers are local policy, read from ``patterns.yml``
and checked on load (``PatternConfigError`` names the key). Everything here is a pure
function of its arguments, except that the defaults come from ``patterns.yml``, the
settings (working days) and, when ``today`` is not given, the clock.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.bank.schema import TAXONOMY_CODES
from actions.concerns.structured import RaisedConcern
from actions.settings import get_settings

DEFAULT_CONFIG_PATH = Path(__file__).with_name("patterns.yml")

CONFIG_VERSION = 1
LEVELS = ("be_aware", "speak_to_supervisor", "high_likelihood")
UNKNOWN_VISIT_MODES = ("skip", "break")
# Answer values a run may count. "yes" is never one: a "yes" is what ends a run.
RUN_VALUES = ("no", "not_sure", "own_words", "skipped")

RULE_UNSEEN_ALONE_RUN = "pattern:unseen_alone_run"
RULE_NO_ACCESS_RUN = "pattern:no_access_run"
RULE_READY_RECKONER = "pattern:ready_reckoner"
RULE_SLIDE_BACK = "pattern:slide_back"
RULE_DRIFT = "pattern:drift"


# --- the chronology ----------------------------------------------------------------


@dataclass(frozen=True)
class VisitRecord:
    """One debrief of a case, as the pattern rules see it.

    Answer fields hold the stored answer value (``yes``, ``no``, ``not_sure``,
    ``own_words``, ``skipped``) or None when the question was not answered.
    ``reckoner_ticks`` are the ready-reckoner question ids answered ``yes``;
    ``concern_codes`` the codes of the concerns stored for the debrief.
    ``date_from_debrief`` is True when no visit date was recorded and ``visit_date`` is
    the day the debrief started.
    """

    debrief_id: str
    visit_date: date
    child_seen: str | None = None
    child_seen_alone: str | None = None
    access_gained: str | None = None
    reckoner_ticks: frozenset[str] = field(default_factory=frozenset)
    concern_codes: frozenset[str] = field(default_factory=frozenset)
    date_from_debrief: bool = False

    def __post_init__(self) -> None:
        # Accept any iterable (a list in a test, a set from the store).
        object.__setattr__(self, "reckoner_ticks", frozenset(self.reckoner_ticks))
        object.__setattr__(self, "concern_codes", frozenset(self.concern_codes))


# --- configuration -----------------------------------------------------------------


class PatternConfigError(ValueError):
    """The pattern configuration is malformed; the message names the source and the key."""

    def __init__(self, source: str, key: str, problem: str):
        super().__init__(f"{source}: key '{key}': {problem}")
        self.source, self.key, self.problem = source, key, problem


@dataclass(frozen=True)
class RunRule:
    """A rule that fires on ``visits`` visits running whose answer is in ``values``."""

    enabled: bool
    visits: int
    values: frozenset[str]
    unknown_visits: str  # skip | break
    urgent: bool
    discuss_within_working_days: int | None = None  # None: from the settings


@dataclass(frozen=True)
class ReckonerLevel:
    id: str
    min_total: int
    action: str


@dataclass(frozen=True)
class ReckonerConfig:
    enabled: bool
    window_visits: int
    levels: tuple[ReckonerLevel, ...]  # lowest first
    same_indicator_visits: int | None
    raise_at: frozenset[str]
    urgent: bool
    indicators: tuple[tuple[str, str], ...]  # (question id, portfolio wording), in order

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(question_id for question_id, _ in self.indicators)

    def indicator_text(self, question_id: str) -> str:
        return dict(self.indicators).get(question_id, question_id)

    def level(self, level_id: str) -> ReckonerLevel:
        return next(level for level in self.levels if level.id == level_id)


@dataclass(frozen=True)
class SlideBackConfig:
    enabled: bool
    tick_weight: float
    code_weight: float
    min_earlier_score: float
    min_drop: float
    urgent: bool


@dataclass(frozen=True)
class DriftConfig:
    enabled: bool
    min_debriefs: int
    require_on_latest_visit: bool
    ignore_codes: frozenset[str]
    urgent: bool


@dataclass(frozen=True)
class PatternConfig:
    unseen_alone_run: RunRule
    no_access_run: RunRule
    ready_reckoner: ReckonerConfig
    slide_back: SlideBackConfig
    drift: DriftConfig
    source: str = str(DEFAULT_CONFIG_PATH)


class _Reader:
    """Typed reads from the raw mapping; every failure names the dotted key."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, problem: str) -> PatternConfigError:
        return PatternConfigError(self.source, key, problem)

    def mapping(self, raw: Any, key: str, allowed: Collection[str] | None = None) -> dict:
        if not isinstance(raw, Mapping):
            raise self.fail(key or "(top level)", f"must be a mapping (got {raw!r})")
        for name in raw:
            if not isinstance(name, str):
                raise self.fail(key, f"keys must be text (got {name!r})")
            if allowed is not None and name not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(_join(key, name), f"unknown key (known keys here: {known})")
        return dict(raw)

    def get(self, raw: Mapping, key: str, name: str) -> Any:
        if name not in raw:
            raise self.fail(_join(key, name), "is missing")
        return raw[name]

    def boolean(self, raw: Mapping, key: str, name: str) -> bool:
        value = self.get(raw, key, name)
        if not isinstance(value, bool):
            raise self.fail(_join(key, name), f"must be true or false (got {value!r})")
        return value

    def integer(
        self, raw: Mapping, key: str, name: str, minimum: int, optional: bool = False
    ) -> int | None:
        value = self.get(raw, key, name)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            also = " or null" if optional else ""
            problem = f"must be a whole number of at least {minimum}{also} (got {value!r})"
            raise self.fail(_join(key, name), problem)
        return value

    def number(self, raw: Mapping, key: str, name: str, minimum: float) -> float:
        value = self.get(raw, key, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            problem = f"must be a number of at least {minimum} (got {value!r})"
            raise self.fail(_join(key, name), problem)
        return value

    def text(self, raw: Mapping, key: str, name: str) -> str:
        value = self.get(raw, key, name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(_join(key, name), f"must be non-empty text (got {value!r})")
        return " ".join(value.split())

    def choice(self, raw: Mapping, key: str, name: str, allowed: Sequence[str]) -> str:
        value = self.get(raw, key, name)
        if value not in allowed:
            problem = f"must be one of {', '.join(allowed)} (got {value!r})"
            raise self.fail(_join(key, name), problem)
        return value

    def text_list(
        self, raw: Mapping, key: str, name: str, allowed: Collection[str] | None = None
    ) -> tuple[str, ...]:
        value = self.get(raw, key, name)
        full = _join(key, name)
        if not isinstance(value, list):
            raise self.fail(full, f"must be a list (got {value!r})")
        for item in value:
            if isinstance(item, bool):
                raise self.fail(
                    full,
                    f'{item!r} is not an answer value: quote yes/no ("no"), YAML reads '
                    "them unquoted as true/false",
                )
            if not isinstance(item, str) or not item.strip():
                raise self.fail(full, f"items must be non-empty text (got {item!r})")
            if allowed is not None and item not in allowed:
                raise self.fail(
                    full, f"{item!r} is not allowed here (allowed: {', '.join(sorted(allowed))})"
                )
        if len(set(value)) != len(value):
            raise self.fail(full, "lists an item twice")
        return tuple(value)


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


RUN_KEYS = {"enabled", "visits", "unknown_visits", "urgent"}


def _parse_run(reader: _Reader, raw: Any, key: str, values_key: str, timescale: bool) -> RunRule:
    allowed = RUN_KEYS | {values_key} | ({"discuss_within_working_days"} if timescale else set())
    section = reader.mapping(raw, key, allowed)
    values = reader.text_list(section, key, values_key, RUN_VALUES)
    if not values:
        raise reader.fail(_join(key, values_key), "must list at least one answer value")
    return RunRule(
        enabled=reader.boolean(section, key, "enabled"),
        visits=reader.integer(section, key, "visits", minimum=1),
        values=frozenset(values),
        unknown_visits=reader.choice(section, key, "unknown_visits", UNKNOWN_VISIT_MODES),
        urgent=reader.boolean(section, key, "urgent"),
        discuss_within_working_days=(
            reader.integer(section, key, "discuss_within_working_days", 0, optional=True)
            if timescale
            else None
        ),
    )


def _parse_reckoner(reader: _Reader, raw: Any) -> ReckonerConfig:
    key = "ready_reckoner"
    section = reader.mapping(
        raw,
        key,
        {
            "enabled",
            "window_visits",
            "levels",
            "same_indicator_visits",
            "raise_at",
            "urgent",
            "indicators",
        },
    )
    window = reader.integer(section, key, "window_visits", minimum=1)
    levels_key = _join(key, "levels")
    raw_levels = reader.mapping(reader.get(section, key, "levels"), levels_key, LEVELS)
    levels = []
    for level_id in LEVELS:
        level_key = _join(levels_key, level_id)
        entry = reader.mapping(
            reader.get(raw_levels, levels_key, level_id), level_key, {"min_total", "action"}
        )
        level = ReckonerLevel(
            id=level_id,
            min_total=reader.integer(entry, level_key, "min_total", minimum=1),
            action=reader.text(entry, level_key, "action"),
        )
        if levels and level.min_total <= levels[-1].min_total:
            raise reader.fail(
                _join(level_key, "min_total"),
                f"must be more than {levels[-1].id}'s min_total "
                f"({level.min_total} <= {levels[-1].min_total})",
            )
        levels.append(level)
    same = reader.integer(section, key, "same_indicator_visits", minimum=1, optional=True)
    if same is not None and same > window:
        raise reader.fail(
            _join(key, "same_indicator_visits"),
            f"cannot be more than window_visits ({same} > {window}): it could never be reached",
        )
    indicators_key = _join(key, "indicators")
    raw_indicators = reader.mapping(reader.get(section, key, "indicators"), indicators_key)
    if not raw_indicators:
        raise reader.fail(indicators_key, "must list at least one indicator")
    indicators = tuple(
        (question_id, reader.text(raw_indicators, indicators_key, question_id))
        for question_id in raw_indicators
    )
    return ReckonerConfig(
        enabled=reader.boolean(section, key, "enabled"),
        window_visits=window,
        levels=tuple(levels),
        same_indicator_visits=same,
        raise_at=frozenset(reader.text_list(section, key, "raise_at", LEVELS)),
        urgent=reader.boolean(section, key, "urgent"),
        indicators=indicators,
    )


def _parse_slide_back(reader: _Reader, raw: Any) -> SlideBackConfig:
    key = "slide_back"
    section = reader.mapping(
        raw, key, {"enabled", "weights", "min_earlier_score", "min_drop", "urgent"}
    )
    weights_key = _join(key, "weights")
    weights = reader.mapping(
        reader.get(section, key, "weights"), weights_key, {"reckoner_tick", "concern_code"}
    )
    tick_weight = reader.number(weights, weights_key, "reckoner_tick", minimum=0)
    code_weight = reader.number(weights, weights_key, "concern_code", minimum=0)
    if tick_weight == 0 and code_weight == 0:
        raise reader.fail(weights_key, "at least one weight must be more than 0")
    min_drop = reader.number(section, key, "min_drop", minimum=0)
    if min_drop <= 0:
        raise reader.fail(_join(key, "min_drop"), f"must be more than 0 (got {min_drop!r})")
    return SlideBackConfig(
        enabled=reader.boolean(section, key, "enabled"),
        tick_weight=tick_weight,
        code_weight=code_weight,
        min_earlier_score=reader.number(section, key, "min_earlier_score", minimum=0),
        min_drop=min_drop,
        urgent=reader.boolean(section, key, "urgent"),
    )


def _parse_drift(reader: _Reader, raw: Any) -> DriftConfig:
    key = "drift"
    section = reader.mapping(
        raw, key, {"enabled", "min_debriefs", "require_on_latest_visit", "ignore_codes", "urgent"}
    )
    return DriftConfig(
        enabled=reader.boolean(section, key, "enabled"),
        min_debriefs=reader.integer(section, key, "min_debriefs", minimum=2),
        require_on_latest_visit=reader.boolean(section, key, "require_on_latest_visit"),
        ignore_codes=frozenset(reader.text_list(section, key, "ignore_codes", TAXONOMY_CODES)),
        urgent=reader.boolean(section, key, "urgent"),
    )


SECTIONS = ("unseen_alone_run", "no_access_run", "ready_reckoner", "slide_back", "drift")


def parse_config(raw: Any, source: str = "pattern configuration") -> PatternConfig:
    """A checked ``PatternConfig`` from a complete raw mapping (as in ``patterns.yml``)."""
    reader = _Reader(source)
    document = reader.mapping(raw, "", {"version", *SECTIONS})
    for section in ("version", *SECTIONS):
        reader.get(document, "", section)
    if document["version"] != CONFIG_VERSION:
        raise reader.fail("version", f"must be {CONFIG_VERSION} (got {document['version']!r})")
    return PatternConfig(
        unseen_alone_run=_parse_run(
            reader, document["unseen_alone_run"], "unseen_alone_run", "unseen_values", True
        ),
        no_access_run=_parse_run(
            reader, document["no_access_run"], "no_access_run", "no_access_values", False
        ),
        ready_reckoner=_parse_reckoner(reader, document["ready_reckoner"]),
        slide_back=_parse_slide_back(reader, document["slide_back"]),
        drift=_parse_drift(reader, document["drift"]),
        source=source,
    )


def _read_yaml(path: Path) -> Any:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PatternConfigError(str(path), "(file)", f"cannot be read: {error}") from error
    if not isinstance(document, Mapping):
        raise PatternConfigError(str(path), "(top level)", f"must be a mapping (got {document!r})")
    return document


def _merge(base: Any, extra: Any) -> Any:
    """``extra`` over ``base``: mappings merge key by key, anything else replaces."""
    if isinstance(base, Mapping) and isinstance(extra, Mapping):
        merged = dict(base)
        for name, value in extra.items():
            merged[name] = _merge(base[name], value) if name in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(extra)


def load_config(
    path: Path | str | None = None, overrides: Mapping[str, Any] | None = None
) -> PatternConfig:
    """The pattern configuration: ``patterns.yml``, then ``path``, then ``overrides``.

    A local file or overrides only need the keys they change; mappings are merged key by
    key over the shipped defaults, lists replace. Raises ``PatternConfigError``.
    """
    document = _read_yaml(DEFAULT_CONFIG_PATH)
    source = str(DEFAULT_CONFIG_PATH)
    if path is not None and Path(path).resolve() != DEFAULT_CONFIG_PATH.resolve():
        document = _merge(document, _read_yaml(Path(path)))
        source = str(path)
    if overrides:
        if not isinstance(overrides, Mapping):
            raise PatternConfigError(source, "(overrides)", "must be a mapping")
        document = _merge(document, overrides)
        source = f"{source} (with overrides)"
    return parse_config(document, source)


@lru_cache(maxsize=1)
def default_config() -> PatternConfig:
    """The shipped configuration, read once per process."""
    return load_config()


# --- small helpers -----------------------------------------------------------------


def add_working_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The date ``days`` working days after ``start``: weekends (and ``holidays``) skipped.

    ``days=0`` is ``start`` itself. Bank holidays are only known if passed in.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number of at least 0 (got {days!r})")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def _ordered(chronology: Iterable[VisitRecord]) -> list[VisitRecord]:
    """Oldest visit first; records of the same day keep the order they were given in."""
    return sorted(chronology, key=lambda record: record.visit_date)


def _when(record: VisitRecord | VisitTicks) -> str:
    return record.visit_date.isoformat()


def _date_note(records: Iterable[VisitRecord | VisitTicks]) -> str:
    """A sentence saying which dates are debrief dates standing in for visit dates."""
    dates = sorted({_when(record) for record in records if record.date_from_debrief})
    if not dates:
        return ""
    verb = "is the date" if len(dates) == 1 else "are the dates"
    return f" {_and_list(dates)} {verb} of the debrief: no visit date was recorded."


def _and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _visits_of(records: Sequence[VisitRecord]) -> str:
    noun = "visit" if len(records) == 1 else "visits"
    return f"the {noun} of {_and_list([_when(record) for record in records])}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- rules 1 and 2: runs -------------------------------------------------------------


def _unseen_state(record: VisitRecord, values: frozenset[str]) -> bool | None:
    """True: not seen alone; False: seen alone (ends a run); None: not known."""
    if record.child_seen in values or record.child_seen_alone in values:
        return True
    if record.child_seen_alone == "yes":
        return False
    return None


def _no_access_state(record: VisitRecord, values: frozenset[str]) -> bool | None:
    if record.access_gained in values:
        return True
    if record.access_gained == "yes":
        return False
    return None


def _trailing_run(
    records: Sequence[VisitRecord], state, rule: RunRule
) -> tuple[list[VisitRecord], list[VisitRecord]]:
    """The run that reaches the latest visit: (visits that count, unknown visits inside it)."""
    counted: list[int] = []
    unknown: list[int] = []
    for index in range(len(records) - 1, -1, -1):
        found = state(records[index], rule.values)
        if found is True:
            counted.append(index)
        elif found is None and rule.unknown_visits == "skip":
            unknown.append(index)
        else:
            break
    # Unknown visits older than the run's first visit are not part of it.
    start = min(counted, default=len(records))
    return (
        [records[index] for index in sorted(counted)],
        [records[index] for index in sorted(unknown) if index > start],
    )


def _unseen_detail(record: VisitRecord, values: frozenset[str]) -> str | None:
    if record.child_seen == "no" and "no" in values:
        return "not seen at all"
    if record.child_seen == "not_sure" and "not_sure" in values:
        return "not sure the child was seen"
    if record.child_seen_alone == "not_sure" and "not_sure" in values:
        return "not sure the child was seen alone"
    return None


def unseen_alone_run_concern(
    chronology: Iterable[VisitRecord],
    config: PatternConfig | None = None,
    today: date | None = None,
    working_days: int | None = None,
) -> RaisedConcern | None:
    """Rule 1: the child not seen alone on ``visits`` visits running, up to the latest."""
    rule = (config or default_config()).unseen_alone_run
    records = _ordered(chronology)
    if not rule.enabled or not records:
        return None
    counted, unknown = _trailing_run(records, _unseen_state, rule)
    if len(counted) < rule.visits:
        return None
    if working_days is None:
        working_days = rule.discuss_within_working_days
    if working_days is None:
        working_days = get_settings().urgent_discussion_working_days
    latest = records[-1].visit_date
    due = add_working_days(latest, working_days)
    details = [
        f"{detail} on {_when(record)}"
        for record in counted
        if (detail := _unseen_detail(record, rule.values)) is not None
    ]
    evidence = f"Child not seen alone on {_visits_of(counted)}"
    evidence += f" ({'; '.join(details)})." if details else "."
    if unknown:
        evidence += f" Not recorded on {_visits_of(unknown)}."
    evidence += _date_note(counted + unknown)
    evidence += (
        f" Discuss with a manager within {_plural(working_days, 'working day')}"
        f" (by {due.isoformat()})."
    )
    if due < (today or date.today()):
        evidence += " That date has passed: discuss it as soon as possible."
    return RaisedConcern(
        code="unseen_child",
        source="pattern",
        rule_id=RULE_UNSEEN_ALONE_RUN,
        evidence=evidence,
        urgent=rule.urgent,
    )


def no_access_run_concern(
    chronology: Iterable[VisitRecord], config: PatternConfig | None = None
) -> RaisedConcern | None:
    """Rule 2: no access on ``visits`` visits running, up to the latest."""
    rule = (config or default_config()).no_access_run
    records = _ordered(chronology)
    if not rule.enabled or not records:
        return None
    counted, unknown = _trailing_run(records, _no_access_state, rule)
    if len(counted) < rule.visits:
        return None
    evidence = f"No access to the home or the family on {_visits_of(counted)}."
    if unknown:
        evidence += f" Not recorded on {_visits_of(unknown)}."
    evidence += _date_note(counted + unknown)
    return RaisedConcern(
        code="avoidance",
        source="pattern",
        rule_id=RULE_NO_ACCESS_RUN,
        evidence=evidence,
        urgent=rule.urgent,
    )


# --- rule 3: the ready reckoner ------------------------------------------------------


@dataclass(frozen=True)
class VisitTicks:
    """The ready-reckoner indicators ticked (answered yes) on one visit."""

    debrief_id: str
    visit_date: date
    indicators: tuple[str, ...]  # question ids, in the reckoner's order
    date_from_debrief: bool = False

    @property
    def count(self) -> int:
        return len(self.indicators)


@dataclass(frozen=True)
class ReckonerSummary:
    """The reckoner across a case: what was ticked, and the portfolio's action for it.

    ``per_visit`` covers every visit, oldest first; ``window`` the latest
    ``window_visits`` of them, whose ticks make ``total`` and set ``level``.
    ``repeated`` lists indicators ticked on ``same_indicator_visits`` visits of the
    window. ``level`` is None (with ``action`` None) when nothing was ticked.
    """

    per_visit: tuple[VisitTicks, ...]
    window: tuple[VisitTicks, ...]
    total: int
    case_total: int
    repeated: tuple[str, ...]
    level: str | None
    action: str | None

    @property
    def per_visit_counts(self) -> tuple[int, ...]:
        return tuple(visit.count for visit in self.per_visit)


def reckoner_summary(
    chronology: Iterable[VisitRecord], config: PatternConfig | None = None
) -> ReckonerSummary:
    """Count the reckoner's ticks per visit and across visits, and map them to an action."""
    settings = (config or default_config()).ready_reckoner
    known = settings.indicator_ids
    per_visit = tuple(
        VisitTicks(
            debrief_id=record.debrief_id,
            visit_date=record.visit_date,
            indicators=tuple(i for i in known if i in record.reckoner_ticks),
            date_from_debrief=record.date_from_debrief,
        )
        for record in _ordered(chronology)
    )
    window = per_visit[-settings.window_visits :]
    total = sum(visit.count for visit in window)
    repeated: tuple[str, ...] = ()
    if settings.same_indicator_visits is not None:
        repeated = tuple(
            indicator
            for indicator in known
            if sum(indicator in visit.indicators for visit in window)
            >= settings.same_indicator_visits
        )
    level = None
    for candidate in settings.levels:
        if total >= candidate.min_total:
            level = candidate
    if repeated:
        level = settings.level("high_likelihood")
    return ReckonerSummary(
        per_visit=per_visit,
        window=window,
        total=total,
        case_total=sum(visit.count for visit in per_visit),
        repeated=repeated,
        level=level.id if level else None,
        action=level.action if level else None,
    )


def reckoner_concern(
    chronology: Iterable[VisitRecord], config: PatternConfig | None = None
) -> RaisedConcern | None:
    """Rule 3: disguised_compliance when the reckoner's level is one of ``raise_at``."""
    settings = (config or default_config()).ready_reckoner
    if not settings.enabled:
        return None
    summary = reckoner_summary(chronology, config)
    if summary.level is None or summary.level not in settings.raise_at:
        return None
    counts = [f"{_when(visit)} ({visit.count})" for visit in summary.window]
    noun = "visit" if len(counts) == 1 else "visits"
    evidence = (
        f"Ready reckoner: {_plural(summary.total, 'indicator')} ticked across the {noun} of "
        f"{_and_list(counts)}."
    )
    evidence += _date_note(summary.window)
    if summary.repeated:
        wording = "; ".join(f'"{settings.indicator_text(i)}"' for i in summary.repeated)
        evidence += f" Ticked on {settings.same_indicator_visits} visits or more: {wording}."
    evidence += f" Reckoner action: {summary.action}"
    return RaisedConcern(
        code="disguised_compliance",
        source="pattern",
        rule_id=RULE_READY_RECKONER,
        evidence=evidence,
        urgent=settings.urgent,
    )


# --- rule 4: improvement that slides back --------------------------------------------


def worry_score(record: VisitRecord, config: PatternConfig | None = None) -> float:
    """Reckoner ticks and distinct concern codes of one visit, weighted."""
    cfg = config or default_config()
    ticks = sum(i in record.reckoner_ticks for i in cfg.ready_reckoner.indicator_ids)
    weights = cfg.slide_back
    return ticks * weights.tick_weight + len(record.concern_codes) * weights.code_weight


def slide_back_concern(
    chronology: Iterable[VisitRecord], config: PatternConfig | None = None
) -> RaisedConcern | None:
    """Rule 4: the worry score fell after an earlier visit and the latest is back up.

    The earlier visit is the most recent one that qualifies: its score is at least
    ``min_earlier_score``, a visit between it and the latest scored at least ``min_drop``
    less, and the latest visit scores at least as much as it did.
    """
    cfg = config or default_config()
    settings = cfg.slide_back
    records = _ordered(chronology)
    if not settings.enabled or len(records) < 3:
        return None
    scores = [worry_score(record, cfg) for record in records]
    latest = len(records) - 1
    for earlier in range(latest - 2, -1, -1):
        peak = scores[earlier]
        if peak < settings.min_earlier_score or scores[latest] < peak:
            continue
        between = range(earlier + 1, latest)
        low = min(between, key=lambda index: (scores[index], -index))
        if scores[low] > peak - settings.min_drop:
            continue
        span = ", ".join(
            f"{_when(records[index])}: {_number(scores[index])}"
            for index in range(earlier, latest + 1)
        )
        evidence = (
            f"Improvement that did not last: the worry score (ready-reckoner ticks and "
            f"concerns raised) fell from {_number(peak)} on the visit of "
            f"{_when(records[earlier])} to {_number(scores[low])} on the visit of "
            f"{_when(records[low])}, then rose again to {_number(scores[latest])} on the "
            f"visit of {_when(records[latest])} (scores by visit: {span})."
        )
        evidence += _date_note(records[earlier : latest + 1])
        return RaisedConcern(
            code="disguised_compliance",
            source="pattern",
            rule_id=RULE_SLIDE_BACK,
            evidence=evidence,
            urgent=settings.urgent,
        )
    return None


# --- rule 5: drift -----------------------------------------------------------------


def drift_concern(
    chronology: Iterable[VisitRecord], config: PatternConfig | None = None
) -> RaisedConcern | None:
    """Rule 5: the same concern code on ``min_debriefs`` or more debriefs of the case."""
    settings = (config or default_config()).drift
    records = _ordered(chronology)
    if not settings.enabled or not records:
        return None
    seen: dict[str, list[VisitRecord]] = {}
    for record in records:
        for code in sorted(record.concern_codes - settings.ignore_codes):
            seen.setdefault(code, []).append(record)
    recurring = {
        code: found
        for code, found in seen.items()
        if len(found) >= settings.min_debriefs
        and (not settings.require_on_latest_visit or code in records[-1].concern_codes)
    }
    if not recurring:
        return None
    ordered = sorted(recurring.items(), key=lambda item: (-len(item[1]), item[0]))
    parts = [f"{code} on {_visits_of(found)}" for code, found in ordered]
    evidence = f"The same concern keeps coming up: {'; '.join(parts)}."
    evidence += _date_note(record for _, found in ordered for record in found)
    return RaisedConcern(
        code="drift",
        source="pattern",
        rule_id=RULE_DRIFT,
        evidence=evidence,
        urgent=settings.urgent,
    )


# --- all patterns ------------------------------------------------------------------


def pattern_concerns(
    chronology: Iterable[VisitRecord],
    config: PatternConfig | None = None,
    today: date | None = None,
) -> list[RaisedConcern]:
    """Every pattern concern of the case at its latest visit, urgent ones first.

    ``chronology`` is the case's visit records (any order; sorted by visit date here).
    ``today`` only decides whether the unseen-child timescale has already passed.
    """
    cfg = config or default_config()
    records = _ordered(chronology)
    raised = [
        unseen_alone_run_concern(records, cfg, today=today),
        no_access_run_concern(records, cfg),
        reckoner_concern(records, cfg),
        slide_back_concern(records, cfg),
        drift_concern(records, cfg),
    ]
    found = [concern for concern in raised if concern is not None]
    return sorted(found, key=lambda concern: not concern.urgent)
