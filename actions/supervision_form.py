"""The supervisor's walk-through (``supervision_form``): one slot, ``sup_note``, asked for
each item left in ``sup_queue`` (queued by actions/supervision_prepare.py):

- a supervision (or team-around-the-child, or organisation) question for a case, with
  the shared evidence that bears on it: the reply is the supervisor's note ("skip" or
  "next" moves on without one);
- a shared concern: discussed, close it, carry it forward, or leave it for now;
- agreed actions for a case: "Sam to ring the school by Friday" (what, who, by when;
  whatever is missing is asked in turn), until "none".

Every note, decision and action is saved through the supervision service the moment it
is given, as the acting person (from the chat, never a slot). "stop" leaves; preparing
the same supervision again carries on where it stopped.

Also here: why a question is asked, more questions on request, recording an agreed
action from anywhere, and completing the supervision.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank.answers import clean_text
from actions.debrief_state import bank, control_result, run_db
from actions.form_validation import OwnQuestionsFormValidation
from actions.services import supervision
from actions.services.access import PersonRef
from actions.services.supervision_questions import case_sets, prompts
from actions.store.repository import normalise_reference
from actions.supervision_prepare import step
from actions.supervision_state import (
    CONCERN,
    QUESTION,
    AccessDenied,
    Place,
    RecordsUnavailable,
    StoreError,
    acting_person,
    action_item,
    bullets,
    due_text,
    question_item,
    say,
    today,
    words,
)
from actions.supervision_text import (
    SUPERVISOR,
    DraftAction,
    Named,
    complete,
    is_none,
    is_skip,
    parse_action,
    read_choice,
    says_an_action,
)

logger = logging.getLogger(__name__)

TEAM_SET = "team_around_child"
ORGANISATION_SET = "organisation"
# A message the NLU is this sure is "add an agreed action" is taken as one, even in the
# middle of a question.
ACTION_INTENT_CONFIDENCE = 0.8
MAX_NOTE_CHARS = 10_000
# A short message the NLU reads as "skip" moves on; a longer one is a note, whatever the
# NLU thinks ("next time we should visit together" is kept).
SKIP_MAX_WORDS = 4


def _button(title: str, choice: str) -> dict:
    return {"title": title, "payload": f'/inform{{"choice": "{choice}"}}'}


def _worker(place: Place) -> Named:
    return Named(place.worker_id or "", None, place.worker_name)


def _first_name(place: Place) -> str:
    name = place.worker_name or ""
    return name.split()[0] if name.split() else name


def _intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


class SupervisionRefused(Exception):
    """The service refused the write: the session is completed, or the acting person no
    longer supervises the worker."""


async def _actor(tracker: Tracker) -> PersonRef:
    actor = await acting_person(tracker)
    if actor is None:
        raise SupervisionRefused("no acting person")
    return actor


# --- the form ------------------------------------------------------------------------------


class ValidateSupervisionForm(OwnQuestionsFormValidation):
    def name(self) -> str:
        return "validate_supervision_form"

    def questions(self, tracker: Tracker) -> list[str]:
        return ["sup_note"] if tracker.get_slot("sup_queue") else []

    async def validate_sup_note(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            # Not an answer: the slot was cleared (e.g. when the walk-through starts).
            return {}
        place = Place.of(tracker)
        item = place.current
        if item is None or not place.active:
            return {"sup_note": None, "sup_queue": []}
        text = clean_text(str(value))[:MAX_NOTE_CHARS]
        try:
            if item["kind"] == QUESTION:
                updates = await self._question(text, item, place, tracker, dispatcher)
            elif item["kind"] == CONCERN:
                updates = await self._concern(text, item, place, tracker, dispatcher)
            else:
                updates = await self._action(text, item, place, tracker, dispatcher)
        except RecordsUnavailable:
            dispatcher.utter_message(text=say("records_unavailable"))
            return {"sup_note": None}
        except (SupervisionRefused, AccessDenied, StoreError) as refused:
            logger.warning("supervision write refused: %s", type(refused).__name__)
            dispatcher.utter_message(text=say("not_allowed"))
            return {"sup_note": None, "sup_queue": [], "sup_pending_action": None}
        return {"sup_note": None, **updates}

    async def _question(
        self,
        text: str,
        item: dict,
        place: Place,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
    ) -> dict[str, Any]:
        intent, _ = _intent(tracker)
        taken = await _action_said_instead(text, item, place, tracker, dispatcher)
        if taken is not None:
            return taken
        if is_skip(text) or (intent == "skip_question" and len(text.split()) <= SKIP_MAX_WORDS):
            return {"sup_queue": place.queue[1:]}
        if not text:
            dispatcher.utter_message(text=say("note_empty"))
            return {}
        actor = await _actor(tracker)
        await run_db(
            supervision.record_note,
            actor.id,
            place.session_id,
            item["question_id"],
            text,
            item.get("case_id"),
        )
        return {"sup_queue": place.queue[1:]}

    async def _concern(
        self,
        text: str,
        item: dict,
        place: Place,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
    ) -> dict[str, Any]:
        decision = read_choice(text, words()["concern_decisions"])
        if decision is None:
            taken = await _action_said_instead(text, item, place, tracker, dispatcher)
            if taken is not None:
                return taken
            dispatcher.utter_message(text=say("concern_unclear"))
            return {}
        if decision != "later":
            actor = await _actor(tracker)
            ids = list(item["concern_ids"])
            if decision == "discussed":
                await run_db(supervision.mark_discussed, actor.id, place.session_id, ids)
            else:
                for concern_id in ids:
                    await run_db(
                        supervision.decide_concern, actor.id, place.session_id, concern_id, decision
                    )
        dispatcher.utter_message(text=words()["concern_done"][decision])
        return {"sup_queue": place.queue[1:]}

    async def _action(
        self,
        text: str,
        item: dict,
        place: Place,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
    ) -> dict[str, Any]:
        worker = _worker(place)
        draft = DraftAction.from_slot(tracker.get_slot("sup_pending_action"))
        if draft is None:
            if is_none(text) or is_skip(text):
                return {"sup_queue": place.queue[1:], "sup_pending_action": None}
            draft = parse_action(text, worker, today())
        else:
            completed = complete(draft, text, worker, today())
            if completed is None:
                if draft.missing == "text" and (is_none(text) or is_skip(text)):
                    return {"sup_queue": place.queue[1:], "sup_pending_action": None}
                problem = {
                    "text": "action_ask_text",
                    "owner": "action_owner_unclear",
                    "due": "action_due_unclear",
                }[draft.missing or "text"]
                dispatcher.utter_message(text=say(problem, worker=place.worker_name))
                return {}
            draft = completed
        if draft.missing:
            return {"sup_pending_action": draft.as_slot()}
        await _record_action(draft, item.get("case_id"), place, tracker, dispatcher)
        rest = place.queue[1:]
        queue = rest if item.get("single") else [{**item, "more": True}, *rest]
        return {"sup_queue": queue, "sup_pending_action": None}


async def _action_said_instead(
    text: str, item: dict, place: Place, tracker: Tracker, dispatcher: CollectingDispatcher
) -> dict[str, Any] | None:
    """An agreed action said at a question or a concern ("Sam to book a joint visit by
    Friday"): recorded at once when complete, else asked about first; the item is asked
    again afterwards. None: the message is not plainly an action."""
    intent, confidence = _intent(tracker)
    worker = _worker(place)
    if not (
        intent == "add_agreed_action"
        and confidence >= ACTION_INTENT_CONFIDENCE
        and says_an_action(text, worker, today())
    ):
        return None
    draft = parse_action(text, worker, today())
    if draft.missing is None:
        await _record_action(draft, item.get("case_id"), place, tracker, dispatcher)
        return {}
    dispatcher.utter_message(text=say("action_taken"))
    single = action_item(item.get("case_id"), item.get("reference"), single=True)
    return {"sup_queue": [single, *place.queue], "sup_pending_action": draft.as_slot()}


async def _record_action(
    draft: DraftAction,
    case_id: str | None,
    place: Place,
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
) -> None:
    actor = await _actor(tracker)
    owner_id = actor.id if draft.owner == SUPERVISOR else place.worker_id
    await run_db(
        supervision.add_action,
        actor.id,
        place.session_id,
        draft.text,
        owner_id,
        draft.due,
        case_id,
    )
    owner = say("action_owner_me") if draft.owner == SUPERVISOR else place.worker_name
    dispatcher.utter_message(
        text=say("action_recorded", owner=owner, text=draft.text, due=due_text(draft.due))
    )


# --- asking -----------------------------------------------------------------------------


def question_message(item: dict) -> tuple[str, list[dict]]:
    question_bank = bank()
    parts = []
    if item.get("number") == 1:
        question_set = question_bank.sets[item["set_id"]]
        if question_set.intro:
            parts.append(" ".join(question_set.intro.split()))
        reference = item.get("reference")
        if reference:
            parts.append(say("case_intro", reference=reference))
        elif item["set_id"] != ORGANISATION_SET:
            parts.append(say("no_case_intro"))
    reference = item.get("reference")
    parts.append(
        say(
            "question",
            label=words()["set_labels"][item["set_id"]],
            number=item["number"],
            total=item["total"],
            case=say("question_case", reference=reference) if reference else "",
            text=item["text"],
        )
    )
    if item.get("evidence"):
        parts.append(say("evidence_header") + "\n" + bullets(item["evidence"]))
    else:
        parts.append(say("no_evidence"))
    parts.append(say("question_hint"))
    labels = words()["buttons"]
    buttons = [
        _button(labels["skip"], "skip"),
        {"title": labels["why"], "payload": "/ask_why"},
        {"title": labels["stop"], "payload": "/stop_debrief"},
    ]
    return "\n\n".join(p for p in parts if p), buttons


def concern_message(item: dict) -> tuple[str, list[dict]]:
    text = say(
        "concern_item",
        reference=item.get("reference") or "-",
        urgent=say("concern_urgent_mark") if item.get("urgent") else "",
        title=item["title"],
        evidence="; ".join(f"\u201c{e}\u201d" for e in item["evidence"]),
        days=item["days"],
    )
    if item.get("note"):
        text = text + "\n" + say("concern_worker_note", note=item["note"])
    buttons = [_button(d["title"], d["id"]) for d in words()["concern_decisions"]]
    return text, buttons


def action_message(item: dict, place: Place, draft: DraftAction | None) -> tuple[str, list[dict]]:
    labels = words()["buttons"]
    missing = draft.missing if draft else None
    if missing == "text":
        return say("action_ask_text"), [_button(labels["none"], "none")]
    if missing == "owner":
        buttons = [
            _button(_first_name(place) or "Worker", "owner_worker"),
            _button(labels["owner_me"], "owner_supervisor"),
        ]
        return say("action_ask_owner", worker=place.worker_name), buttons
    if missing == "due":
        return say("action_ask_due"), [_button(labels["no_date"], "no date")]
    if item.get("more"):
        return say("action_ask_more"), [_button(labels["none"], "none")]
    example = _first_name(place)
    if item.get("reference"):
        text = say("action_ask", reference=item["reference"], first_name=example)
    else:
        text = say("action_ask_general", first_name=example)
    return text, [_button(labels["none"], "none")]


class ActionAskSupNote(Action):
    def name(self) -> str:
        return "action_ask_sup_note"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        place = Place.of(tracker)
        item = place.current
        if item is None:
            return []
        if item["kind"] == QUESTION:
            text, buttons = question_message(item)
        elif item["kind"] == CONCERN:
            text, buttons = concern_message(item)
        else:
            draft = DraftAction.from_slot(tracker.get_slot("sup_pending_action"))
            text, buttons = action_message(item, place, draft)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionExplainSupervisionQuestion(Action):
    """Why a supervision question is asked: the bank's reason (said by utter_explanation)."""

    def name(self) -> str:
        return "action_explain_supervision_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        item = Place.of(tracker).current
        if not item or item["kind"] != QUESTION or item["question_id"] not in bank().questions:
            return [control_result("no_question")]
        why = bank().questions[item["question_id"]].why
        return [control_result("explained"), SlotSet("explanation", " ".join(why.split()))]


# --- more questions, an agreed action from anywhere, completing ---------------------------


def wanted_sets(tracker: Tracker) -> tuple[str, ...]:
    """Team-around-the-child and/or organisation questions, from a button or the words;
    neither named: both."""
    entity = next(tracker.get_latest_entity_values("choice"), None)
    if entity in (TEAM_SET, ORGANISATION_SET):
        return (entity,)
    text = (tracker.latest_message.get("text") or "").lower()
    sets = []
    if re.search(r"\b(team|tac|multi[- ]?agency|around the child)\b", text):
        sets.append(TEAM_SET)
    if re.search(r"\borganis|\borganiz|\bagency'?s? (?:policies|culture)", text):
        sets.append(ORGANISATION_SET)
    return tuple(sets) or (TEAM_SET, ORGANISATION_SET)


def more_question_items(summary, sets: tuple[str, ...]) -> list[dict]:
    items: list[dict] = []
    for set_id in case_sets(sets):
        if set_id not in sets:
            continue  # the supervision set itself is already in the walk-through
        if summary.cases:
            for case in summary.cases:
                found = prompts(set_id, case.concerns, case.answers, case.case_id)
                items += [question_item(q, case.case_id, case.reference, len(found)) for q in found]
        else:
            found = prompts(set_id, summary.concerns, summary.shared_notes, None)
            items += [question_item(q, None, None, len(found)) for q in found]
    if ORGANISATION_SET in sets:
        found = prompts(ORGANISATION_SET, summary.concerns, summary.shared_notes, None)
        items += [question_item(q, None, None, len(found)) for q in found]
    return items


# What a supervision write can meet: the records down, or a refusal (not their
# supervisee, not their session, a record that changed under them).
WRITE_FAILURES = (RecordsUnavailable, SupervisionRefused, AccessDenied, StoreError)


def failure_reason(error: Exception) -> str:
    """The control_result that tells the supervisor why a write did not happen."""
    return "records_unavailable" if isinstance(error, RecordsUnavailable) else "not_yours"


def _refused(reason: str) -> list[EventType]:
    return [step("refused"), control_result(reason)]


class ActionMoreQuestions(Action):
    def name(self) -> str:
        return "action_more_questions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        place = Place.of(tracker)
        if not place.active:
            return _refused("no_session")
        try:
            actor = await _actor(tracker)
            summary = await run_db(supervision.prepare, actor.id, place.worker_id)
        except WRITE_FAILURES as error:
            return _refused(failure_reason(error))
        sets = wanted_sets(tracker)
        items = more_question_items(summary, sets)
        queue = items + place.queue
        asked = list(dict.fromkeys([*(tracker.get_slot("sup_sets") or []), *sets]))
        return [
            step("ready"),
            control_result("more_questions"),
            SlotSet("sup_sets", asked),
            SlotSet("sup_queue", queue),
            SlotSet("sup_queue_total", len(queue)),
            SlotSet("sup_note", None),
        ]


def case_for_action(tracker: Tracker, place: Place) -> tuple[str | None, str | None]:
    """The case an agreed action is about: named in the text, else the case being gone
    through, else the only case shared; otherwise none."""
    cases = list(tracker.get_slot("sup_cases") or [])
    text = normalise_reference(tracker.latest_message.get("text") or "")
    for case in cases:
        key = normalise_reference(case["reference"])
        if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text):
            return case["case_id"], case["reference"]
    current = place.current
    if current and current.get("case_id"):
        return current["case_id"], current.get("reference")
    if len(cases) == 1:
        return cases[0]["case_id"], cases[0]["reference"]
    return None, None


class ActionAddAgreedAction(Action):
    """An agreed action ("Sam to ring the school by Friday") at any point of a supervision:
    recorded at once when it says what, who and by when; otherwise the walk-through asks
    for the rest first."""

    def name(self) -> str:
        return "action_add_agreed_action"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        place = Place.of(tracker)
        if not place.active:
            return _refused("no_session")
        case_id, reference = case_for_action(tracker, place)
        text = clean_text(tracker.latest_message.get("text") or "")
        draft = parse_action(text, _worker(place), today())
        if draft.missing is None:
            try:
                await _record_action(draft, case_id, place, tracker, dispatcher)
            except WRITE_FAILURES as error:
                return _refused(failure_reason(error))
            return [step("ready"), control_result("action_recorded"), SlotSet("sup_note", None)]
        queue = [action_item(case_id, reference, single=True), *place.queue]
        return [
            step("ready"),
            control_result("action_started"),
            SlotSet("sup_queue", queue),
            SlotSet("sup_pending_action", draft.as_slot()),
            SlotSet("sup_note", None),
        ]


class ActionCompleteSupervision(Action):
    """Complete the supervision session: what it looked at is done, a concern discussed
    but not decided is carried forward, and the worker can see the outcomes."""

    def name(self) -> str:
        return "action_complete_supervision"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        place = Place.of(tracker)
        if not place.active:
            return [control_result("no_session")]
        try:
            actor = await _actor(tracker)
            view = await run_db(supervision.complete_session, actor.id, place.session_id)
        except WRITE_FAILURES as error:
            return [control_result(failure_reason(error))]
        logger.info("supervision session %s completed", view.id)
        return [
            control_result("completed"),
            SlotSet("sup_session_id", None),
            SlotSet("sup_queue", []),
            SlotSet("sup_pending_action", None),
            SlotSet("sup_note", None),
        ]
