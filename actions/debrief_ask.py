"""Ask the debrief's questions. Rasa's form asks a slot by running ``action_ask_<slot>``;
one small action per bank question is made here from the bank, so the wording and
buttons come from the bank alone."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank.asking import question_buttons, question_text
from actions.bank.gen_domain import ask_action_name
from actions.bank.prompts import cached_prompts
from actions.debrief_state import bank


class AskQuestion(Action, ABC):
    """Puts ``question_id`` to the worker. Abstract: the subclasses below fix the id
    (rasa_sdk registers only concrete actions)."""

    question_id: str

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question_bank = bank()
        question = question_bank.questions[self.question_id]
        prompts = cached_prompts()
        dispatcher.utter_message(
            text=question_text(question_bank, question, prompts),
            buttons=question_buttons(question, prompts),
        )
        return []


def _ask_class(question_id: str) -> type[AskQuestion]:
    def name(self) -> str:
        return ask_action_name(question_id)

    return type(f"Ask_{question_id}", (AskQuestion,), {"question_id": question_id, "name": name})


# rasa_sdk registers every Action subclass it imports. The bank is read here, at import,
# on purpose: a malformed bank should stop the action server from starting, with the
# bank's own error message, rather than fail mid-conversation.
ASK_ACTIONS = [_ask_class(question_id) for question_id in bank().debrief_question_ids()]
