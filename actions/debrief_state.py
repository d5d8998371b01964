"""Small helpers shared by the debrief's rasa_sdk actions: reading answers from the
tracker, resetting the debrief's slots and running record-keeping off the event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy.exc import SQLAlchemyError

from actions.bank.schema import QuestionBank, cached_bank
from actions.services import debriefs

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_CHANNEL = "rest"


class RecordsUnavailable(RuntimeError):
    """The database could not be reached; the worker is asked to send the answer again."""


def bank() -> QuestionBank:
    return cached_bank()


def answers_from_tracker(tracker: Tracker) -> dict[str, str | None]:
    return {qid: tracker.get_slot(qid) for qid in bank().debrief_question_ids()}


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or DEFAULT_CHANNEL


def answered_questions(tracker: Tracker) -> list[str]:
    return list(tracker.get_slot("answered_questions") or [])


def control_result(value: str) -> SlotSet:
    """What a control action found; the rule after it says the matching response."""
    return SlotSet("control_result", value)


def reset_debrief_events() -> list[SlotSet]:
    """Clear every debrief slot so that a new debrief starts from the first question."""
    events = [SlotSet(qid, None) for qid in bank().debrief_question_ids()]
    return events + [
        SlotSet("debrief_id", None),
        SlotSet("answered_questions", []),
        SlotSet("requested_slot", None),
    ]


async def run_db(function: Callable[..., T], *args: Any) -> T:
    """Run a records function in a worker thread; rasa_sdk only awaits coroutines, so a
    blocking database call here would stall every other conversation."""
    try:
        return await asyncio.to_thread(function, *args)
    except SQLAlchemyError as error:
        logger.error("records unavailable in %s: %s", function.__name__, error)
        raise RecordsUnavailable(str(error)) from error


async def ensure_debrief(tracker: Tracker) -> tuple[str, list[SlotSet]]:
    """The open debrief's id, opening one at the worker's first answer. Returns the id and
    the slot events to send back when it was opened here."""
    debrief_id = tracker.get_slot("debrief_id")
    if debrief_id:
        return debrief_id, []
    debrief_id = await run_db(debriefs.open_debrief, channel_of(tracker), tracker.sender_id)
    return debrief_id, [SlotSet("debrief_id", debrief_id)]
