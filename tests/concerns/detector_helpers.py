"""The codes a text raises, as the detector tests read them: with the classifier (the
product's reading) or by the rules alone."""

from __future__ import annotations

from actions.concerns.detector import detect, detect_rules


def codes(text: str) -> set[str]:
    """The codes the product raises for ``text`` (rules, then the classifier)."""
    return {c.code for c in detect(text)}


def rule_codes(text: str) -> set[str]:
    """The codes the rules alone raise for ``text``."""
    return {c.code for c in detect_rules(text)}
