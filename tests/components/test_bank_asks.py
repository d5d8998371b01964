"""The Rasa server says the debrief's questions itself (components/bank_asks.py): the
bank's ask actions resolve to local actions, every other name as Rasa resolves it.
(tests/actions/test_debrief_ask.py checks each local message against the action
server's.)"""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import ActionBotResponse, RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.exceptions import RasaException

import components  # noqa: F401 - installs the fixes, as Rasa's model loading does
from actions.bank.schema import BankError
from components import bank_asks
from components.bank_asks import AskBankQuestion

DOMAIN = Domain.from_dict(
    {
        "actions": ["action_ask_child_seen", "action_save_debrief"],
        "responses": {"utter_greet": [{"text": "Hello"}]},
    }
)


def test_rasa_resolves_actions_through_the_bank_asks():
    assert rasa_action.action_for_name_or_text is bank_asks.action_for_name_or_text


def test_a_bank_question_is_asked_here_with_its_buttons():
    asker = rasa_action.action_for_name_or_text("action_ask_child_seen", DOMAIN, None)
    assert isinstance(asker, AskBankQuestion)
    [said] = asyncio.run(asker.run(CollectingOutputChannel(), None, None, DOMAIN))
    assert said.text
    assert [b["payload"] for b in said.data["buttons"]] == ["/affirm", "/deny", "/unsure"]


def test_saying_a_question_twice_gives_two_separate_events():
    asker = rasa_action.action_for_name_or_text("action_ask_child_seen", DOMAIN, None)
    [first] = asyncio.run(asker.run(CollectingOutputChannel(), None, None, DOMAIN))
    first.data["buttons"].clear()
    [second] = asyncio.run(asker.run(CollectingOutputChannel(), None, None, DOMAIN))
    assert len(second.data["buttons"]) == 3


def test_other_actions_resolve_as_rasa_resolves_them():
    custom = rasa_action.action_for_name_or_text("action_save_debrief", DOMAIN, None)
    assert isinstance(custom, RemoteAction)
    response = rasa_action.action_for_name_or_text("utter_greet", DOMAIN, None)
    assert isinstance(response, ActionBotResponse)


def test_an_ask_action_the_domain_does_not_have_is_not_found():
    with pytest.raises(RasaException):
        rasa_action.action_for_name_or_text("action_ask_visit_type", DOMAIN, None)


def test_a_bank_that_cannot_be_read_leaves_the_asking_to_the_action_server(monkeypatch):
    def broken_bank():
        raise BankError("questions", None, "unreadable")

    monkeypatch.setattr(bank_asks, "cached_bank", broken_bank)
    bank_asks.bank_asks.cache_clear()
    try:
        asker = rasa_action.action_for_name_or_text("action_ask_child_seen", DOMAIN, None)
        assert isinstance(asker, RemoteAction)
    finally:
        monkeypatch.undo()
        bank_asks.bank_asks.cache_clear()
