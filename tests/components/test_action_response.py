"""The action-server response check, with its validator built once, judges every
response as Rasa's stock ``jsonschema.validate`` does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401  (installs the cached validator, as Rasa's model load does)
from components import action_response

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


def test_the_cached_check_is_installed_on_rasa_3_6():
    assert RemoteAction._validate_action_result is action_response.validate_action_result


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
