"""The debrief form's validation: reads each answer, saves it at once, and says urgent
concerns (a worker threatened or unsafe) the moment they are known."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank.answers import AnswerNotUnderstood, ParsedAnswer, parse_answer
from actions.bank.flow import debrief_path
from actions.bank.prompts import cached_prompts
from actions.bank.schema import Question
from actions.concerns.catalogue import cached_catalogue
from actions.concerns.structured import RaisedConcern, concerns_for_answer
from actions.debrief_state import (
    RecordsUnavailable,
    answered_questions,
    answers_from_tracker,
    bank,
    channel_of,
    ensure_debrief,
    run_db,
)
from actions.form_validation import OwnQuestionsFormValidation
from actions.services import debriefs
from actions.settings import get_settings

logger = logging.getLogger(__name__)

# Concerns about the worker's own safety get the safety message, not the generic one.
SAFETY_CODES = {"worker_fear", "hostility"}
# Answers the patterns across visits read (actions/concerns/chronology.py): once one is
# given, an urgent pattern (the child unseen on visit after visit) can be said at once.
PATTERN_QUESTIONS = {"child_seen", "child_seen_alone", "access_gained"}


class ValidateDebriefForm(OwnQuestionsFormValidation):
    def name(self) -> str:
        return "validate_debrief_form"

    def questions(self, tracker: Tracker) -> list[str]:
        # The path depends on earlier answers (deeper sets open when they call for it).
        return debrief_path(bank(), answers_from_tracker(tracker))

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        updates: dict[str, Any] = {}
        for question_id, raw in tracker.slots_to_validate().items():
            if question_id not in bank().questions or raw is None:
                continue
            result = await self.validate_answer(
                bank().questions[question_id], raw, dispatcher, tracker
            )
            updates.update(result)
            tracker.slots.update(result)
        return [SlotSet(name, value) for name, value in updates.items()]

    async def validate_answer(
        self, question: Question, raw: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        try:
            parsed = parse_answer(question, raw)
        except AnswerNotUnderstood as problem:
            dispatcher.utter_message(text=cached_prompts().problem(problem.reason))
            return {question.id: None}
        updates: dict[str, Any] = {}
        try:
            debrief_id, opened = await ensure_debrief(tracker)
            updates = {event["name"]: event["value"] for event in opened}
            await self._save(question, parsed, debrief_id, tracker)
        except RecordsUnavailable:
            dispatcher.utter_message(text=cached_prompts().texts["records_unavailable"])
            # A debrief opened before the failure stays this conversation's, or the
            # answer sent again would open a second one.
            return {question.id: None, **updates}
        await self._say_urgent_concerns(question, parsed, updates, dispatcher, tracker)
        order = [q for q in answered_questions(tracker) if q != question.id] + [question.id]
        return {
            question.id: debriefs.slot_value(question, parsed),
            "answered_questions": order,
            **updates,
        }

    async def _save(
        self, question: Question, parsed: ParsedAnswer, debrief_id: str, tracker: Tracker
    ) -> None:
        """Save the answer now (not at the end), in the debrief the worker's first answer
        opened (that answer is about their safety, so it comes before the case is named)."""
        if question.type == "case_reference":
            await run_db(
                debriefs.name_case, debrief_id, channel_of(tracker), tracker.sender_id, parsed.value
            )
        await run_db(debriefs.save_answer, debrief_id, question, parsed)

    async def _say_urgent_concerns(
        self,
        question: Question,
        parsed: ParsedAnswer,
        updates: dict,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> None:
        debrief_id = updates.get("debrief_id") or tracker.get_slot("debrief_id")
        urgent = [c for c in concerns_for_answer(question, parsed.value) if c.urgent]
        if parsed.free_text:
            try:
                urgent += await run_db(
                    debriefs.urgent_in_words, debrief_id, question.id, parsed.free_text
                )
            except RecordsUnavailable:
                logger.warning("urgent concern in words not stored yet; it is at the end")
        if urgent:
            try:
                await run_db(debriefs.record_concerns, debrief_id, urgent)
            except RecordsUnavailable:
                logger.warning("urgent concern not stored yet; it is stored at the end")
            self._utter_urgent(urgent, dispatcher)
        if question.id in PATTERN_QUESTIONS:
            await self._say_urgent_patterns(debrief_id, dispatcher)

    @staticmethod
    async def _say_urgent_patterns(debrief_id: str, dispatcher: CollectingDispatcher) -> None:
        try:
            raised = await run_db(debriefs.urgent_patterns, debrief_id)
        except RecordsUnavailable:
            logger.warning("patterns across visits not checked now; they are at the end")
            return
        catalogue = cached_catalogue()
        for concern in raised:
            info = catalogue[concern.code]
            text = (
                cached_prompts()
                .texts["urgent_pattern"]
                .format(title=info.title, evidence=concern.evidence, suggests=info.suggests)
            )
            dispatcher.utter_message(text=text)

    @staticmethod
    def _utter_urgent(concerns: list[RaisedConcern], dispatcher: CollectingDispatcher) -> None:
        prompts = cached_prompts()
        if any(c.code in SAFETY_CODES for c in concerns):
            dispatcher.utter_message(text=prompts.texts["safety_first"])
        catalogue = cached_catalogue()
        days = get_settings().urgent_discussion_working_days
        timescale = "one working day" if days == 1 else f"{days} working days"
        for concern in concerns:
            if concern.code in SAFETY_CODES:
                continue
            info = catalogue[concern.code]
            text = prompts.texts["urgent_concern"].format(
                title=info.title, plain=info.plain, suggests=info.suggests, timescale=timescale
            )
            dispatcher.utter_message(text=text)
