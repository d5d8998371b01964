"""The end of a debrief: the worker goes through each concern raised and chooses to take
it to supervision, add context, say why it doesn't apply, or decide later.

A small form: ``review_decision`` (and ``review_note`` when the choice needs words) is
asked once per concern code left in ``review_codes``; each decision is saved at once.
After "add context" the note is saved privately and ``review_share`` asks whether the
concern goes to supervision with it: only a yes shares them.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank.answers import AnswerNotUnderstood, clean_text, parse_yes_no
from actions.bank.prompts import cached_prompts
from actions.debrief_state import RecordsUnavailable, control_result, run_db
from actions.form_validation import OwnQuestionsFormValidation
from actions.services import concern_review

logger = logging.getLogger(__name__)


def _pending(tracker: Tracker) -> list[str]:
    return list(tracker.get_slot("review_codes") or [])


class ValidateConcernReviewForm(OwnQuestionsFormValidation):
    def name(self) -> str:
        return "validate_concern_review_form"

    def questions(self, tracker: Tracker) -> list[str]:
        if not _pending(tracker):
            return []
        decision = tracker.get_slot("review_decision")
        if decision in concern_review.DECISIONS_OFFERING_TO_SHARE:
            return ["review_decision", "review_note", "review_share"]
        if decision in concern_review.DECISIONS_NEEDING_A_NOTE:
            return ["review_decision", "review_note"]
        return ["review_decision"]

    async def validate_review_decision(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        decision = concern_review.read_decision(value, cached_prompts().review_decisions)
        if decision is None:
            dispatcher.utter_message(text=cached_prompts().texts["review_decision_unclear"])
            return {"review_decision": None}
        if decision in concern_review.DECISIONS_NEEDING_A_NOTE:
            return {"review_decision": decision}
        return await self._decide(tracker, dispatcher, decision, None)

    async def validate_review_note(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        note = clean_text(str(value))
        if not note:
            dispatcher.utter_message(text=cached_prompts().problem("empty"))
            return {"review_note": None}
        decision = tracker.get_slot("review_decision")
        if decision not in concern_review.DECISIONS_OFFERING_TO_SHARE:
            return await self._decide(tracker, dispatcher, decision, note)
        # Saved now, privately; the form then asks whether it goes to supervision.
        if not await self._record(tracker, dispatcher, decision, note):
            return {"review_note": None}
        return {"review_note": note}

    async def validate_review_share(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            share = parse_yes_no(clean_text(str(value))).value == "yes"
        except AnswerNotUnderstood as problem:
            dispatcher.utter_message(text=cached_prompts().problem(problem.reason))
            return {"review_share": None}
        if share:
            pending = _pending(tracker)
            debrief_id = tracker.get_slot("review_debrief_id")
            try:
                await run_db(concern_review.share_with_note, debrief_id, pending[0])
            except RecordsUnavailable:
                dispatcher.utter_message(text=cached_prompts().texts["records_unavailable"])
                return {"review_share": None}
        # Said either way, so a reply read as "not yes" is never a silent surprise.
        outcome = "review_note_shared" if share else "review_note_private"
        dispatcher.utter_message(text=cached_prompts().texts[outcome])
        return self._next_concern(tracker)

    async def _record(
        self, tracker: Tracker, dispatcher: CollectingDispatcher, decision: str, note: str | None
    ) -> bool:
        """Save the decision on the concern under review; False (and said) on failure."""
        try:
            await run_db(
                concern_review.record_decision,
                tracker.get_slot("review_debrief_id"),
                _pending(tracker)[0],
                decision,
                note,
            )
        except RecordsUnavailable:
            dispatcher.utter_message(text=cached_prompts().texts["records_unavailable"])
            return False
        return True

    async def _decide(
        self, tracker: Tracker, dispatcher: CollectingDispatcher, decision: str, note: str | None
    ) -> dict[str, Any]:
        if not await self._record(tracker, dispatcher, decision, note):
            return {"review_decision": None, "review_note": None}
        return self._next_concern(tracker)

    @staticmethod
    def _next_concern(tracker: Tracker) -> dict[str, Any]:
        # Clearing the slots makes the form ask about the next concern, if any.
        return {
            "review_codes": _pending(tracker)[1:],
            "review_decision": None,
            "review_note": None,
            "review_share": None,
            "control_result": "reviewed",
        }


class ActionAskReviewDecision(Action):
    def name(self) -> str:
        return "action_ask_review_decision"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = _pending(tracker)
        debrief_id = tracker.get_slot("review_debrief_id")
        try:
            items = await run_db(concern_review.review_items, debrief_id)
        except RecordsUnavailable:
            dispatcher.utter_message(text=cached_prompts().texts["records_unavailable"])
            return []
        by_code = {item.code: item for item in items}
        item = by_code.get(pending[0]) if pending else None
        if item is None:
            return []
        prompts = cached_prompts()
        total = int(tracker.get_slot("review_total") or len(pending))
        text = prompts.texts["review_item"].format(
            number=total - len(pending) + 1,
            total=total,
            title=item.info.title,
            plain=item.info.plain,
            evidence="; ".join(f"“{e}”" for e in item.evidence),
            suggests=item.info.suggests,
        )
        buttons = [
            {"title": d["title"], "payload": f'/inform{{"choice": "{d["id"]}"}}'}
            for d in prompts.review_decisions
        ]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionAskReviewNote(Action):
    def name(self) -> str:
        return "action_ask_review_note"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        decision = tracker.get_slot("review_decision")
        dispatcher.utter_message(text=cached_prompts().texts[f"review_note_{decision}"])
        return []


class ActionAskReviewShare(Action):
    def name(self) -> str:
        return "action_ask_review_share"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        prompts = cached_prompts()
        buttons = [dict(b) for b in prompts.review_share_buttons]
        dispatcher.utter_message(text=prompts.texts["review_share_note"], buttons=buttons)
        return []


class ActionStartReview(Action):
    """Queue the debrief's concern codes for review (none: the form ends at once)."""

    def name(self) -> str:
        return "action_start_review"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        debrief_id = tracker.get_slot("review_debrief_id")
        codes: list[str] = []
        if debrief_id:
            try:
                codes = [i.code for i in await run_db(concern_review.review_items, debrief_id)]
            except RecordsUnavailable:
                logger.warning("concerns of %s could not be listed for review", debrief_id)
        return [
            SlotSet("review_codes", codes),
            SlotSet("review_total", len(codes)),
            SlotSet("review_decision", None),
            SlotSet("review_note", None),
            SlotSet("review_share", None),
            control_result("review_started" if codes else "nothing_to_review"),
        ]
