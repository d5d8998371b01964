"""The debrief's questions, said by the Rasa server itself.

Rasa's form asks a question by running ``action_ask_<question>``, a custom action: one
more call to the action server on every turn of a debrief, with the whole conversation
sent and the answer checked (about a fifth of a turn; README, Performance). The words
and buttons come from the question bank alone (``actions/debrief_ask.py`` builds them
with ``actions.bank.asking``), and the Rasa server can read the bank too. So Rasa's
``action_for_name_or_text`` is given the bank's ask actions as local actions that send
the same message, built by the same code; every other name goes to Rasa as before.

The action server keeps its ask actions: with a Rasa release where this is not installed
(``components.rasa_speedups.PATCHED_RASA_SERIES``), or a bank that fails to load here,
Rasa calls them as it always did. ``tests/actions/test_debrief_ask.py`` checks, for every
question, that the local message is the event Rasa makes from the action server's answer.
"""

from __future__ import annotations

import copy
import functools
import logging
from typing import Any

from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import Action, create_bot_utterance

from actions.bank.asking import question_buttons, question_text
from actions.bank.gen_domain import ask_action_name
from actions.bank.prompts import PromptsError, cached_prompts
from actions.bank.schema import BankError, cached_bank

logger = logging.getLogger(__name__)

STOCK_ACTION_FOR_NAME_OR_TEXT = rasa_action.action_for_name_or_text


class AskBankQuestion(Action):
    """Says one bank question: the message ``actions/debrief_ask.py`` would send."""

    def __init__(self, action_name: str, message: dict[str, Any]) -> None:
        self._name = action_name
        self._message = message

    def name(self) -> str:
        return self._name

    async def run(self, output_channel, nlg, tracker, domain, metadata=None) -> list:
        return [create_bot_utterance(copy.deepcopy(self._message))]


def ask_message(question_id: str) -> dict[str, Any]:
    """What the action server's ask action for ``question_id`` says, as Rasa keeps it
    (empty values left out, as ``RemoteAction`` leaves them out)."""
    bank, prompts = cached_bank(), cached_prompts()
    question = bank.questions[question_id]
    message: dict[str, Any] = {"text": question_text(bank, question, prompts)}
    buttons = question_buttons(question, prompts)
    if buttons:
        message["buttons"] = buttons
    return message


@functools.lru_cache(maxsize=1)
def bank_asks() -> dict[str, AskBankQuestion]:
    """The bank's ask actions by name; none when the bank cannot be read here."""
    try:
        question_ids = cached_bank().debrief_question_ids()
        return {
            ask_action_name(qid): AskBankQuestion(ask_action_name(qid), ask_message(qid))
            for qid in question_ids
        }
    except (BankError, PromptsError, OSError) as error:
        logger.warning("Questions will be asked by the action server: %s", error)
        return {}


def action_for_name_or_text(action_name_or_text: str, domain: Any, action_endpoint: Any) -> Action:
    """Rasa's ``action_for_name_or_text``, with the bank's ask actions said locally."""
    local = bank_asks().get(action_name_or_text)
    if local is not None and action_name_or_text in domain.user_actions:
        return local
    return STOCK_ACTION_FOR_NAME_OR_TEXT(action_name_or_text, domain, action_endpoint)


def apply() -> None:
    rasa_action.action_for_name_or_text = action_for_name_or_text
