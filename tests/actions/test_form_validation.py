"""Rasa sends the domain only to actions that ask for it (endpoints.yml), so each form
validation must name its next question, or end its form, from the tracker alone."""

from __future__ import annotations

import inspect

import pytest
from rasa_sdk.executor import ActionExecutor

from actions.concern_review import ValidateConcernReviewForm
from actions.form_validation import OwnQuestionsFormValidation
from actions.settings import PROJECT_ROOT
from actions.supervision_form import ValidateSupervisionForm
from actions.supervision_prepare import ValidateSuperviseeForm
from tests.actions.action_helpers import read_yaml, run_action, selective_domain
from tests.actions.supervision_helpers import full_domain

ENDPOINT_FILES = [
    PROJECT_ROOT / "endpoints.yml",
    PROJECT_ROOT / "scripts" / "prod" / "endpoints.yml.template",
]


@pytest.mark.parametrize("path", ENDPOINT_FILES, ids=lambda p: p.name)
def test_the_action_endpoint_sends_the_domain_only_where_asked(path):
    assert read_yaml(path)["action_endpoint"]["enable_selective_domain"] is True


def test_no_action_asks_for_the_domain():
    asking = [e for e in full_domain()["actions"] if isinstance(e, dict)]
    assert asking == [], "an action marked send_domain: say why here, and test it"


def test_every_form_validation_decides_its_own_questions():
    executor = ActionExecutor()
    executor.register_package("actions")
    validations = [name for name in executor.actions if name.startswith("validate_")]
    assert sorted(validations) == [
        "validate_concern_review_form",
        "validate_debrief_form",
        "validate_supervisee_form",
        "validate_supervision_form",
    ]
    for name in validations:
        owner = executor.actions[name].__self__
        assert isinstance(owner, OwnQuestionsFormValidation), name
    assert inspect.isabstract(OwnQuestionsFormValidation), "the base must not be registered"


def _requested(turn) -> list:
    return [e["value"] for e in turn.events if e.get("name") == "requested_slot"]


def test_a_review_with_nothing_pending_ends_its_form_without_the_domain(make_tracker, domain):
    assert selective_domain(), "the helpers send the domain as Rasa does"
    tracker = make_tracker(slots={"review_codes": []}, active_loop="concern_review_form")
    turn = run_action(ValidateConcernReviewForm(), tracker, domain)
    assert _requested(turn) == [None]


def test_a_walk_through_with_an_empty_queue_ends_its_form_without_the_domain(make_tracker):
    tracker = make_tracker(slots={"sup_queue": []}, active_loop="supervision_form")
    turn = run_action(ValidateSupervisionForm(), tracker, full_domain())
    assert _requested(turn) == [None]


def test_picking_a_supervisee_asks_for_the_choice_without_the_domain(make_tracker):
    tracker = make_tracker(active_loop="supervisee_form")
    turn = run_action(ValidateSuperviseeForm(), tracker, full_domain())
    assert _requested(turn) == ["sup_choice"]
