"""NLU component: a long message is an answer, not a command.

Steering intents (skip, go back, pause, stop, why ...) are said in a few words. A long
account of a visit that happens to look like one to the classifier ("... she told me to
stop asking ...") must never be taken as a command and so lost as an answer; this
component turns such a prediction into ``inform`` after the classifier has run.
"""

from __future__ import annotations

# Rasa's graph checks components' type hints against its own (typing.List, Dict, Text),
# so this module keeps them in that form.
import itertools
import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

DEFAULT_COMMAND_INTENTS = [
    "ask_why",
    "skip_question",
    "go_back",
    "pause_debrief",
    "stop_debrief",
    "help",
    "start_debrief",
    "resume_debrief",
    "goodbye",
    "greet",
    "thank",
    "bot_challenge",
    "out_of_scope",
    "nlu_fallback",
]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LongMessageGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "max_command_words": 15,
            "max_command_chars": 120,
            "answer_intent": "inform",
            "command_intents": DEFAULT_COMMAND_INTENTS,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.max_words = int(config["max_command_words"])
        self.max_chars = int(config["max_command_chars"])
        self.answer_intent = config["answer_intent"]
        self.command_intents = set(config["command_intents"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LongMessageGuard":
        return cls(config)

    def is_long(self, text: str) -> bool:
        text = text or ""
        if len(text) > self.max_chars:
            return True
        first_words = itertools.islice(re.finditer(r"\S+", text), self.max_words + 1)
        return sum(1 for _ in first_words) > self.max_words

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) in self.command_intents and self.is_long(
                message.get(TEXT, "")
            ):
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: self.answer_intent, "confidence": 1.0},
                    add_to_output=True,
                )
        return messages
