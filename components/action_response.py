"""Validate action-server responses with a validator built once.

Rasa 3.6 checks every action-server response with ``jsonschema.validate``, which first
re-checks the whole response schema (Rasa's event schema) against its meta-schema. That
costs about 64 ms per call on an idle core, two calls a turn for this bot, and was the
largest single cost in a profile of the Rasa server (README, Performance). The schema
is a constant, so it is checked once here and the same validator serves every call;
responses are judged exactly as before, and an invalid one raises the same
``ValidationError`` with the same message.

Rasa imports ``components`` when it loads the model (the NLU pipeline names
``components.message_guard``), which applies this. Only Rasa 3.6 is patched: the
method's name and contract are internal and may change in another release.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Dict, Text

import rasa
from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

logger = logging.getLogger(__name__)

PATCHED_RASA_SERIES = "3.6."


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(spec)
    validator_class.check_schema(spec)
    return validator_class(spec)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator built once."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        "from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def apply() -> bool:
    """Install the cached validator on Rasa 3.6; returns whether it is installed."""
    if not rasa.__version__.startswith(PATCHED_RASA_SERIES):
        logger.warning(
            "Rasa %s is not %sx: action responses are validated the slow, stock way.",
            rasa.__version__,
            PATCHED_RASA_SERIES,
        )
        return False
    RemoteAction._validate_action_result = validate_action_result
    return True


__all__ = ["ValidationError", "apply", "response_validator", "validate_action_result"]
