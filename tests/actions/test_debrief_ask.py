"""The ask actions: one ``action_ask_<id>`` per debrief question, registered by rasa_sdk's
own executor, saying the bank's words with buttons for quick answers."""

from __future__ import annotations

import asyncio
import json

import pytest
from rasa_sdk.executor import ActionExecutor

from tests.actions.action_helpers import (
    bank_yaml,
    prompt,
    question_yaml,
    squash,
    yes_no_buttons,
)

INFORM = "/inform"


def debrief_question_ids() -> list[str]:
    questions, sets = bank_yaml()
    in_debrief = sorted((s for s in sets.values() if s["in_debrief"]), key=lambda s: s["order"])
    return [qid for s in in_debrief for qid in s["question_ids"]]


@pytest.fixture(scope="module")
def executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


def ask(executor, make_tracker, domain, question_id: str) -> list[dict]:
    tracker = make_tracker(requested_slot=question_id)
    action_call = {
        "next_action": f"action_ask_{question_id}",
        "sender_id": tracker.sender_id,
        "tracker": tracker.current_state(),
        "domain": domain,
        "version": "3.6.21",
    }
    response = asyncio.run(executor.run(action_call))
    assert response["events"] == [], "asking changes no slot"
    return response["responses"]


def test_every_debrief_question_has_a_registered_ask_action(executor, domain):
    # The review of concerns at the end has its own three ask actions (decision, note,
    # share the note?), and the supervisor's supervisee picker and walk-through one each
    # (actions/supervision_*.py).
    review = {
        "action_ask_review_decision",
        "action_ask_review_note",
        "action_ask_review_share",
        "action_ask_sup_choice",
        "action_ask_sup_note",
    }
    registered = {name for name in executor.actions if name.startswith("action_ask_")}
    expected = {f"action_ask_{qid}" for qid in debrief_question_ids()}
    assert registered - review == expected
    assert expected <= set(domain["actions"]), "the domain declares them, so Rasa calls them"


def test_questions_outside_the_debrief_have_no_ask_action(executor):
    questions, sets = bank_yaml()
    elsewhere = [q for q, doc in questions.items() if not sets[doc["set_id"]]["in_debrief"]]
    assert elsewhere, "the supervision sets exist"
    assert not {f"action_ask_{qid}" for qid in elsewhere} & set(executor.actions)


@pytest.mark.parametrize("question_id", debrief_question_ids())
def test_each_ask_action_says_its_question_with_the_right_buttons(
    executor, make_tracker, domain, question_id
):
    question = question_yaml(question_id)
    [message] = ask(executor, make_tracker, domain, question_id)

    assert squash(question["text"]) in squash(message["text"])
    if question["type"] == "yes_no":
        assert message["buttons"] == yes_no_buttons()
    elif question["type"] in ("choice", "multi_choice"):
        expected = [
            {"title": c["label"], "payload": f'{INFORM}{{"choice": "{c["id"]}"}}'}
            for c in question["choices"]
        ]
        assert message["buttons"] == expected
    elif question["type"] in ("free_text", "date", "case_reference"):
        assert message["buttons"] == []


def test_yes_no_buttons_are_yes_no_and_not_sure(executor, make_tracker, domain):
    [message] = ask(executor, make_tracker, domain, "child_seen")
    assert [b["title"] for b in message["buttons"]] == ["Yes", "No", "Not sure"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny", "/unsure"]
    assert message["text"] == question_yaml("child_seen")["text"]


def test_choice_buttons_send_the_choice_id_as_an_entity(executor, make_tracker, domain):
    [message] = ask(executor, make_tracker, domain, "visit_type")
    ids = [c["id"] for c in question_yaml("visit_type")["choices"]]
    sent = []
    for button in message["buttons"]:
        assert button["payload"].startswith(INFORM)
        sent.append(json.loads(button["payload"][len(INFORM) :])["choice"])
    assert sent == ids


def test_the_first_question_of_a_set_opens_with_the_set_intro(executor, make_tracker, domain):
    _, sets = bank_yaml()
    [message] = ask(executor, make_tracker, domain, "worker_safe_now")
    intro, text = message["text"].split("\n\n")
    assert squash(intro) == squash(sets["safety"]["intro"])
    assert text == question_yaml("worker_safe_now")["text"]
    [second] = ask(executor, make_tracker, domain, "threatened_or_hurt")
    assert second["text"] == question_yaml("threatened_or_hurt")["text"], "no intro again"


def test_a_multi_choice_question_says_more_than_one_may_be_picked(executor, make_tracker, domain):
    [message] = ask(executor, make_tracker, domain, "resistance_type")
    assert message["text"].endswith(prompt("multi_choice_hint"))


@pytest.mark.parametrize("question_id", debrief_question_ids())
def test_the_rasa_server_says_each_question_as_the_action_server_would(
    executor, make_tracker, domain, question_id
):
    # components/bank_asks.py: the Rasa server says the bank's questions itself; the
    # event must be the one Rasa makes from this action server's answer.
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.trackers import DialogueStateTracker

    from components.bank_asks import bank_asks

    responses = ask(executor, make_tracker, domain, question_id)
    [from_server] = asyncio.run(
        RemoteAction._utter_responses(
            responses,
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            DialogueStateTracker("worker-1", []),
        )
    )
    local = bank_asks()[f"action_ask_{question_id}"]
    [said_here] = asyncio.run(local.run(CollectingOutputChannel(), None, None, None))
    assert (said_here.text, said_here.data, said_here.metadata) == (
        from_server.text,
        from_server.data,
        from_server.metadata,
    )
