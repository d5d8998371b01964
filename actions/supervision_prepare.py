"""A supervisor prepares one-to-one supervision with someone they supervise: "prepare for
supervision with Sam", or "who do I supervise" and a button.

``action_prepare_supervision`` works out who is asking (from the chat, never the text),
matches the name only against that supervisor's own current supervisees, opens (or
reopens) the supervision session, summarises what the worker shared since their last
supervision and queues the walk-through (actions/supervision_form.py): the supervision
questions for each case with the evidence that bears on them, the shared concerns to
decide on, and agreed actions. It sets ``supervision_step``; the rules branch on it:

- ``ready``: the summary (utter_supervision_prepared), then the walk-through;
- ``choose``: the supervisee picker (supervisee_form, buttons of their supervisees);
- ``refused``: a calm refusal (utter_supervision_refused) that never says whether a
  name that isn't theirs belongs to anyone.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.debrief_state import control_result, run_db
from actions.form_validation import OwnQuestionsFormValidation
from actions.services import supervision
from actions.services.access import PersonRef
from actions.services.shared_records import CaseSummary, SupervisionSummary
from actions.services.supervision_questions import prompts
from actions.supervision_state import (
    AccessDenied,
    RecordsUnavailable,
    StoreError,
    acting_person,
    action_item,
    bullets,
    concern_item,
    day_text,
    due_text,
    grouped_by_code,
    question_item,
    say,
)
from actions.supervision_text import Named, match_people, mentions_a_name, pick

logger = logging.getLogger(__name__)

SUPERVISION_SET = "supervision"


def step(value: str) -> SlotSet:
    return SlotSet("supervision_step", value)


def refused(reason: str) -> list[EventType]:
    return [step("refused"), control_result(reason), SlotSet("sup_choice", None)]


def named(people: list[PersonRef]) -> list[Named]:
    return [Named(p.id, p.username, p.display_name) for p in people]


# --- the summary ---------------------------------------------------------------------------


def _concern_lines(case: CaseSummary) -> list[str]:
    lines = []
    for group in grouped_by_code(list(case.concerns)):
        first = group[0]
        lines.append(
            say(
                "concern_line",
                title=first.title,
                urgent=say("concern_urgent_mark") if any(c.urgent for c in group) else "",
                evidence="; ".join(dict.fromkeys(c.evidence for c in group)),
                raised=day_text(min(c.raised_on for c in group)),
                days=max(c.open_days for c in group),
                carried=say("concern_carried_mark")
                if all(c.carried_forward for c in group)
                else "",
            )
        )
        notes = [c.worker_note for c in group if c.worker_note]
        if notes:
            lines.append(say("concern_note_line", note="; ".join(dict.fromkeys(notes))))
    return lines


def _reckoner_line(case: CaseSummary) -> str | None:
    reckoner = case.reckoner
    if not reckoner.per_visit:
        return None
    visits = ", ".join(
        say("reckoner_visit", date=day_text(v.visit_date), ticks=v.reckoner_ticks)
        for v in reckoner.per_visit
    )
    if reckoner.action:
        return say("reckoner_line", visits=visits, total=reckoner.total, action=reckoner.action)
    return say("reckoner_quiet_line", visits=visits)


def _case_lines(case: CaseSummary) -> list[str]:
    details = _concern_lines(case)
    reckoner = _reckoner_line(case)
    if reckoner:
        details.append(reckoner)
    details += [say("shared_answer_line", question=a.question, text=a.text) for a in case.answers]
    details += [
        say("action_line", owner=a.owner, text=a.text, due=due_text(a.due_on)) for a in case.actions
    ]
    header = say(
        "case_line",
        reference=case.reference,
        debriefs=len(case.debriefs),
        concerns=len(grouped_by_code(list(case.concerns))),
    )
    return [bullets([header])] + ([bullets(details, indent="  ")] if details else [])


def summary_text(summary: SupervisionSummary) -> str:
    """What the worker shared, as lines filled from prompts.yml."""
    lines = [
        say("period_since", date=day_text(summary.since)) if summary.since else say("period_first")
    ]
    if summary.urgent:
        lines.append(say("urgent_header"))
        lines.append(
            bullets(
                [
                    say(
                        "urgent_line",
                        title=c.title,
                        reference=c.case_reference,
                        raised=day_text(c.raised_on),
                        days=c.open_days,
                    )
                    for c in summary.urgent
                ]
            )
        )
    for case in summary.cases:
        lines.extend(_case_lines(case))
    in_cases = {a.debrief_id for case in summary.cases for a in case.answers}
    loose = [a for a in summary.shared_notes if a.debrief_id not in in_cases]
    loose_lines = [say("shared_answer_line", question=a.question, text=a.text) for a in loose]
    loose_lines += [
        say("action_line", owner=a.owner, text=a.text, due=due_text(a.due_on))
        for a in summary.open_actions
        if a.case_id is None
    ]
    if loose_lines:
        lines.append(bullets(loose_lines))
    if not summary.cases and not summary.urgent and not loose_lines:
        lines.append(say("nothing_shared"))
    worker = summary.worker.name
    lines.append(
        say("impact_asked", name=worker)
        if summary.worker_asked_about_impact
        else say("impact_not_asked", name=worker)
    )
    return "\n".join(lines)


# --- the walk-through's queue ----------------------------------------------------------------


def build_queue(summary: SupervisionSummary, noted: set, decided: set) -> list[dict]:
    """Per case: the supervision questions with their evidence, then the case's shared
    concerns to decide on, then its agreed actions. Questions already noted and concerns
    already decided in this session are left out (coming back carries on)."""
    queue: list[dict] = []
    cases = summary.cases
    for case in cases:
        questions = prompts(SUPERVISION_SET, case.concerns, case.answers, case.case_id)
        queue += [
            question_item(q, case.case_id, case.reference, len(questions))
            for q in questions
            if (case.case_id, q.question_id) not in noted
        ]
        for group in grouped_by_code(list(case.concerns)):
            if not {c.id for c in group} <= decided:
                queue.append(concern_item(group))
        queue.append(action_item(case.case_id, case.reference))
    if not cases:
        questions = prompts(SUPERVISION_SET, summary.concerns, summary.shared_notes, None)
        queue += [
            question_item(q, None, None, len(questions))
            for q in questions
            if (None, q.question_id) not in noted
        ]
    loose = [c for c in summary.concerns if c.case_id is None]
    for group in grouped_by_code(loose):
        if not {c.id for c in group} <= decided:
            queue.append(concern_item(group))
    if not cases:
        queue.append(action_item(None, None))
    return queue


def case_list(summary: SupervisionSummary) -> list[dict]:
    return [{"case_id": c.case_id, "reference": c.reference} for c in summary.cases]


# --- who is meant --------------------------------------------------------------------------


def _wanted(tracker: Tracker, supervisees: list[Named]) -> tuple[str, Named | None]:
    """("go", person), ("choose", None) or ("not_yours", None)."""
    chosen = tracker.get_slot("sup_choice")
    if chosen:
        found = pick(str(chosen), supervisees)
        return ("go", found[0]) if len(found) == 1 else ("not_yours", None)
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "list_supervisees":
        return "choose", None
    entity = next(tracker.get_latest_entity_values("choice"), None)
    if entity:
        found = pick(str(entity), supervisees)
        return ("go", found[0]) if len(found) == 1 else ("not_yours", None)
    text = tracker.latest_message.get("text") or ""
    found = match_people(text, supervisees)
    if len(found) == 1:
        return "go", found[0]
    if found:
        return "choose", None
    if mentions_a_name(text):
        return "not_yours", None
    if tracker.get_slot("sup_session_id"):
        # "carry on with supervision prep": the supervision this chat was preparing.
        carrying_on = [p for p in supervisees if p.id == tracker.get_slot("sup_worker_id")]
        if carrying_on:
            return "go", carrying_on[0]
    if len(supervisees) == 1:
        return "go", supervisees[0]
    return "choose", None


class ActionPrepareSupervision(Action):
    def name(self) -> str:
        return "action_prepare_supervision"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            actor = await acting_person(tracker)
            if actor is None:
                return refused("not_enrolled")
            try:
                supervisees = named(await run_db(supervision.list_supervisees, actor.id))
            except AccessDenied:
                return refused("no_supervisees")
            if not supervisees:
                return refused("no_supervisees")
            decision, worker = _wanted(tracker, supervisees)
            if decision == "choose":
                return [step("choose"), control_result("choose"), SlotSet("sup_choice", None)]
            if worker is None:
                return refused("not_yours")
            return await self._prepare(tracker, actor, worker)
        except RecordsUnavailable:
            return refused("records_unavailable")
        except AccessDenied:
            return refused("not_yours")
        except StoreError as error:  # e.g. an open session with another supervisor
            logger.warning("supervision could not be prepared: %s", type(error).__name__)
            return refused("unavailable")

    async def _prepare(self, tracker: Tracker, actor: PersonRef, worker: Named) -> list[EventType]:
        session = await run_db(supervision.start_session, actor.id, worker.id)
        summary = await run_db(supervision.prepare, actor.id, worker.id)
        queue = list(tracker.get_slot("sup_queue") or [])
        same_place = (
            tracker.get_slot("sup_session_id") == session.id
            and tracker.get_slot("sup_worker_id") == worker.id
            and queue
        )
        sets = list(tracker.get_slot("sup_sets") or []) if same_place else []
        if same_place:
            result = "resumed"
        else:
            noted = {(n.case_id, n.question_id) for n in session.notes}
            decided = {c.concern_id for c in session.concerns}
            queue = build_queue(summary, noted, decided)
            result = "resumed" if session.notes or session.concerns or session.actions else "fresh"
        return [
            step("ready"),
            control_result(result),
            SlotSet("sup_choice", None),
            SlotSet("sup_session_id", session.id),
            SlotSet("sup_worker_id", worker.id),
            SlotSet("sup_worker_name", summary.worker.name),
            SlotSet("sup_summary", summary_text(summary)),
            SlotSet("sup_queue", queue),
            SlotSet("sup_queue_total", len(queue)),
            SlotSet("sup_cases", case_list(summary)),
            SlotSet("sup_sets", sets),
            SlotSet("sup_pending_action", None),
            SlotSet("sup_note", None),
        ]


# --- picking a supervisee ----------------------------------------------------------------


class ValidateSuperviseeForm(OwnQuestionsFormValidation):
    def name(self) -> str:
        return "validate_supervisee_form"

    def questions(self, tracker: Tracker) -> list[str]:
        return ["sup_choice"]

    async def validate_sup_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {}  # the slot was cleared, nothing was typed
        try:
            actor = await acting_person(tracker)
            people = named(await run_db(supervision.list_supervisees, actor.id)) if actor else []
        except RecordsUnavailable:
            dispatcher.utter_message(text=say("records_unavailable"))
            return {"sup_choice": None}
        except StoreError:  # no longer a supervisor, or refused
            people = []
        if not people:
            # No longer a supervisor: action_prepare_supervision says so calmly.
            return {"sup_choice": str(value)}
        found = pick(str(value), people)
        if len(found) == 1:
            return {"sup_choice": found[0].id}
        dispatcher.utter_message(text=say("choose_several" if found else "choose_unclear"))
        return {"sup_choice": None}


class ActionAskSupChoice(Action):
    def name(self) -> str:
        return "action_ask_sup_choice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            actor = await acting_person(tracker)
            people = await run_db(supervision.list_supervisees, actor.id) if actor else []
        except (RecordsUnavailable, StoreError):
            people = []
        buttons = [
            {"title": person.name, "payload": f'/inform{{"choice": "{person.id}"}}'}
            for person in people
        ]
        dispatcher.utter_message(text=say("choose_supervisee"), buttons=buttons)
        return []
