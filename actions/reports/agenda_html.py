"""The supervision agenda as one self-contained, printable HTML page.

Jinja2 with autoescaping on: every value a user typed is escaped where it is printed. The
only markup that is passed through unescaped is the per-case chart, which
`actions.reports.charts.visits_chart_svg` builds from escaped parts. No JavaScript and no
external resources: the stylesheet is inlined, so the file can be saved, mailed or printed.

The small wording helpers here (dates, period, statuses) are shared with agenda_pdf.py so
the two documents read the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from actions.reports.charts import chart_description, clean_text, visits_chart_svg
from actions.reports.model import Agenda, AgendaCase, AgendaConcern, SupervisionQuestion

TEMPLATES = Path(__file__).parent / "templates"

CONFIDENTIAL = "Confidential"
CONFIDENTIAL_NOTICE = (
    "This agenda holds special-category personal data about children and "
    "families. Keep it secure, do not leave it unattended, and destroy it securely after "
    "the session."
)
PROMPT_NOT_VERDICT = (
    "The concerns below are prompts for discussion, noticed in the worker's debriefs. "
    "They are not findings about the worker or the family."
)

_STATUS_LABELS = {
    "open": "Open",
    "for_supervision": "For supervision",
    "discussed": "Discussed",
    "closed": "Closed",
    "carried_forward": "Carried forward",
    "done": "Done",
}


# Headings for the question bank's sets (question numbers restart in each set).
_SET_TITLES = {
    "supervision": "Supervision questions",
    "team_around_child": "Questions for the team around the child",
    "organisation": "Questions for the organisation",
}


def set_title(set_id: str) -> str:
    return _SET_TITLES.get(set_id, set_id.replace("_", " ").strip().capitalize() or "Questions")


def question_groups(
    questions: Sequence[SupervisionQuestion],
) -> list[tuple[str | None, list[SupervisionQuestion]]]:
    """Questions grouped by set, in order of first appearance, each with its heading.

    Only the plain supervision set: one group without a heading (it sits under "Questions
    to cover" already).
    """
    groups: dict[str, list[SupervisionQuestion]] = {}
    for question in questions:
        groups.setdefault(question.set_id, []).append(question)
    if list(groups) == ["supervision"]:
        return [(None, groups["supervision"])]
    return [(set_title(set_id), group) for set_id, group in groups.items()]


def format_date(value: date | None) -> str:
    """`12 Nov 2024` (no leading zero, no platform-specific strftime flags)."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def format_datetime(value: datetime) -> str:
    return f"{format_date(value.date())}, {value:%H:%M}"


def period_text(agenda: Agenda) -> str:
    if agenda.period_start is None:
        return f"Up to {format_date(agenda.period_end)} (no earlier supervision on record)"
    return f"{format_date(agenda.period_start)} to {format_date(agenda.period_end)}"


def status_label(status: str) -> str:
    return _STATUS_LABELS.get(status, status.replace("_", " ").strip().capitalize() or "Open")


def open_for(concern: AgendaConcern) -> str:
    if concern.open_days <= 0:
        return "raised today"
    return f"open {concern.open_days} day{'s' if concern.open_days != 1 else ''}"


def due_text(due: date | None) -> str:
    return format_date(due) if due else "No date set"


def reckoner_text(case: AgendaCase) -> str:
    ticks = f"{case.reckoner_total} tick{'s' if case.reckoner_total != 1 else ''}"
    if case.reckoner_action:
        return f"Ready reckoner: {ticks}. Suggested portfolio action: {case.reckoner_action}"
    return f"Ready reckoner: {ticks}."


def single_visit_note(case: AgendaCase) -> str | None:
    if not case.visits:
        return "No visits are recorded for this case yet, so there is no chart."
    if len(case.visits) == 1:
        return "Only one visit so far: a trend will show after further visits."
    return None


def _finalize(value: object) -> object:
    # Runs on every {{ ... }} before autoescaping: text a user typed may hold characters
    # that HTML cannot carry (NUL, lone surrogates that would not even encode as UTF-8).
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value)
    return value


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=format_date,
        datetime=format_datetime,
        status=status_label,
        open_for=open_for,
        due=due_text,
        question_groups=question_groups,
    )
    return env


def _chart(case: AgendaCase, index: int) -> Markup:
    # visits_chart_svg escapes every piece of text it writes, so its output is safe markup.
    return Markup(visits_chart_svg(case.reference, case.visits, id_prefix=f"case-{index}-chart"))


def render_agenda_html(agenda: Agenda) -> str:
    """The agenda as one printable HTML page (a complete document, UTF-8)."""
    cases = [
        {
            "case": case,
            "index": index,
            "chart": _chart(case, index) if case.visits else None,
            "chart_description": chart_description(case.visits),
            "visit_note": single_visit_note(case),
            "reckoner": reckoner_text(case),
            "urgent": sum(1 for c in case.concerns if c.urgent),
        }
        for index, case in enumerate(agenda.cases, start=1)
    ]
    return (
        _environment()
        .get_template("agenda.html.j2")
        .render(
            agenda=agenda,
            cases=cases,
            period=period_text(agenda),
            confidential=CONFIDENTIAL,
            confidential_notice=CONFIDENTIAL_NOTICE,
            prompt_not_verdict=PROMPT_NOT_VERDICT,
        )
    )
