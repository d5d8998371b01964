"""Rasa's tracker copy without the replay (``components/rasa_speedups.py``, fix 4) gives
the tracker Rasa's own copy gives, after every event of random conversations, and the
copy and the original go on independently; so does the form's temporary tracker."""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.forms import FormAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import BooleanSlot, ListSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

import components  # noqa: F401  (installs the fixes, as Rasa's model load does)
from components import rasa_speedups


def _slots() -> list:
    return [
        TextSlot("case_reference", mappings=[]),
        TextSlot("requested_slot", mappings=[]),
        ListSlot("answered_questions", mappings=[], initial_value=["consent"]),
        BooleanSlot("child_seen_alone", mappings=[], initial_value=False),
    ]


EVENT_CHOICES = [
    lambda: ActionExecuted("action_listen"),
    lambda: UserUttered("an answer", {"name": "inform", "confidence": 1.0}),
    lambda: UserUttered("/stop", {"name": "stop_debrief", "confidence": 1.0}),
    lambda: ActionExecuted("debrief_form"),
    lambda: ActiveLoop("debrief_form"),
    lambda: ActiveLoop(None),
    lambda: ActionExecutionRejected("debrief_form"),
    lambda: LoopInterrupted(True),
    lambda: LoopInterrupted(False),
    lambda: SlotSet("case_reference", "C-12"),
    lambda: SlotSet("answered_questions", ["consent", "what_happened"]),
    lambda: SlotSet("child_seen_alone", True),
    lambda: SlotSet("requested_slot", None),
    lambda: BotUttered("Thank you.", {"buttons": None}),
    lambda: FollowupAction("action_summary"),
    lambda: ConversationPaused(),
    lambda: ConversationResumed(),
    lambda: AllSlotsReset(),
    lambda: UserUtteranceReverted(),
    lambda: ActionReverted(),
    lambda: Restarted(),
    lambda: SessionStarted(),
]


def _state(tracker: DialogueStateTracker) -> dict:
    """Everything a tracker holds, comparable across two trackers."""
    return {
        "current": tracker.current_state(EventVerbosity.ALL),
        "events": list(tracker.events),
        "slots": {
            name: (type(slot), slot.value, slot.has_been_set, slot.initial_value)
            for name, slot in tracker.slots.items()
        },
        "paused": tracker.is_paused(),
        "followup": tracker.followup_action,
        "latest_action": tracker.latest_action,
        "latest_message": tracker.latest_message,
        "latest_bot_utterance": tracker.latest_bot_utterance,
        "active_loop": tracker.active_loop,
        "applied": tracker.applied_events(),
        "other": (
            tracker.sender_id,
            tracker.sender_source,
            tracker.is_rule_tracker,
            tracker._max_event_history,
            tracker.model_id,
            tracker.assistant_id,
        ),
    }


def test_the_copy_is_installed():
    assert DialogueStateTracker.copy is rasa_speedups.copy_tracker


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, len(EVENT_CHOICES) - 1), max_size=40))
def test_the_copy_is_rasa_own_after_every_event(choices):
    tracker = DialogueStateTracker("worker-1", _slots())
    tracker.model_id = "model-1"  # the server's trackers carry one; copies do not
    for choice in choices:
        tracker.update(EVENT_CHOICES[choice]())
        assert _state(tracker.copy()) == _state(rasa_speedups.STOCK_COPY(tracker))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, len(EVENT_CHOICES) - 1), max_size=30),
    st.lists(st.integers(0, len(EVENT_CHOICES) - 1), min_size=1, max_size=10),
)
def test_the_copy_and_the_original_go_on_independently(before, after):
    tracker = DialogueStateTracker("worker-1", _slots())
    for choice in before:
        tracker.update(EVENT_CHOICES[choice]())
    original = _state(rasa_speedups.STOCK_COPY(tracker))
    copied = tracker.copy()
    stock_copied = rasa_speedups.STOCK_COPY(tracker)
    for choice in after:
        event = EVENT_CHOICES[choice]()  # one event, so both see the same timestamp
        copied.update(event)
        stock_copied.update(event)
    copied.interrupt_loop(True)
    stock_copied.interrupt_loop(True)
    assert _state(tracker) == original
    assert _state(copied) == _state(stock_copied)


def test_a_capped_history_is_copied_by_rasa_own_replay():
    tracker = DialogueStateTracker("worker-1", _slots(), max_event_history=3)
    for choice in (1, 9, 3, 4, 10):
        tracker.update(EVENT_CHOICES[choice]())
    assert _state(tracker.copy()) == _state(rasa_speedups.STOCK_COPY(tracker))


def _domain() -> Domain:
    with warnings.catch_warnings():
        # Rasa warns on every Domain.from_dict that slot auto-fill was removed in 3.0.
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed")
        return Domain.from_dict(
            {
                "intents": ["inform", "stop_debrief"],
                "slots": {
                    "case_reference": {"type": "text", "mappings": [{"type": "from_text"}]},
                    "answered_questions": {
                        "type": "list",
                        "initial_value": ["consent"],
                        "mappings": [{"type": "custom"}],
                    },
                    "child_seen_alone": {
                        "type": "bool",
                        "initial_value": False,
                        "mappings": [{"type": "custom"}],
                    },
                },
                "forms": {"debrief_form": {"required_slots": ["case_reference"]}},
            }
        )


DOMAIN = _domain()


def _form_tracker(choices: list[int]) -> DialogueStateTracker:
    tracker = DialogueStateTracker("worker-1", DOMAIN.slots)
    tracker.model_id = "model-1"
    for choice in choices:
        tracker.update(EVENT_CHOICES[choice]())
    return tracker


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, len(EVENT_CHOICES) - 1), max_size=40),
    st.lists(st.integers(0, len(EVENT_CHOICES) - 1), max_size=4),
)
def test_the_form_temporary_tracker_is_rasa_own(choices, added_choices):
    tracker = _form_tracker(choices)
    form = FormAction("debrief_form", None)
    added = [EVENT_CHOICES[choice]() for choice in added_choices]
    ours = form._temporary_tracker(tracker, added, DOMAIN)
    stock = rasa_speedups.STOCK_TEMPORARY_TRACKER(form, tracker, added, DOMAIN)
    # the two added events each makes are new objects with their own timestamps
    for made in (ours, stock):
        for index in (-len(added) - 1, -len(added) - 2):
            made.events[index].timestamp = 0.0
    assert _state(ours) == _state(stock)


def test_a_conversation_with_a_restart_or_other_slots_uses_rasa_own(monkeypatch):
    stock_calls = []
    stock = rasa_speedups.STOCK_TEMPORARY_TRACKER
    monkeypatch.setattr(
        rasa_speedups,
        "STOCK_TEMPORARY_TRACKER",
        lambda *args: stock_calls.append(1) or stock(*args),
    )
    form = FormAction("debrief_form", None)
    form._temporary_tracker(_form_tracker([1, 9]), [], DOMAIN)
    assert stock_calls == []
    form._temporary_tracker(_form_tracker([1, 9, 20, 1]), [], DOMAIN)  # Restarted
    assert stock_calls == [1]
    other_slots = DialogueStateTracker("worker-1", _slots())
    form._temporary_tracker(other_slots, [], DOMAIN)
    assert stock_calls == [1, 1]
    capped = DialogueStateTracker("worker-1", DOMAIN.slots, max_event_history=5)
    form._temporary_tracker(capped, [], DOMAIN)
    assert stock_calls == [1, 1, 1]
