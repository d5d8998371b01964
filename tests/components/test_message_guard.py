"""A long message is an answer, never a command (components/message_guard.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.message_guard import LongMessageGuard


@pytest.fixture
def guard() -> LongMessageGuard:
    return LongMessageGuard(LongMessageGuard.get_default_config())


def classified(text: str, intent: str) -> Message:
    return Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}})


@pytest.mark.parametrize(
    "text, intent",
    [
        ("skip", "skip_question"),
        ("can we stop there please", "stop_debrief"),
        ("why are you asking me that", "ask_why"),
    ],
)
def test_short_commands_are_left_alone(guard, text, intent):
    [message] = guard.process([classified(text, intent)])
    assert message.get("intent")["name"] == intent


@pytest.mark.parametrize(
    "text",
    [
        "She told me to stop asking questions and go back to the office, and then she "
        "shut the door on me while the baby was crying upstairs",
        "x" * 100_000,
    ],
)
def test_long_messages_become_answers(guard, text):
    [message] = guard.process([classified(text, "stop_debrief")])
    assert message.get("intent")["name"] == "inform"


def test_a_long_answer_keeps_its_answer_intent(guard):
    text = "mum said the baby was asleep upstairs and I never actually got to see him at all"
    [message] = guard.process([classified(text, "inform")])
    assert message.get("intent") == {"name": "inform", "confidence": 0.9}
