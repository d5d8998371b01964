"""Rasa's speed fixes give the answers Rasa's own code gives: the action-server response
check judges every response as the stock ``jsonschema.validate`` does, and each event
name resolves to the class Rasa's subclass walk finds."""

from __future__ import annotations

import asyncio
import copy
import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    EntitiesAdded,
    Event,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (installs the fixes, as Rasa's model load does)
from components import rasa_speedups

RESPONSES = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "case_reference", "value": "C-1"}]},
    {"events": [{"event": "followup", "name": "action_listen"}], "responses": [{"text": "ok"}]},
    {"events": [{"event": "active_loop", "name": None}]},
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": "no"},
    {"responses": ["not an object"]},
    [],
    "text",
]


def _stock(result) -> str | None:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError as error:
        return error.message
    return None


def test_the_fixes_are_installed_on_rasa_3_6():
    assert RemoteAction._validate_action_result is rasa_speedups.validate_action_result
    assert Event.resolve_by_type is rasa_speedups.resolve_event_by_type
    assert DialogueStateTracker.applied_events is rasa_speedups.applied_events


@pytest.mark.parametrize("result", RESPONSES)
def test_each_response_is_judged_as_the_stock_check_judges_it(result):
    expected = _stock(result)
    action = RemoteAction("action_ask_visit_date", None)
    if expected is None:
        assert action._validate_action_result(result) is True
        return
    with pytest.raises(jsonschema.ValidationError) as raised:
        action._validate_action_result(result)
    assert raised.value.message.startswith(expected + ". Failed to validate Action server")


def _event_dicts() -> list[dict]:
    """One dict of each event type, as Rasa writes it (what an action server sends)."""
    made = []
    for cls in all_subclasses(Event):
        try:
            made.append(cls.from_parameters({"event": cls.type_name, "name": "x"}).as_dict())
        except Exception:  # noqa: BLE001 - event types that need more arguments are skipped
            continue
    return made + [
        SlotSet("case_reference", "C-1").as_dict(),
        UserUttered("hello", {"name": "greet", "confidence": 0.9}).as_dict(),
        ActionExecuted("action_listen").as_dict(),
        EntitiesAdded([{"entity": "case", "value": "C-1", "start": 0, "end": 3}]).as_dict(),
    ]


EVENT_DICTS = _event_dicts()
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.just([]),
    st.just({}),
    st.just([{"text": "x"}]),
    st.sampled_from(["user", "slot", "bot"]),
)


@st.composite
def responses(draw):
    """Responses near Rasa's schema: real events, some with a key dropped or changed."""
    events = []
    for base in draw(st.lists(st.sampled_from(EVENT_DICTS), max_size=6)):
        event = copy.deepcopy(base)
        for _ in range(draw(st.integers(0, 2))):
            key = draw(st.sampled_from(sorted(event) + ["event", "name", "value", "extra"]))
            if draw(st.booleans()):
                event.pop(key, None)
            else:
                event[key] = draw(ODD_VALUES)
        events.append(event if draw(st.integers(0, 20)) else draw(ODD_VALUES))
    result = {"events": events, "responses": draw(st.sampled_from([[], [{"text": "hi"}], "no"]))}
    for key in draw(st.lists(st.sampled_from(["events", "responses"]), max_size=2)):
        result.pop(key, None)
    return result if draw(st.integers(0, 30)) else draw(ODD_VALUES)


@settings(max_examples=1500, deadline=None)
@given(responses())
def test_the_per_type_check_agrees_with_the_full_schema(result):
    assert rasa_speedups.events_by_type().is_valid(result) == (
        rasa_speedups.response_validator().is_valid(result)
    )


@pytest.mark.parametrize("event", EVENT_DICTS, ids=lambda e: e["event"])
def test_each_event_type_is_judged_as_the_full_schema_judges_it(event):
    expected = rasa_speedups.response_validator().is_valid({"events": [event]})
    assert rasa_speedups.events_by_type().is_valid({"events": [event]}) == expected


def test_the_events_rasa_writes_pass_the_per_type_check():
    accepted = [e for e in EVENT_DICTS if e.get("entities", []) is not None]
    assert len({e["event"] for e in accepted}) >= 20
    assert rasa_speedups.events_by_type().is_valid({"events": accepted})


def _walked(type_name: str):
    """The class Rasa 3.6's own ``Event.resolve_by_type`` returns."""
    return next(cls for cls in all_subclasses(Event) if cls.type_name == type_name)


@pytest.mark.parametrize("event_class", sorted(all_subclasses(Event), key=lambda c: c.__name__))
def test_every_event_name_resolves_to_the_class_rasa_finds(event_class):
    assert Event.resolve_by_type(event_class.type_name) is _walked(event_class.type_name)


def test_unknown_names_are_treated_as_rasa_treats_them():
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found():
    class NoteAdded(Event):  # a custom event imported after the table was built
        type_name = "test_note_added"

        def __eq__(self, other):
            return isinstance(other, NoteAdded)

        def as_story_string(self):
            return None

    assert Event.resolve_by_type("test_note_added") is NoteAdded


def test_events_read_back_from_dicts_are_the_same_events():
    events = [
        UserUttered("the visit went badly", {"name": "inform", "confidence": 0.9}),
        ActionExecuted("action_ask_visit_date"),
        SlotSet("case_reference", "C-12"),
    ]
    assert Event.from_parameters(events[2].as_dict()) == events[2]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events


def _conversation() -> list[Event]:
    """A form with an unhappy path, a revert and a restart: every branch of
    ``applied_events``."""
    return [
        ActionExecuted("action_listen"),
        UserUttered("debrief please", {"name": "start_debrief", "confidence": 1.0}),
        ActionExecuted("debrief_form"),
        ActiveLoop("debrief_form"),
        SlotSet("requested_slot", "case_reference"),
        ActionExecuted("action_listen"),
        UserUttered("why do you ask", {"name": "ask_why", "confidence": 1.0}),
        ActionExecutionRejected("debrief_form"),
        ActionExecuted("action_explain_question"),
        ActionExecuted("debrief_form"),
        ActionExecuted("action_listen"),
        UserUttered("C-12", {"name": "inform", "confidence": 1.0}),
        ActionExecuted("debrief_form"),
        SlotSet("case_reference", "C-12"),
        ActionExecuted("action_listen"),
        UserUttered("oops", {"name": "inform", "confidence": 1.0}),
        UserUtteranceReverted(),
        ActionExecuted("action_back"),
        ActionReverted(),
        ActiveLoop(None),
        Restarted(),
        ActionExecuted("action_listen"),
        UserUttered("hello", {"name": "greet", "confidence": 1.0}),
    ]


def test_applied_events_are_rasa_own_after_every_event():
    tracker = DialogueStateTracker("worker-1", [])
    for event in _conversation():
        tracker.update(event)
        assert tracker.applied_events() == rasa_speedups.STOCK_APPLIED_EVENTS(tracker)


def test_applied_events_are_a_fresh_list_each_time():
    tracker = DialogueStateTracker.from_events("worker-1", _conversation()[:14])
    first = tracker.applied_events()
    first.clear()
    assert tracker.applied_events() == rasa_speedups.STOCK_APPLIED_EVENTS(tracker) != []


def test_a_copied_tracker_that_goes_on_differently_gets_its_own_events():
    tracker = DialogueStateTracker.from_events("worker-1", _conversation()[:14])
    tracker.applied_events()
    other = copy.deepcopy(tracker)
    other.update(ActionExecuted("action_pause_debrief"))
    assert other.applied_events() == rasa_speedups.STOCK_APPLIED_EVENTS(other)
    assert tracker.applied_events() == rasa_speedups.STOCK_APPLIED_EVENTS(tracker)
    assert len(other.applied_events()) == len(tracker.applied_events()) + 1


EVENT_CHOICES = [
    lambda: ActionExecuted("action_listen"),
    lambda: UserUttered("an answer", {"name": "inform", "confidence": 1.0}),
    lambda: ActionExecuted("debrief_form"),
    lambda: ActionExecuted("review_form"),
    lambda: ActiveLoop("debrief_form"),
    lambda: ActiveLoop("review_form"),  # a form name that may first appear late
    lambda: ActiveLoop(None),
    lambda: ActionExecutionRejected("debrief_form"),
    lambda: ActionExecuted("action_explain_question"),
    lambda: SlotSet("case_reference", "C-12"),
    lambda: UserUtteranceReverted(),
    lambda: ActionReverted(),
    lambda: Restarted(),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, len(EVENT_CHOICES) - 1), max_size=40))
def test_applied_events_carried_forward_equal_rasa_own(choices):
    tracker = DialogueStateTracker("worker-1", [])
    for choice in choices:
        tracker.update(EVENT_CHOICES[choice]())
        assert tracker.applied_events() == rasa_speedups.STOCK_APPLIED_EVENTS(tracker)


def test_appended_events_are_carried_forward_not_recomputed(monkeypatch):
    tracker = DialogueStateTracker.from_events("worker-1", _conversation()[:14])
    tracker.applied_events()
    recomputed = []
    stock = rasa_speedups.STOCK_APPLIED_EVENTS
    monkeypatch.setattr(
        rasa_speedups, "STOCK_APPLIED_EVENTS", lambda t: recomputed.append(1) or stock(t)
    )
    for event in _conversation()[14:16]:  # no new form name
        tracker.update(event)
        tracker.applied_events()
    assert recomputed == []
    tracker.update(ActiveLoop("review_form"))  # a new form name: Rasa's own code again
    tracker.applied_events()
    assert recomputed == [1]


# --- 5. the request to the action server written faster ------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text()
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=1500, deadline=None)
@given(JSON_VALUES)
def test_the_request_body_is_the_json_value_the_standard_library_writes(value):
    assert json.loads(rasa_speedups.dumps_json(value)) == json.loads(json.dumps(value))


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), {1: "a", None: "b"}, (1, 2), "a/b \ud800 é", 10**30, -0.0],
    ids=["nan", "inf", "non-text keys", "tuple", "slash and surrogate", "huge int", "minus 0"],
)
def test_odd_values_are_written_as_the_standard_library_writes_them(value):
    expected = json.dumps(value)
    got = rasa_speedups.dumps_json(value)
    if value != value:  # NaN equals nothing: compare the text
        assert got == expected
    else:
        assert json.loads(got) == json.loads(expected)


@pytest.mark.parametrize("value", [b"bytes", {"when": object()}, {1.5j}])
def test_what_the_standard_library_refuses_is_refused_the_same_way(value):
    with pytest.raises(TypeError) as stock:
        json.dumps(value)
    with pytest.raises(TypeError) as ours:
        rasa_speedups.dumps_json(value)
    assert str(ours.value) == str(stock.value)


def test_a_finished_debrief_is_sent_as_the_same_json():
    tracker = DialogueStateTracker.from_events("worker-1", _conversation())
    state = tracker.current_state(EventVerbosity.ALL)
    assert json.loads(rasa_speedups.dumps_json(state)) == json.loads(json.dumps(state))


def test_the_session_is_rasa_own_but_for_the_json_writer():
    endpoint = EndpointConfig(
        "http://localhost:5055/webhook",
        headers={"X-Team": "north"},
        basic_auth={"username": "bot", "password": "not-a-secret"},
    )

    async def both():
        async with (
            rasa_speedups.STOCK_ENDPOINT_SESSION(endpoint) as stock,
            endpoint.session() as ours,
        ):
            return [
                (dict(s.headers), s.auth, s.timeout, s.json_serialize is json.dumps)
                for s in (stock, ours)
            ]

    stock, ours = asyncio.run(both())
    assert ours[:3] == stock[:3]
    assert stock[3] and not ours[3]
    assert EndpointConfig.session is rasa_speedups.endpoint_session
