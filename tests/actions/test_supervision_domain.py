"""The supervision actions and domain/supervision.yml agree: every result an action can
set has its variation in the response the rules say after it, every placeholder is a
domain slot, every slot the actions set exists, and the domain files don't clash."""

from __future__ import annotations

import re

import pytest

from actions.settings import PROJECT_ROOT
from actions.supervision_state import REQUIRED_WORDS, load_words
from tests.actions.action_helpers import RULES_DIR, read_yaml
from tests.actions.supervision_helpers import full_domain
from tests.actions.test_control_results_domain import (
    control_result_conditions,
    slots_set_in_source,
)

SUPERVISION_MODULES = [
    PROJECT_ROOT / "actions" / name
    for name in (
        "supervision_prepare.py",
        "supervision_form.py",
        "supervision_agenda.py",
        "my_view.py",
    )
]
DOMAIN_FILE = PROJECT_ROOT / "domain" / "supervision.yml"

# What each action may set as control_result, and which of those fall to the response's
# default variation on purpose.
RESULTS = {
    "action_make_agenda": {"agenda_made", "agenda_linked", "no_session", "not_yours"},
    "action_complete_supervision": {"completed", "no_session", "not_yours"},
    "action_whats_open": {"found", "nothing_open", "not_enrolled"},
    "action_case_history": {"found", "which_case", "not_found", "no_cases"},
    "action_supervision_outcomes": {"found", "seen_before", "no_supervision", "not_enrolled"},
}
DEFAULTS = {
    "action_make_agenda": {"agenda_failed"},
    "action_complete_supervision": {"records_unavailable"},
    "action_whats_open": {"records_unavailable"},
    "action_case_history": {"records_unavailable"},
    "action_supervision_outcomes": {"records_unavailable"},
}
REFUSALS = {"not_yours", "no_supervisees", "no_session", "not_enrolled", "records_unavailable"}


@pytest.fixture(scope="module")
def domain() -> dict:
    return full_domain()


def responses_after(action: str) -> set[str]:
    found = set()
    for path in sorted(RULES_DIR.glob("*.yml")):
        for rule in read_yaml(path).get("rules", []):
            actions = [s["action"] for s in rule.get("steps", []) if "action" in s]
            for current, following in zip(actions, actions[1:], strict=False):
                if current == action and following.startswith("utter_"):
                    found.add(following)
    return found


@pytest.mark.parametrize("action", sorted(RESULTS))
def test_each_result_has_its_variation(action, domain):
    [response] = responses_after(action)
    conditioned, defaults = control_result_conditions(domain["responses"][response])
    assert defaults == 1
    assert RESULTS[action] <= conditioned
    assert not DEFAULTS[action] & conditioned
    assert conditioned <= RESULTS[action], "a variation no result reaches"


def test_the_refusal_has_a_variation_for_each_reason(domain):
    conditioned, defaults = control_result_conditions(
        domain["responses"]["utter_supervision_refused"]
    )
    assert defaults == 1
    assert conditioned >= REFUSALS


def test_every_placeholder_in_the_supervision_responses_is_a_slot(domain):
    for name, variations in read_yaml(DOMAIN_FILE)["responses"].items():
        for variation in variations:
            for slot in re.findall(r"\{(\w+)\}", variation.get("text", "")):
                assert slot in domain["slots"], f"{name}: {{{slot}}}"


def test_every_slot_the_supervision_actions_set_is_a_domain_slot(domain):
    names = set().union(*(slots_set_in_source(path) for path in SUPERVISION_MODULES))
    assert {"supervision_step", "sup_queue", "my_view", "agenda_html"} <= names
    assert sorted(names - set(domain["slots"]) - {"requested_slot"}) == []


def test_the_domain_files_define_nothing_twice():
    documents = [read_yaml(p) for p in sorted((PROJECT_ROOT / "domain").glob("*.yml"))]
    for key in ("slots", "responses", "forms", "actions", "intents", "entities"):
        seen: set[str] = set()
        for document in documents:
            names = set(document.get(key) or [])
            assert not names & seen, (key, names & seen)
            seen |= names


def test_the_supervision_words_are_all_there():
    words = load_words()
    assert set(REQUIRED_WORDS) <= set(words)
    decisions = {d["id"] for d in words["concern_decisions"]}
    assert (
        decisions
        == set(words["concern_done"])
        == {
            "discussed",
            "closed",
            "carried_forward",
            "later",
        }
    )
    assert set(words["set_labels"]) == {"supervision", "team_around_child", "organisation"}
