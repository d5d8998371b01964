"""Free-text concern detector: what a worker writes in a debrief -> ``RaisedConcern``s.

    from actions.concerns.detector import detect
    detect("I didn't get to see Kyle alone.")
    # [RaisedConcern(code="unseen_child", source="free_text", rule_id="unseen.not_alone",
    #                evidence="didn't get to see Kyle alone", ...)]

The rules are data (``rules.yml``); ``pipeline.py`` turns them into a small spaCy pipeline
(tokenizer, a Matcher, a ConText-style context step). The pipeline is built once, on first
use, not at import, so importing this module is cheap (the action server imports it
before it needs it). Each code is reported once per text, with the evidence of its first
trigger; ``evidence_start`` / ``evidence_end`` are character offsets into the given text,
so ``text[evidence_start:evidence_end] == evidence``.

This module does not import rasa or rasa_sdk.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from actions.concerns.structured import RaisedConcern

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

SOURCE = "free_text"
BATCH_SIZE = 256

_lock = threading.Lock()
_nlp: Language | None = None


def get_pipeline() -> Language:
    """The concern pipeline, built on first use (thread-safe) and then shared."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                from actions.concerns.pipeline import build_pipeline

                _nlp = build_pipeline()
    return _nlp


def reset_pipeline() -> None:
    """Forget the built pipeline (tests that edit rules.yml use this)."""
    global _nlp
    with _lock:
        _nlp = None


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TypeError(f"detect() needs a str, got {type(text).__name__}")
    return text


def concerns_from_doc(doc: Doc) -> list[RaisedConcern]:
    """The concerns a processed doc raises: each code once, at its first kept hit."""
    raised: dict[str, RaisedConcern] = {}
    for hit in doc._.concern_hits or ():
        if not hit.kept or hit.rule.code in raised:
            continue
        span = doc[hit.start : hit.end]
        start, end = span.start_char, span.end_char
        raised[hit.rule.code] = RaisedConcern(
            code=hit.rule.code,
            source=SOURCE,
            rule_id=hit.rule.id,
            evidence=doc.text[start:end],
            urgent=hit.rule.urgent,
            evidence_start=start,
            evidence_end=end,
        )
    return list(raised.values())


def detect(text: str) -> list[RaisedConcern]:
    """Concerns raised by one free-text account, in the order they first appear."""
    text = _as_text(text)
    if not text.strip():
        return []
    return concerns_from_doc(get_pipeline()(text))


def detect_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> list[list[RaisedConcern]]:
    """``detect`` for many texts at once (nlp.pipe), one list per text, in order."""
    texts = [_as_text(t) for t in texts]
    if not texts:
        return []
    nlp = get_pipeline()
    return [concerns_from_doc(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]


def explain(text: str) -> list[dict]:
    """Every candidate hit with why it was kept or blocked (for tests and rule authors)."""
    doc = get_pipeline()(_as_text(text))
    return [
        {
            "rule": hit.rule.id,
            "code": hit.rule.code,
            "text": doc[hit.start : hit.end].text,
            "kept": hit.kept,
            "blocked_by": hit.blocked_by,
            "negated": hit.negated,
            "past": hit.past,
            "hypothetical": hit.hypothetical,
            "hedged": hit.hedged,
            "experiencer": hit.experiencer,
        }
        for hit in doc._.concern_hits or ()
    ]
