"""What the worker can do at any question: ask why, skip, go back, pause, resume, stop,
or start afresh. Each action does the work and sets ``control_result``; the rule that
follows it says the matching response from domain/core.yml."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank.answers import ParsedAnswer
from actions.bank.schema import Question
from actions.debrief_state import (
    RecordsUnavailable,
    answered_questions,
    bank,
    channel_of,
    control_result,
    ensure_debrief,
    reset_debrief_events,
    run_db,
)
from actions.services import debriefs

logger = logging.getLogger(__name__)


def _requested_question(tracker: Tracker) -> Question | None:
    requested = tracker.get_slot("requested_slot")
    return bank().questions.get(requested) if requested else None


class ActionExplainQuestion(Action):
    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = _requested_question(tracker)
        if question is None:
            return [control_result("no_question")]
        return [control_result("explained"), SlotSet("explanation", question.why)]


class ActionSkipQuestion(Action):
    def name(self) -> str:
        return "action_skip_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = _requested_question(tracker)
        if question is None:
            return [control_result("no_question")]
        if question.required:
            return [control_result("cannot_skip")]
        opened: list[SlotSet] = []
        try:
            debrief_id, opened = await ensure_debrief(tracker)
            await run_db(debriefs.save_answer, debrief_id, question, ParsedAnswer("skipped"))
        except RecordsUnavailable:
            # Keep a debrief opened before the failure, so a retry doesn't open another.
            return opened + [control_result("records_unavailable")]
        order = [q for q in answered_questions(tracker) if q != question.id] + [question.id]
        return opened + [
            control_result("skipped"),
            SlotSet(question.id, "skipped"),
            SlotSet("answered_questions", order),
        ]


class ActionGoBack(Action):
    """Re-ask the last answered question. The old answer stays in the record (the store
    keeps every revision) until the new one replaces it."""

    def name(self) -> str:
        return "action_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        order = answered_questions(tracker)
        if not order:
            return [control_result("nothing_to_go_back")]
        previous = order.pop()
        return [
            control_result("going_back"),
            SlotSet(previous, None),
            SlotSet("answered_questions", order),
            SlotSet("requested_slot", previous),
        ]


class ActionPauseDebrief(Action):
    def name(self) -> str:
        return "action_pause_debrief"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        debrief_id = tracker.get_slot("debrief_id")
        if debrief_id:
            try:
                await run_db(
                    debriefs.set_status, debrief_id, "paused", tracker.get_slot("requested_slot")
                )
            except RecordsUnavailable:
                # The answers are already saved; only the "paused" mark is missing, and an
                # unfinished debrief is resumed just the same.
                logger.warning("could not mark debrief %s paused", debrief_id)
        return [control_result("paused"), ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionStopDebrief(Action):
    def name(self) -> str:
        return "action_stop_debrief"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        debrief_id = tracker.get_slot("debrief_id")
        if debrief_id:
            try:
                await run_db(debriefs.set_status, debrief_id, "stopped")
            except RecordsUnavailable:
                return [control_result("records_unavailable")]
        return reset_debrief_events() + [control_result("stopped")]


class ActionStartDebrief(Action):
    def name(self) -> str:
        return "action_start_debrief"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            paused = await run_db(
                debriefs.paused_case_reference, channel_of(tracker), tracker.sender_id
            )
        except RecordsUnavailable:
            paused = None
        result = control_result("paused_exists" if paused else "fresh")
        return reset_debrief_events() + [result, SlotSet("paused_case", paused)]


class ActionResumeDebrief(Action):
    def name(self) -> str:
        return "action_resume_debrief"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            state = await run_db(
                debriefs.find_resumable, bank(), channel_of(tracker), tracker.sender_id
            )
        except RecordsUnavailable:
            return [control_result("records_unavailable")]
        if state is None:
            return reset_debrief_events() + [control_result("nothing_to_resume")]
        restored: dict[str, Any] = {qid: None for qid in bank().debrief_question_ids()}
        restored.update(state.slots)
        return [SlotSet(name, value) for name, value in restored.items()] + [
            SlotSet("debrief_id", state.debrief_id),
            SlotSet("answered_questions", state.answered_order),
            SlotSet("answered_count", len(state.answered_order)),
            SlotSet("resumed_case", state.case_reference),
            SlotSet("requested_slot", None),
            control_result("resumed"),
        ]
