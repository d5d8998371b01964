"""Agendas built by hand for the renderer tests (the renderers never touch the database)."""

from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

from actions.reports.model import (
    Agenda,
    AgendaCase,
    AgendaConcern,
    AgreedAction,
    SupervisionQuestion,
    VisitPoint,
)

HOSTILE_NOTE = "Mum said <script>alert(1)</script> and <b>x</b> & that's all"


def make_concern(**overrides) -> AgendaConcern:
    values = dict(
        code="NEG-02",
        title="Home conditions noted on two visits",
        plain="The home was described as cold and without food on two visits.",
        evidence=(
            "\u201cthe fridge was empty again\u201d",
            "Heating off at both visits (12 Nov, 26 Nov)",
        ),
        guidance="Consider the neglect ready reckoner (Local Safeguarding Partnership, 2023).",
        urgent=False,
        status="for_supervision",
        raised_on=date(2024, 11, 12),
        open_days=14,
        worker_note=None,
    )
    values.update(overrides)
    return AgendaConcern(**values)


def make_case(reference: str = "C-1042", **overrides) -> AgendaCase:
    values = dict(
        reference=reference,
        debrief_count=3,
        concerns=(
            make_concern(),
            make_concern(
                code="WF-04",
                title="Worker felt unsafe on the doorstep",
                plain="The worker described feeling unsafe when the father was present.",
                evidence=("\u201cI didn't want to go in\u201d",),
                guidance="Talk through safety planning for joint visits.",
                urgent=True,
                status="open",
                raised_on=date(2024, 11, 26),
                open_days=0,
                worker_note=HOSTILE_NOTE,
            ),
        ),
        visits=(
            VisitPoint("29 Oct", 1, 2),
            VisitPoint("12 Nov", 2, 4),
            VisitPoint("26 Nov", 3, 5),
        ),
        questions=(
            SupervisionQuestion(1, "What is it like to be this child at home right now?"),
            SupervisionQuestion(
                4,
                "How are you feeling about going back to this family?",
                evidence=("\u201cI didn't want to go in\u201d",),
                note="Worker wants a joint visit.",
            ),
            SupervisionQuestion(
                1,
                "Has each part of the team around the child shared what it knows?",
                set_id="team_around_child",
            ),
        ),
        actions=(
            AgreedAction(
                "Arrange a joint visit with the team manager", "Sam Patel", date(2024, 12, 3)
            ),
            AgreedAction("Update the chronology", "Alex Morgan", None, status="done"),
        ),
        reckoner_total=5,
        reckoner_action="Discuss at the next team meeting",
    )
    values.update(overrides)
    return AgendaCase(**values)


def make_agenda(**overrides) -> Agenda:
    values = dict(
        supervisee="Alex Morgan",
        supervisor="Sam Patel",
        period_start=date(2024, 10, 28),
        period_end=date(2024, 11, 29),
        generated_at=datetime(2024, 11, 29, 9, 30),
        cases=(
            make_case(),
            make_case(
                "C-2077",
                debrief_count=1,
                concerns=(),
                visits=(VisitPoint("Visit 1", 0, 1),),
                questions=(),
                actions=(),
                reckoner_total=1,
                reckoner_action=None,
            ),
        ),
        worker_asked_about_impact=True,
        shared_notes=("I'd like to talk about the court report.",),
        questions=(
            SupervisionQuestion(2, "Is the caseload manageable this month?", set_id="organisation"),
        ),
        actions=(
            AgreedAction(
                "Raise caseload with the service manager", "Sam Patel", date(2024, 12, 10)
            ),
        ),
    )
    values.update(overrides)
    return Agenda(**values)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    """Text with all whitespace removed, for checks that must not depend on line wrapping."""
    return "".join(text.split())
