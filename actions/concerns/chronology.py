"""A case's chronology, read from the store for the pattern rules (``patterns.py``).

One ``VisitRecord`` per debrief of the case, oldest visit first. Only what was kept
counts: debriefs that were completed or paused (a stopped or abandoned debrief is not a
visit anyone stands by), plus the debrief in hand; each answer's current value (an
answer changed from "no" to "yes" is "yes"; its revisions are ignored); and the concerns
stored for the debrief, except those marked not applicable and, by default, those the
pattern rules raised themselves (so a pattern never feeds itself).

Free text is not read here: what a worker said in their own words reaches the patterns
only through the concerns the free-text detector stored, which already leaves out what
is in the past and resolved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from actions.concerns.patterns import VisitRecord
from actions.store.models import Answer, Concern, Debrief, Visit
from actions.store.repository import InvalidValue, get_debrief

__all__ = ["VisitRecord", "read_chronology"]

INCLUDED_STATUSES = ("completed", "paused")
EXCLUDED_CONCERN_STATUSES = ("not_applicable",)
READY_RECKONER_PREFIX = "rr_"
VISIT_DATE_QUESTION = "visit_date"


def _answer_date(value: str | None) -> date | None:
    """A visit date answer (ISO ``YYYY-MM-DD``), or None when it is not one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def read_chronology(
    s: Session,
    case_id: str,
    current_debrief_id: str | None = None,
    *,
    extra_concern_codes: Iterable[str] = (),
    include_pattern_concerns: bool = False,
) -> list[VisitRecord]:
    """The case's visit records, oldest first (by visit date, then debrief start).

    ``current_debrief_id`` adds the debrief in hand whatever its status; it must belong
    to the case. ``extra_concern_codes`` are added to that debrief's codes, for concerns
    raised but not stored yet. The visit date is the visit's, else the ``visit_date``
    answer, else the (UTC) day the debrief started, marked ``date_from_debrief``.
    """
    if current_debrief_id is not None:
        current = get_debrief(s, current_debrief_id)
        if current.case_id != case_id:
            raise InvalidValue(f"debrief {current_debrief_id} is not a debrief of case {case_id}")
    wanted = Debrief.status.in_(INCLUDED_STATUSES)
    if current_debrief_id is not None:
        wanted = or_(wanted, Debrief.id == current_debrief_id)
    # Plain column queries, not relationships: a debrief's collections loaded earlier in
    # the session would not show answers or concerns added since.
    rows = s.execute(
        select(Debrief.id, Debrief.started_at, Visit.visit_date)
        .outerjoin(Visit, Debrief.visit_id == Visit.id)
        .where(Debrief.case_id == case_id, wanted)
    ).all()
    if not rows:
        return []
    ids = [row.id for row in rows]

    answers: dict[str, dict[str, str | None]] = {debrief_id: {} for debrief_id in ids}
    for debrief_id, question_id, value in s.execute(
        select(Answer.debrief_id, Answer.question_id, Answer.value).where(
            Answer.debrief_id.in_(ids)
        )
    ):
        answers[debrief_id][question_id] = value

    concern_query = select(Concern.debrief_id, Concern.code).where(
        Concern.debrief_id.in_(ids), Concern.status.notin_(EXCLUDED_CONCERN_STATUSES)
    )
    if not include_pattern_concerns:
        concern_query = concern_query.where(Concern.source != "pattern")
    codes: dict[str, set[str]] = {debrief_id: set() for debrief_id in ids}
    for debrief_id, code in s.execute(concern_query):
        codes[debrief_id].add(code)
    if current_debrief_id is not None:
        codes[current_debrief_id].update(extra_concern_codes)

    records = []
    for row in rows:
        given = answers[row.id]
        visit_date = row.visit_date or _answer_date(given.get(VISIT_DATE_QUESTION))
        record = VisitRecord(
            debrief_id=row.id,
            visit_date=visit_date or row.started_at.date(),
            child_seen=given.get("child_seen"),
            child_seen_alone=given.get("child_seen_alone"),
            access_gained=given.get("access_gained"),
            reckoner_ticks=frozenset(
                question_id
                for question_id, value in given.items()
                if question_id.startswith(READY_RECKONER_PREFIX) and value == "yes"
            ),
            concern_codes=frozenset(codes[row.id]),
            date_from_debrief=visit_date is None,
        )
        records.append((record.visit_date, row.started_at, row.id, record))
    records.sort(key=lambda item: item[:3])
    return [item[3] for item in records]
