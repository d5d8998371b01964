"""The end of a debrief: concerns from the answers, a short summary, and a clean slate."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank.flow import ended_early
from actions.bank.prompts import cached_prompts
from actions.bank.schema import QuestionBank
from actions.concerns.catalogue import cached_catalogue
from actions.concerns.structured import RaisedConcern, describe_answer
from actions.debrief_state import (
    RecordsUnavailable,
    answers_from_tracker,
    bank,
    control_result,
    run_db,
)
from actions.services import debriefs
from actions.services.debriefs import FinishedDebrief

logger = logging.getLogger(__name__)

NEXT_STEP_QUESTIONS = ("next_steps", "next_steps_who", "next_steps_by_when")


def summary_lines(question_bank: QuestionBank, finished: FinishedDebrief) -> str:
    answers = finished.answers
    lines = []
    for qid in question_bank.debrief_question_ids():
        question = question_bank.questions[qid]
        value, free_text = answers.get(qid, (None, None))
        if not question.summary_label or value is None or value == "skipped":
            continue
        shown = free_text if value == debriefs.FREE_TEXT_VALUE else describe_answer(question, value)
        lines.append(f"- {question.summary_label}: {shown}")
    reckoner = finished.reckoner
    if reckoner is not None and reckoner.level is not None:
        line = (
            cached_prompts()
            .texts["reckoner_line"]
            .format(visits=len(reckoner.window), total=reckoner.total, action=reckoner.action)
        )
        lines.append(f"- {line}")
    return "\n".join(lines) or "- (none given)"


def concern_lines(concerns: list[RaisedConcern], none_text: str) -> str:
    catalogue = cached_catalogue()
    seen: dict[str, list[str]] = {}
    for concern in concerns:
        seen.setdefault(concern.code, []).append(concern.evidence)
    lines = []
    for code, evidence in seen.items():
        info = catalogue[code]
        lines.append(f"- {info.title}: {'; '.join(evidence)}\n  Suggested: {info.suggests}")
    return "\n".join(lines) or f"- {none_text}"


def next_step_lines(answers: dict) -> str:
    lines = []
    for qid in NEXT_STEP_QUESTIONS:
        value, free_text = answers.get(qid, (None, None))
        if value and value != "skipped":
            lines.append(f"- {free_text or value}")
    return "\n".join(lines) or "- (none given)"


# Nothing to go through after a debrief that did not finish.
NO_REVIEW = SlotSet("review_debrief_id", None)


class ActionFinishDebrief(Action):
    def name(self) -> str:
        return "action_finish_debrief"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        debrief_id = tracker.get_slot("debrief_id")
        if not debrief_id:
            return [control_result("no_debrief"), NO_REVIEW]
        question_bank = bank()
        early = ended_early(question_bank, answers_from_tracker(tracker))
        status = "paused" if early else "completed"
        try:
            finished = await run_db(debriefs.finish_debrief, question_bank, debrief_id, status)
        except RecordsUnavailable:
            return [control_result("records_unavailable"), NO_REVIEW]
        if early:
            return [control_result("ended_early"), NO_REVIEW]
        prompts = cached_prompts()
        # The question slots keep their values until the next debrief starts, so the
        # summary response can still name the case.
        return [
            control_result("summary"),
            SlotSet("summary_answers", summary_lines(question_bank, finished)),
            SlotSet(
                "summary_concerns", concern_lines(finished.concerns, prompts.texts["no_concerns"])
            ),
            SlotSet("summary_next_steps", next_step_lines(finished.answers)),
            SlotSet("review_debrief_id", debrief_id),
            SlotSet("debrief_id", None),
        ]
