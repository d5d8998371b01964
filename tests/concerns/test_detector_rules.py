"""Every rule in rules.yml, read by the rules alone: its example raises its code; its
counter-examples do not."""

from __future__ import annotations

import pytest

from actions.bank.schema import TAXONOMY_CODES
from actions.concerns.detector import explain
from actions.concerns.rules_schema import RulesError, cached_rules, load_rules
from tests.concerns.detector_helpers import rule_codes

RULES = cached_rules().rules


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_example_raises_its_code(rule):
    kept = [e for e in explain(rule.example) if e["kept"] and e["code"] == rule.code]
    assert kept, f"{rule.id}: example {rule.example!r} does not raise {rule.code}"
    assert rule.code in rule_codes(rule.example)


COUNTER = [(r, c) for r in RULES for c in r.counter_examples]


@pytest.mark.parametrize(
    "rule,sentence", COUNTER, ids=[f"{r.id}:{i}" for i, (r, _) in enumerate(COUNTER)]
)
def test_rule_counter_example_does_not_raise_through_the_rule(rule, sentence):
    fired = [e for e in explain(sentence) if e["kept"] and e["rule"] == rule.id]
    assert not fired, f"{rule.id} fired on counter-example {sentence!r}: {fired}"


def test_every_taxonomy_code_has_a_rule_and_worker_fear_is_urgent():
    assert {r.code for r in RULES} == set(TAXONOMY_CODES)
    assert all(r.urgent for r in RULES if r.code == "worker_fear")
    assert not any(r.urgent for r in RULES if r.code != "worker_fear")


def test_who_flags_follow_the_reading_rules():
    by_code: dict[str, set[str]] = {}
    for rule in RULES:
        by_code.setdefault(rule.code, set()).add(rule.who)
    for code in ("worker_fear", "worker_relief", "worker_wellbeing"):
        assert by_code[code] == {"worker"}, code


@pytest.mark.parametrize(
    "snippet,problem",
    [
        ("- id: bad\n  code: not_a_code\n  patterns: [x]\n  example: x", "not a taxonomy code"),
        ("- id: bad\n  code: drift\n  patterns: [x]", "example"),
        ("- id: bad\n  code: drift\n  patterns: ['( x']\n  example: x", "unclosed"),
        ("- id: bad\n  code: drift\n  patterns: ['_ x']\n  example: x", "wildcard"),
        ("- id: bad\n  code: drift\n  patterns: ['%nope x']\n  example: x", "unknown lexicon"),
        ("- id: bad\n  code: drift\n  patterns: [x]\n  example: x\n  colour: red", "unknown keys"),
        (
            "- id: bad\n  code: drift\n  patterns: [x]\n  example: x\n  pronoun_is_child: maybe",
            "'pronoun_is_child' must be true or false",
        ),
        (
            "- id: bad\n  code: drift\n  patterns: [x]\n  example: x\n  unless_in_text: x",
            "'unless_in_text' must be a list of patterns",
        ),
        (
            "- id: bad\n  code: drift\n  patterns: [x]\n  example: x\n  unless_in_text: ['( x']",
            "unclosed",
        ),
        (
            "- id: bad\n  code: drift\n  patterns: ['close|closing step|down']\n  example: x",
            "write a multi-word choice as",
        ),
    ],
)
def test_malformed_rule_fails_on_load_naming_the_rule(tmp_path, snippet, problem):
    text = cached_rules().path.read_text(encoding="utf-8")
    indented = "\n".join("  " + line for line in snippet.splitlines())
    broken = tmp_path / "rules.yml"
    broken.write_text(text.rstrip("\n") + "\n" + indented + "\n", encoding="utf-8")
    with pytest.raises(RulesError) as error:
        load_rules(broken)
    assert problem in str(error.value)
