"""What an agenda holds, as plain data.

The supervision service (actions/services/supervision.py) builds an `Agenda` from the
records a supervisor may see; the renderers (actions/reports/agenda_html.py and
agenda_pdf.py) turn it into a page. Nothing here touches the database, so the renderers
are tested with agendas built by hand. Every string may hold anything a user typed:
renderers must escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class AgendaConcern:
    code: str  # a taxonomy code
    title: str  # the catalogue's short title
    plain: str  # the catalogue's plain, non-blaming wording
    evidence: tuple[str, ...]  # quoted spans or structured statements
    guidance: str  # what the guidance suggests, with its source
    urgent: bool
    status: str  # open | for_supervision | discussed | closed | carried_forward ...
    raised_on: date
    open_days: int
    worker_note: str | None = None


@dataclass(frozen=True)
class VisitPoint:
    """One visit of a case, for the chart of concerns and ticks across visits."""

    label: str  # e.g. "12 Nov" or "Visit 3"
    concerns: int
    reckoner_ticks: int


@dataclass(frozen=True)
class SupervisionQuestion:
    number: int
    text: str
    evidence: tuple[str, ...] = ()  # what bears on it, e.g. worker_fear evidence for question 4
    note: str | None = None  # the supervisor's note, when recorded
    # The bank set: supervision | team_around_child | organisation (numbers restart per set)
    set_id: str = "supervision"


@dataclass(frozen=True)
class AgreedAction:
    text: str
    owner: str
    due: date | None
    status: str = "open"  # open | done | carried_forward | closed


@dataclass(frozen=True)
class AgendaCase:
    reference: str
    debrief_count: int
    concerns: tuple[AgendaConcern, ...]
    visits: tuple[VisitPoint, ...]
    questions: tuple[SupervisionQuestion, ...]
    actions: tuple[AgreedAction, ...] = ()
    reckoner_total: int = 0
    reckoner_action: str | None = None  # the portfolio action the tick count maps to


@dataclass(frozen=True)
class Agenda:
    supervisee: str
    supervisor: str
    period_start: date | None  # None: since the beginning (no earlier supervision)
    period_end: date
    generated_at: datetime
    cases: tuple[AgendaCase, ...]
    worker_asked_about_impact: bool = False
    shared_notes: tuple[str, ...] = field(default_factory=tuple)
    # Not about one case: the organisation's questions (on request) and agreed actions.
    questions: tuple[SupervisionQuestion, ...] = ()
    actions: tuple[AgreedAction, ...] = ()
