"""The actions and the domain agree: every ``control_result`` an action can set has a
variation in the response the rules say after that action (or falls to its default on
purpose), and every slot an action sets is a domain slot.

The values are read from the action source with ``ast``, so a new ``control_result("x")``
that nobody wrote a response for fails here rather than in a conversation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from actions.settings import PROJECT_ROOT
from tests.actions.action_helpers import DOMAIN_FILES, RULES_DIR, read_yaml

ACTION_FILES = sorted((PROJECT_ROOT / "actions").glob("debrief_*.py"))

# Results that the response's default (unconditioned) variation says, on purpose.
DEFAULT_ON_PURPOSE = {
    ("action_explain_question", "explained"),
    ("action_skip_question", "skipped"),
    ("action_go_back", "going_back"),
    ("action_pause_debrief", "paused"),
    ("action_stop_debrief", "stopped"),
    ("action_start_debrief", "fresh"),
    ("action_resume_debrief", "nothing_to_resume"),
    ("action_finish_debrief", "summary"),
}


def _strings(node: ast.AST, where: str) -> set[str]:
    """The literal values an argument can take (a string or a conditional of strings)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, where) | _strings(node.orelse, where)
    raise AssertionError(f"{where}: control_result() needs literal values; got {ast.dump(node)}")


def _is_call_to(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
        and bool(node.args)
    )


def _action_name(cls: ast.ClassDef) -> str | None:
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "name":
            for node in ast.walk(item):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
                    return node.value.value
    return None


def control_results_by_action() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in ACTION_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        in_classes: set[int] = set()
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            calls = [n for n in ast.walk(cls) if _is_call_to(n, "control_result")]
            in_classes |= {id(call) for call in calls}
            if not calls:
                continue
            name = _action_name(cls)
            assert name, f"{path.name}: {cls.name} sets control_result but has no literal name"
            where = f"{path.name}:{cls.name}"
            for call in calls:
                found.setdefault(name, set()).update(_strings(call.args[0], where))
        stray = [
            n.lineno
            for n in ast.walk(tree)
            if _is_call_to(n, "control_result") and id(n) not in in_classes
        ]
        assert not stray, f"{path.name} lines {stray}: control_result() outside an action"
    return found


def responses_after_actions() -> dict[str, set[str]]:
    """action -> the responses the rules say right after it (active_loop steps skipped)."""
    after: dict[str, set[str]] = {}
    for path in sorted(RULES_DIR.glob("*.yml")):
        for rule in read_yaml(path).get("rules", []):
            actions = [s["action"] for s in rule.get("steps", []) if "action" in s]
            for current, following in zip(actions, actions[1:], strict=False):
                if current.startswith("action_") and following.startswith("utter_"):
                    after.setdefault(current, set()).add(following)
    return after


def control_result_conditions(variations: list[dict]) -> tuple[set[str], int]:
    """(control_result values with their own variation, number of default variations)."""
    values: set[str] = set()
    defaults = 0
    for variation in variations:
        conditions = variation.get("condition") or []
        if not conditions:
            defaults += 1
        for condition in conditions:
            if condition.get("type") == "slot" and condition.get("name") == "control_result":
                values.add(condition["value"])
    return values, defaults


@pytest.fixture(scope="module")
def results() -> dict[str, set[str]]:
    return control_results_by_action()


@pytest.fixture(scope="module")
def after() -> dict[str, set[str]]:
    return responses_after_actions()


def test_the_scan_finds_the_control_actions(results):
    # A floor, so a scan that silently stopped matching fails here.
    assert {
        "action_explain_question",
        "action_skip_question",
        "action_go_back",
        "action_pause_debrief",
        "action_stop_debrief",
        "action_start_debrief",
        "action_resume_debrief",
        "action_finish_debrief",
    } <= set(results)
    assert {"paused_exists", "fresh"} <= results["action_start_debrief"], "IfExp is read"
    assert {"cannot_skip", "records_unavailable"} <= results["action_skip_question"]


def test_every_control_action_is_followed_by_a_response_in_the_rules(results, after):
    missing = sorted(action for action in results if not after.get(action))
    assert missing == []


def test_every_control_result_has_a_variation_or_falls_to_the_default_on_purpose(
    results, after, domain
):
    problems = []
    for action, values in sorted(results.items()):
        for response in sorted(after[action]):
            variations = domain["responses"].get(response)
            if not variations:
                problems.append(f"{action}: rule says {response}, which the domain lacks")
                continue
            conditioned, defaults = control_result_conditions(variations)
            if defaults != 1:
                problems.append(f"{response}: {defaults} default variations (need exactly 1)")
            for value in sorted(values):
                on_purpose = (action, value) in DEFAULT_ON_PURPOSE
                if value in conditioned and on_purpose:
                    problems.append(f"{response}: {value} has a variation and is a default")
                elif value not in conditioned and not on_purpose:
                    problems.append(f"{action} sets {value!r}; {response} has no variation")
    assert problems == []


def test_the_default_list_has_no_stale_entries(results):
    stale = sorted(
        (action, value)
        for action, value in DEFAULT_ON_PURPOSE
        if value not in results.get(action, set())
    )
    assert stale == []


def test_no_variation_waits_for_a_result_its_action_never_sets(results, after, domain):
    set_before: dict[str, set[str]] = {}
    for action, responses in after.items():
        for response in responses:
            set_before.setdefault(response, set()).update(results.get(action, set()))
    dead = []
    for response, values in sorted(set_before.items()):
        conditioned, _ = control_result_conditions(domain["responses"].get(response, []))
        dead += [f"{response}: {value}" for value in sorted(conditioned - values)]
    assert dead == []


# --- slots the actions set exist in the domain ---------------------------------------


def slots_set_in_source(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if _is_call_to(node, "SlotSet"):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def test_every_literal_slot_an_action_sets_is_a_domain_slot(domain):
    set_by_actions = set().union(*(slots_set_in_source(p) for p in ACTION_FILES))
    assert {"control_result", "debrief_id", "summary_answers"} <= set_by_actions
    unknown = sorted(set_by_actions - set(domain["slots"]) - {"requested_slot"})
    assert unknown == []


def test_the_two_domain_files_do_not_define_anything_twice():
    core, generated = (read_yaml(path) for path in DOMAIN_FILES)
    for key in ("slots", "responses", "forms"):
        both = set(core.get(key) or {}) & set(generated.get(key) or {})
        assert both == set(), key
    for key in ("actions", "intents", "entities"):
        both = set(core.get(key) or []) & set(generated.get(key) or [])
        assert both == set(), key
