"""Speed fixes to Rasa 3.6's server, each found by profiling a debrief turn.

1. Rasa checks every action-server response with ``jsonschema.validate``, which first
   re-checks the whole response schema (Rasa's event schema) against its meta-schema:
   about 64 ms per call on an idle core, two calls a turn for this bot, the largest
   single cost in the profile (README, Performance). The schema is a constant, so it is
   checked once here and one validator serves every call; responses are judged exactly
   as before, and an invalid one raises the same ``ValidationError`` and message. Each
   event is then checked against its own type's branch of the schema's ``oneOf``
   (``EventsByType``) instead of all ~25 (6.5 -> 0.65 ms for a typical response); any
   response that does not pass is judged by the full schema, as Rasa judges it.
2. Reading a conversation back from the tracker store turns each stored event into its
   class with ``Event.resolve_by_type``, which walks every subclass of ``Event`` (with
   ``inspect.isabstract`` on each) for every event: ~75% of the ~130 ms it took to read
   a finished debrief's 413 events. The name-to-class table is built once here, and
   built again if a name is missing (a custom event class imported later), so the
   answer is the one Rasa's walk gives.
3. ``DialogueStateTracker.applied_events`` walks the whole conversation (about 400
   events by the end of a debrief) with several ``isinstance`` checks per event, and
   Rasa calls it five or more times a turn (each policy's states, the session check,
   ...): ~13 ms a call, the largest cost left in the profile. It is a left-to-right
   fold over the event list, which Rasa only ever appends to, so the result is kept
   on the tracker with the length and last event it was computed for: returned as it
   is while those hold, carried forward over the events appended since (when no new
   form name appeared, since each step looks at every form name), else computed
   again by Rasa's own code. Callers get a fresh list each time, as before.

4. ``DialogueStateTracker.copy``, which Rasa calls before running each action, builds a
   new tracker (deep-copying every slot's initial value) and replays every event of the
   conversation into it: ~3 ms for a finished debrief, twice or more a turn. Rasa's own
   contract for a tracker is that its state "MUST be re-creatable by processing all the
   events", so the copy here takes that state directly: the same events in a new list,
   each slot copied as ``init_copy`` copies it (keeping the value the replay would set),
   and the loop and latest action copied so that changes to one tracker do not reach
   the other. Trackers of another class, or with a cap on their event history (whose
   dropped events a replay would not see), are copied by Rasa's own code. One
   difference: a replay writes a ``StoryExported`` event's file again; this copy does
   not, as no copy should. The form's ``_temporary_tracker`` (twice a debrief turn)
   replays the conversation into a tracker with the domain's slots in the same way; it
   is this copy plus its added events when the conversation has no restart and its
   slots are the domain's (the same definitions, in the same order), else Rasa's own.
5. Each call to the action server sends the whole conversation as JSON (170 kB by the
   end of a debrief), and aiohttp writes it with the standard library's ``json.dumps``:
   about 6 ms, mostly in writing floats (every event's timestamp, every intent's
   confidence). ``ujson`` (already installed: Sanic uses it to read the same requests)
   writes the same JSON value about three times faster. Anything it will not write
   (bytes, an object of another type) goes to ``json.dumps``, which answers as before.

Rasa imports ``components`` when it loads the model (the NLU pipeline names
``components.message_guard``), which applies these. Only Rasa 3.6 is patched: the
patched methods are internal and may change in another release.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Dict, Text, Type

import aiohttp
import rasa
import ujson
from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.constants import DEFAULT_SENDER_ID, DOCS_BASE_URL
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

PATCHED_RASA_SERIES = "3.6."


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(spec)
    validator_class.check_schema(spec)
    return validator_class(spec)


class EventsByType:
    """Rasa's response schema judged without trying every event type on every event.

    The schema checks each event against a ``oneOf`` of ~25 branches, one per event type,
    each fixing ``event`` to its own constant; so ``jsonschema`` builds errors for the
    ~24 branches an event does not match (~8 ms a response here). Since every item must
    have ``event`` as a string and the constants differ, at most one branch can match an
    item, the one named by its ``event``: an item passes the ``oneOf`` exactly when that
    branch exists and passes. This checks the schema without the ``oneOf``, then each
    item against its own branch. It only ever says "valid" when the full schema would;
    any other answer is left to the full check, which gives Rasa's own error.
    """

    def __init__(self, spec: Dict[Text, Any]) -> None:
        validator_class = validators.validator_for(spec)
        items = spec["properties"]["events"]["items"]
        branches = items["oneOf"]
        by_type = {branch["properties"]["event"]["const"]: branch for branch in branches}
        if len(by_type) != len(branches) or not {"event"} <= set(items["required"]):
            raise ValueError("Rasa's response schema is not one branch per event type")
        base = copy.deepcopy(spec)
        del base["properties"]["events"]["items"]["oneOf"]
        self.base = validator_class(base)
        self.by_type = {name: validator_class(branch) for name, branch in by_type.items()}

    def is_valid(self, result: Any) -> bool:
        if not self.base.is_valid(result):
            return False
        events = result.get("events", []) if isinstance(result, dict) else []
        for event in events:
            branch = self.by_type.get(event["event"])
            if branch is None or not branch.is_valid(event):
                return False
        return True


@functools.lru_cache(maxsize=1)
def events_by_type() -> EventsByType:
    return EventsByType(RemoteAction.action_response_format_spec())


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator built once, and the
    per-event-type check first (the full check when that does not pass)."""
    if events_by_type().is_valid(result):
        return True
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        "from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


class EventClasses:
    """Event type name -> class, as the first match in Rasa's subclass walk."""

    def __init__(self) -> None:
        self.by_name: Dict[Text, Type[Event]] = {}

    def rebuild(self) -> None:
        by_name: Dict[Text, Type[Event]] = {}
        for cls in all_subclasses(Event):
            by_name.setdefault(cls.type_name, cls)
        self.by_name = by_name

    def find(self, type_name: Text) -> Type[Event] | None:
        found = self.by_name.get(type_name)
        if found is None:
            self.rebuild()
            found = self.by_name.get(type_name)
        return found


EVENT_CLASSES = EventClasses()


def resolve_event_by_type(
    type_name: Text, default: Type[Event] | None = None
) -> Type[Event] | None:
    """``Event.resolve_by_type`` with the name-to-class table built once."""
    found = EVENT_CLASSES.find(type_name)
    if found is not None:
        return found
    if type_name == "topic":
        return None  # as Rasa: old TopicSet events are skipped
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


STOCK_APPLIED_EVENTS = DialogueStateTracker.applied_events
APPLIED_EVENTS_CACHE = "_supervision_applied_events"


@dataclass
class AppliedEvents:
    """``applied_events`` of a tracker's first ``length`` events, ending with ``last``."""

    length: int
    last: Event | None  # held, so `is` can compare it (an id() could be reused)
    loop_names: frozenset[str]
    applied: list[Event]


def _loop_names(events: Iterable[Event]) -> frozenset[str]:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def _apply_event(tracker: DialogueStateTracker, event: Event, loops, applied: list) -> None:
    """One step of Rasa 3.6's ``DialogueStateTracker.applied_events`` loop, unchanged."""
    if isinstance(event, (Restarted, SessionStarted)):
        applied.clear()
    elif isinstance(event, ActionReverted):
        tracker._undo_till_previous(ActionExecuted, applied)
    elif isinstance(event, UserUtteranceReverted):
        tracker._undo_till_previous(UserUttered, applied)
        tracker._undo_till_previous(ActionExecuted, applied)
    elif (
        isinstance(event, ActionExecuted)
        and event.action_name in loops
        and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
    ):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)


def _extended(tracker: DialogueStateTracker, cached: AppliedEvents) -> AppliedEvents | None:
    """The cached result carried over the events appended since, when that gives the
    same answer as starting again: the cached events are still the start of the list
    and no new loop name appeared (Rasa decides each step knowing every loop name)."""
    events = tracker.events
    if len(events) < cached.length or cached.length == 0:
        return None
    if events[cached.length - 1] is not cached.last:
        return None
    new_events = list(itertools.islice(events, cached.length, None))
    if not _loop_names(new_events) <= cached.loop_names:
        return None
    applied = list(cached.applied)
    for event in new_events:
        _apply_event(tracker, event, cached.loop_names, applied)
    return AppliedEvents(len(events), events[-1], cached.loop_names, applied)


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """``DialogueStateTracker.applied_events``, computed once per state of the events
    and carried forward over events appended since."""
    events = self.events
    last = events[-1] if events else None
    cached: AppliedEvents | None = self.__dict__.get(APPLIED_EVENTS_CACHE)
    if cached is None or cached.length != len(events) or cached.last is not last:
        cached = (cached and _extended(self, cached)) or AppliedEvents(
            len(events), last, _loop_names(events), STOCK_APPLIED_EVENTS(self)
        )
        self.__dict__[APPLIED_EVENTS_CACHE] = cached
    return list(cached.applied)


STOCK_COPY = DialogueStateTracker.copy


def _copied_directly(tracker: DialogueStateTracker) -> bool:
    """Whether ``copy_tracker`` copies this tracker itself: Rasa's own class, with no cap
    on its history (a replay of a capped history would not see the dropped events)."""
    return type(tracker) is DialogueStateTracker and tracker._max_event_history is None


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """``DialogueStateTracker.copy`` without replaying the events (fix 4 above): the
    tracker ``init_copy`` would make, in the state the replay would leave it in."""
    if not _copied_directly(self):
        return STOCK_COPY(self)
    clone = DialogueStateTracker.__new__(DialogueStateTracker)
    clone._max_event_history = None
    clone.events = deque(self.events)
    clone.sender_id = self.sender_id or DEFAULT_SENDER_ID
    clone.slots = {slot.name: copy.copy(slot) for slot in self.slots.values()}
    clone.sender_source = None
    clone.is_rule_tracker = self.is_rule_tracker
    clone._paused = self._paused
    clone.followup_action = self.followup_action
    clone.latest_action = None if self.latest_action is None else dict(self.latest_action)
    clone.latest_message = self.latest_message
    clone.latest_bot_utterance = self.latest_bot_utterance
    clone.active_loop = copy.copy(self.active_loop)
    clone.model_id = None
    clone.assistant_id = None
    cached = self.__dict__.get(APPLIED_EVENTS_CACHE)
    if cached is not None:  # the same events, so the same applied events
        clone.__dict__[APPLIED_EVENTS_CACHE] = cached
    return clone


STOCK_TEMPORARY_TRACKER = FormAction._temporary_tracker
SLOT_STATE = ("_value", "_has_been_set")


def _same_slot_definition(slot: Any, template: Any) -> bool:
    if type(slot) is not type(template):
        return False
    mine, theirs = vars(slot), vars(template)
    return mine.keys() == theirs.keys() and all(
        mine[key] is theirs[key] or mine[key] == theirs[key]
        for key in mine
        if key not in SLOT_STATE
    )


def _replays_as_copy(tracker: DialogueStateTracker, domain: Domain) -> bool:
    """Whether replaying the tracker's events into a tracker with the domain's slots
    gives the tracker's own state: no restart (the replay starts after the latest), and
    the domain's slot definitions, in the same order; and a tracker ``copy_tracker``
    copies itself (not Rasa's replay, which would keep a capped history's cap)."""
    if not _copied_directly(tracker):
        return False
    if list(tracker.slots) != [slot.name for slot in domain.slots]:
        return False
    if tracker.idx_after_latest_restart() != 0:
        return False
    return all(
        _same_slot_definition(tracker.slots[template.name], template) for template in domain.slots
    )


def temporary_tracker(
    self: FormAction,
    current_tracker: DialogueStateTracker,
    additional_events: list[Event],
    domain: Domain,
) -> DialogueStateTracker:
    """``FormAction._temporary_tracker`` as a copy plus the added events (fix 4)."""
    if not _replays_as_copy(current_tracker, domain):
        return STOCK_TEMPORARY_TRACKER(self, current_tracker, additional_events, domain)
    tracker = copy_tracker(current_tracker)
    tracker.sender_id = current_tracker.sender_id  # as from_events has it, even if empty
    added = [
        SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
        ActionExecuted(self.name()),
        *additional_events,
    ]
    for event in added:
        tracker.update(event)
    return tracker


# --- 5. the request to the action server written faster ----------------------------------


def dumps_json(value: Any) -> str:
    """``json.dumps(value)`` as a JSON value, written by ujson where it can (slashes left
    as they are, bytes refused as ``json.dumps`` refuses them)."""
    try:
        return ujson.dumps(value, escape_forward_slashes=False, reject_bytes=True)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)


STOCK_ENDPOINT_SESSION = EndpointConfig.session


def endpoint_session(self: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's ``EndpointConfig.session`` (same headers, auth and timeout), writing JSON
    bodies with ``dumps_json``."""
    auth = None
    if self.basic_auth:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=self.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=dumps_json,
    )


def apply() -> bool:
    """Install the fixes on Rasa 3.6; returns whether they are installed."""
    if not rasa.__version__.startswith(PATCHED_RASA_SERIES):
        logger.warning(
            "Rasa %s is not %sx: the speed fixes in %s are not applied.",
            rasa.__version__,
            PATCHED_RASA_SERIES,
            __name__,
        )
        return False
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_by_type)
    DialogueStateTracker.applied_events = applied_events
    DialogueStateTracker.copy = copy_tracker
    FormAction._temporary_tracker = temporary_tracker
    EndpointConfig.session = endpoint_session
    return True
