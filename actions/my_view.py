"""The worker's own view: "what's open for me?", "what did I say about case X last time?"
and "what came out of supervision?"; and, on a greeting, a calm line when supervision
outcomes are waiting (``action_supervision_news``).

Only ever the asking worker's own records: who is asking comes from the chat (sender id
and channel), and the services read that person's records alone. Each action fills
``my_view`` with lines from prompts.yml and sets ``control_result``; the rule after it
says the matching response in domain/supervision.yml.
"""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank.answers import FREE_TEXT_VALUE
from actions.concerns.structured import describe_answer
from actions.debrief_state import bank, channel_of, control_result, run_db
from actions.services import my_view
from actions.services.identity import who
from actions.services.my_view import DebriefRecord, MyCase, MyOpenItems
from actions.services.supervision_sessions import SessionView
from actions.supervision_state import (
    AccessDenied,
    RecordsUnavailable,
    StoreError,
    acting_person,
    bullets,
    day_text,
    due_text,
    say,
    words,
)

logger = logging.getLogger(__name__)

MAX_REFERENCE_CANDIDATES = 6
MAX_CASE_BUTTONS = 8
CASE_BUTTON_PAYLOAD = "what did I say about case {reference} last time?"
# The button's title is said with the news line (prompts.yml: supervision_news_button).
NEWS_PAYLOAD = "/ask_supervision_outcomes"
# "case AB12", "case ref CP-2231", "case number 4471"
AFTER_CASE = re.compile(
    r"\bcase\s+(?:ref(?:erence)?\s+|number\s+|no\.?\s+)?([a-z0-9][\w/-]*(?:\s+\d[\w/-]*)?)",
    re.IGNORECASE,
)
# A token with a digit ("AB12", "XY-34", "4471"), or short letters then digits ("CP 5150").
WITH_DIGIT = re.compile(r"\b(?:[a-z]{1,4}\s+)?[a-z]*[-/]?\d[\w/-]*", re.IGNORECASE)
NOT_REFERENCES = {"case", "about", "for", "on", "last", "time", "what", "did", "i", "say"}


def reference_candidates(text: str) -> list[str]:
    """Case references a question may name, the most likely first."""
    found: list[str] = []
    for match in AFTER_CASE.finditer(text):
        found.append(match.group(1))
        found.append(match.group(1).split()[0])
    for match in WITH_DIGIT.finditer(text):
        parts = match.group(0).split()
        if len(parts) > 1 and parts[0].lower() in NOT_REFERENCES:
            parts = parts[1:]
        found.append(" ".join(parts))
        if len(parts) > 1:
            found.append(parts[-1])
            found.append("".join(parts))
    cleaned = [c.strip(" ?.!,;:'\"") for c in found]
    kept = [c for c in cleaned if c and c.lower() not in NOT_REFERENCES]
    return list(dict.fromkeys(kept))[:MAX_REFERENCE_CANDIDATES]


# --- what's open --------------------------------------------------------------------------


def open_lines(items: MyOpenItems) -> str:
    status = words()["my_status"]
    parts = []
    if items.concerns:
        lines = [
            say(
                "my_concern_line",
                title=c.title,
                urgent=say("concern_urgent_mark") if c.urgent else "",
                reference=c.case_reference or "-",
                evidence=c.evidence,
                raised=day_text(c.raised_on),
                status=status.get(c.status, c.status.replace("_", " ")),
            )
            for c in items.concerns
        ]
        parts.append(say("my_concerns_header") + "\n" + bullets(lines))
    if items.actions:
        lines = [
            say(
                "my_action_line",
                text=a.text,
                due=due_text(a.due_on),
                case=say("my_action_case", reference=a.case_reference) if a.case_reference else "",
            )
            for a in items.actions
        ]
        parts.append(say("my_actions_header") + "\n" + bullets(lines))
    return "\n\n".join(parts)


class ActionWhatsOpen(Action):
    def name(self) -> str:
        return "action_whats_open"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            me = await acting_person(tracker)
            if me is None:
                return [control_result("not_enrolled")]
            items = await run_db(my_view.open_for_me, me.id)
        except RecordsUnavailable:
            return [control_result("records_unavailable")]
        except (AccessDenied, StoreError) as error:
            logger.warning("open items not read: %s", type(error).__name__)
            return [control_result("not_enrolled")]
        if not items.concerns and not items.actions:
            return [control_result("nothing_open"), SlotSet("my_view", None)]
        return [control_result("found"), SlotSet("my_view", open_lines(items))]


# --- what I said last time ----------------------------------------------------------------


def _answer_shown(question_id: str, value: str | None, free_text: str | None) -> str | None:
    question = bank().questions.get(question_id)
    if question is None or not question.summary_label or value in (None, "skipped"):
        return None
    if value == FREE_TEXT_VALUE or (question.type == "free_text" and free_text):
        return free_text or ""
    return describe_answer(question, value)


def history_lines(record: DebriefRecord) -> str:
    statuses = words()["history_status"]
    when = record.visit_date or record.completed_at or record.started_at
    header = say(
        "history_header",
        reference=record.case_reference or "-",
        date=day_text(when),
        status=statuses.get(record.status, record.status),
    )
    questions = bank().questions
    answers = []
    for answer in record.answers:
        shown = _answer_shown(answer.question_id, answer.value, answer.free_text)
        if shown:
            label = questions[answer.question_id].summary_label
            answers.append(say("history_answer", question=label, answer=shown))
    parts = [header + ("\n" + bullets(answers) if answers else "")]
    concerns = list(
        dict.fromkeys(
            say("history_concern", title=c.title, evidence=c.evidence) for c in record.concerns
        )
    )
    if concerns:
        parts.append(say("history_concerns_header") + "\n" + bullets(concerns))
    return "\n\n".join(parts)


def case_buttons(cases: tuple[MyCase, ...]) -> list[dict]:
    """One button a case: "CP-100 (17 Mar 2026)", the day of its last debrief. The
    payload asks again in words, so it goes through NLU like a typed question."""
    return [
        {
            "title": f"{c.reference} ({day_text(c.last_debrief)})",
            "payload": CASE_BUTTON_PAYLOAD.format(reference=c.reference),
        }
        for c in cases[:MAX_CASE_BUTTONS]
    ]


class ActionCaseHistory(Action):
    def name(self) -> str:
        return "action_case_history"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        candidates = reference_candidates(tracker.latest_message.get("text") or "")
        try:
            me = await acting_person(tracker)
            if me is None:
                return [control_result("no_cases")]
            if not candidates:
                cases = await run_db(my_view.my_cases, me.id)
                if not cases:
                    return [control_result("no_cases"), SlotSet("my_view", None)]
                dispatcher.utter_message(text=say("choose_case"), buttons=case_buttons(cases))
                return [control_result("which_case"), SlotSet("my_view", None)]
            for reference in candidates:
                record = await run_db(my_view.last_said_about, me.id, reference)
                if record is not None:
                    return [control_result("found"), SlotSet("my_view", history_lines(record))]
        except RecordsUnavailable:
            return [control_result("records_unavailable")]
        except (AccessDenied, StoreError) as error:
            logger.warning("case history not read: %s", type(error).__name__)
            return [control_result("no_cases")]
        return [control_result("not_found"), SlotSet("my_view", None)]


# --- what came out of supervision ---------------------------------------------------------


def _case(reference: str | None) -> str:
    return say("my_action_case", reference=reference) if reference else ""


def outcome_lines(sessions: tuple[SessionView, ...]) -> str:
    labels = words()["outcome_labels"]
    blocks = []
    for view in sessions:
        parts = [
            say(
                "outcomes_header",
                supervisor=view.supervisor.name,
                date=day_text(view.completed_at or view.started_at),
            )
        ]
        if view.concerns:
            lines = [
                say(
                    "outcomes_concern",
                    title=c.title,
                    case=_case(c.case_reference),
                    outcome=labels.get(c.outcome, c.outcome),
                )
                for c in view.concerns
            ]
            parts.append(say("outcomes_concerns_header") + "\n" + bullets(lines))
        if view.actions:
            lines = [
                say("outcomes_action", owner=a.owner, text=a.text, due=due_text(a.due_on))
                + _case(a.case_reference)
                for a in view.actions
            ]
            parts.append(say("outcomes_actions_header") + "\n" + bullets(lines))
        if view.notes:
            lines = [
                say("outcomes_note", question=n.question, case=_case(n.case_reference), note=n.note)
                for n in view.notes
            ]
            parts.append(say("outcomes_notes_header") + "\n" + bullets(lines))
        blocks.append("\n".join(parts))
    return "\n\n".join(blocks)


class ActionSupervisionOutcomes(Action):
    def name(self) -> str:
        return "action_supervision_outcomes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            me = await acting_person(tracker)
            if me is None:
                return [control_result("not_enrolled")]
            sessions = await run_db(my_view.outcomes_since_last_look, me.id)
            if not sessions:
                seen = await run_db(my_view.latest_outcomes, me.id)
        except RecordsUnavailable:
            return [control_result("records_unavailable")]
        except (AccessDenied, StoreError) as error:
            logger.warning("supervision outcomes not read: %s", type(error).__name__)
            return [control_result("not_enrolled")]
        if sessions:
            return [control_result("found"), SlotSet("my_view", outcome_lines(sessions))]
        if seen:
            return [control_result("seen_before"), SlotSet("my_view", outcome_lines(seen))]
        return [control_result("no_supervision"), SlotSet("my_view", None)]


class ActionSupervisionNews(Action):
    """On a greeting: one calm line, with a button, when supervision outcomes are waiting
    that the worker has not seen. Marks nothing seen (that happens when they ask), never
    enrols a stranger, and says nothing at all when there is nothing new or the records
    cannot be read: the greeting goes on regardless."""

    def name(self) -> str:
        return "action_supervision_news"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            me = await run_db(who, channel_of(tracker), tracker.sender_id, False)
            if me is not None and await run_db(my_view.has_unseen_outcomes, me.id):
                dispatcher.utter_message(
                    text=say("supervision_news"),
                    buttons=[{"title": say("supervision_news_button"), "payload": NEWS_PAYLOAD}],
                )
        except (RecordsUnavailable, AccessDenied, StoreError) as error:
            logger.info("supervision news not checked: %s", type(error).__name__)
        return []
