"""Every response in the domain renders as written: Rasa's response templating reads
``{name}`` as a slot, so a literal brace (a button's ``/intent{"entity": ...}`` payload)
must be doubled, or Rasa logs an error with a traceback each time it is said."""

from __future__ import annotations

import asyncio
import re

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def rasa_domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain"))


def _placeholders(text: str) -> list[str]:
    # {name} is filled from the slots; {{ and }} are literal braces.
    return re.findall(r"(?<!\{)\{([^{}\n]+)\}(?!\})", text)


def test_every_response_names_only_slots_between_braces(rasa_domain):
    slot_names = {slot.name for slot in rasa_domain.slots}
    for name, variants in rasa_domain.responses.items():
        for variant in variants:
            texts = [variant.get("text") or ""]
            for button in variant.get("buttons") or []:
                texts += [button.get("title") or "", button.get("payload") or ""]
            for text in texts:
                for placeholder in _placeholders(text):
                    assert placeholder in slot_names, f"{name}: {{{placeholder}}}"


def test_a_button_payload_with_an_entity_reaches_the_worker_as_written(rasa_domain):
    tracker = DialogueStateTracker.from_events("supervisor-1", [], rasa_domain.slots)
    generator = TemplatedNaturalLanguageGenerator(rasa_domain.responses)
    name = next(
        name
        for name, variants in rasa_domain.responses.items()
        if any(
            "request_more_questions" in (b.get("payload") or "")
            for b in variants[0].get("buttons") or []
        )
    )
    message = asyncio.run(generator.generate(name, tracker, "rest"))
    payloads = [button["payload"] for button in message["buttons"]]
    assert '/request_more_questions{"choice": "team_around_child"}' in payloads
    assert '/request_more_questions{"choice": "organisation"}' in payloads
