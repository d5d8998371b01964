"""Making the agenda: the supervision being prepared, as a printable web page and a PDF.

The agenda is built by the supervision service (only the worker's current supervisor
may build it; each build is audited) and rendered by actions/reports. Both files go to
the agenda folder (``SUPERVISION_AGENDA_DIR``, default var/agendas/) under names with a
random token, so they can't be guessed, readable by the server's user only. When a web
server publishes that folder (``SUPERVISION_AGENDA_BASE_URL``), links are given too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
from pathlib import Path

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.debrief_state import control_result, run_db
from actions.reports.agenda_html import render_agenda_html
from actions.reports.agenda_pdf import render_agenda_pdf
from actions.reports.model import Agenda
from actions.services import supervision
from actions.settings import get_settings
from actions.supervision_state import (
    AccessDenied,
    Place,
    RecordsUnavailable,
    StoreError,
    acting_person,
)

logger = logging.getLogger(__name__)

TOKEN_BYTES = 18  # 24 url-safe characters
AGENDA_SETS = ("team_around_child", "organisation")


def _write_private(path: Path, data: bytes) -> None:
    """Create ``path`` (never overwrite) readable and writable by this user only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def write_agenda(agenda: Agenda, folder: Path) -> tuple[Path, Path]:
    """Render and write the agenda; returns the HTML and PDF paths."""
    html = render_agenda_html(agenda).encode("utf-8")
    pdf = render_agenda_pdf(agenda)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem = f"agenda-{agenda.generated_at:%Y%m%d}-{secrets.token_urlsafe(TOKEN_BYTES)}"
    html_path, pdf_path = folder / f"{stem}.html", folder / f"{stem}.pdf"
    _write_private(html_path, html)
    _write_private(pdf_path, pdf)
    return html_path, pdf_path


def sets_asked(tracker: Tracker) -> tuple[str, ...]:
    """The extra question sets the supervisor asked for in this supervision."""
    return tuple(s for s in tracker.get_slot("sup_sets") or [] if s in AGENDA_SETS)


class ActionMakeAgenda(Action):
    def name(self) -> str:
        return "action_make_agenda"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        place = Place.of(tracker)
        if not place.worker_id:
            return [control_result("no_session")]
        try:
            actor = await acting_person(tracker)
            if actor is None:
                return [control_result("not_yours")]
            agenda = await run_db(
                supervision.build_agenda,
                actor.id,
                place.worker_id,
                place.session_id,
                sets_asked(tracker),
            )
        except RecordsUnavailable:
            return [control_result("agenda_failed")]
        except AccessDenied:
            return [control_result("not_yours")]
        except StoreError as error:
            logger.warning("agenda not built: %s", type(error).__name__)
            return [control_result("agenda_failed")]
        settings = get_settings()
        started = dt.datetime.now()
        try:
            html_path, pdf_path = await asyncio.to_thread(write_agenda, agenda, settings.agenda_dir)
        except (OSError, ValueError) as error:
            logger.error("agenda not written: %s", error)
            return [control_result("agenda_failed")]
        logger.info("agenda written in %.1fs", (dt.datetime.now() - started).total_seconds())
        events: list[EventType] = [
            SlotSet("agenda_html", str(html_path)),
            SlotSet("agenda_pdf", str(pdf_path)),
            SlotSet("sup_worker_name", agenda.supervisee),
        ]
        if settings.agenda_base_url:
            base = settings.agenda_base_url.rstrip("/")
            return events + [
                SlotSet("agenda_html_link", f"{base}/{html_path.name}"),
                SlotSet("agenda_pdf_link", f"{base}/{pdf_path.name}"),
                control_result("agenda_linked"),
            ]
        return events + [
            SlotSet("agenda_html_link", None),
            SlotSet("agenda_pdf_link", None),
            control_result("agenda_made"),
        ]
