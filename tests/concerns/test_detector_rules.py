"""Every rule in rules.yml, read by the rules alone: its example raises its code; its
counter-examples do not."""

from __future__ import annotations

import pytest

from actions.bank.schema import TAXONOMY_CODES
from actions.concerns.detector import explain, read_with_rules
from actions.concerns.rules_schema import RulesError, cached_rules, load_rules
from tests.concerns.detector_helpers import rule_codes

RULES = cached_rules().rules


RAISING = [r for r in RULES if not r.reads_only]
READS_ONLY = [r for r in RULES if r.reads_only]


@pytest.mark.parametrize("rule", RAISING, ids=[r.id for r in RAISING])
def test_rule_example_raises_its_code(rule):
    kept = [e for e in explain(rule.example) if e["kept"] and e["code"] == rule.code]
    assert kept, f"{rule.id}: example {rule.example!r} does not raise {rule.code}"
    assert rule.code in rule_codes(rule.example)


@pytest.mark.parametrize("rule", READS_ONLY, ids=[r.id for r in READS_ONLY])
def test_reads_only_rule_example_is_read_and_declined_not_raised(rule):
    read = [e for e in explain(rule.example) if e["rule"] == rule.id]
    assert [e["blocked_by"] for e in read] == ["reads_only"], read
    assert rule.code not in rule_codes(rule.example)
    assert rule.code in read_with_rules([rule.example])[0].declined


COUNTER = [(r, c) for r in RULES for c in r.counter_examples]


@pytest.mark.parametrize(
    "rule,sentence", COUNTER, ids=[f"{r.id}:{i}" for i, (r, _) in enumerate(COUNTER)]
)
def test_rule_counter_example_does_not_raise_through_the_rule(rule, sentence):
    # a reads_only rule "fires" when its hit stands on its own reading
    fired = [
        e
        for e in explain(sentence)
        if e["rule"] == rule.id and (e["kept"] or e["blocked_by"] == "reads_only")
    ]
    assert not fired, f"{rule.id} fired on counter-example {sentence!r}: {fired}"


def test_a_sighting_that_did_not_happen_does_not_decline_the_code():
    # the reads_only hit is read as hypothetical, so it says nothing against an unseen
    # child: the classifier may still add one at its usual threshold
    text = "If I'd seen Jack on his own it would have helped."
    read = [e for e in explain(text) if e["rule"] == "unseen.seen_alone_read"]
    assert [e["blocked_by"] for e in read] == ["hypothetical"]
    assert "unseen_child" not in read_with_rules([text])[0].declined


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
            "- id: bad\n  code: drift\n  patterns: [x]\n  example: x\n  reads_only: 1",
            "'reads_only' must be true or false",
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
