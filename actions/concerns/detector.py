"""Free-text concern detector: what a worker writes in a debrief -> ``RaisedConcern``s.

    from actions.concerns.detector import detect
    detect("I didn't get to see Kyle alone.")
    # [RaisedConcern(code="unseen_child", source="free_text", rule_id="unseen.not_alone",
    #                evidence="didn't get to see Kyle alone", ...)]

The rules are data (``rules.yml``); ``pipeline.py`` compiles them into a small pipeline
(spaCy's English tokenizer, a token automaton for the patterns, a ConText-style context
step) and caches the compiled form under ``var/cache/`` so later processes load it in a
fraction of a second without importing spaCy. The pipeline is built once, on first use,
not at import, so importing this module is cheap (the action server imports it before it
needs it). Each code is reported once per text, with the evidence of its first trigger;
``evidence_start`` / ``evidence_end`` are character offsets into the given text, so
``text[evidence_start:evidence_end] == evidence``.

Environment (read here, when the pipeline is first built):

* ``SUPERVISION_CONCERN_RULES``: another rules file than ``actions/concerns/rules.yml``
  (e.g. a fixed copy, to compare two runs while the rules are being edited).
* ``SUPERVISION_CONCERN_CACHE``: the directory for the compiled-pipeline cache (default
  ``var/cache``), or ``off`` to compile on every start.

This module does not import rasa or rasa_sdk.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from actions.concerns.structured import RaisedConcern

if TYPE_CHECKING:  # pragma: no cover
    from actions.concerns.pipeline import ConcernDoc, ConcernPipeline

SOURCE = "free_text"
BATCH_SIZE = 256
RULES_ENV = "SUPERVISION_CONCERN_RULES"
CACHE_ENV = "SUPERVISION_CONCERN_CACHE"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[2] / "var" / "cache"

_lock = threading.Lock()
_nlp: ConcernPipeline | None = None


def cache_dir() -> Path | None:
    """Where the compiled pipeline is cached (None: caching is off)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() in ("off", "none", "0", "false", "no"):
        return None
    return Path(value) if value else DEFAULT_CACHE_DIR


def get_pipeline() -> ConcernPipeline:
    """The concern pipeline, built on first use (thread-safe) and then shared."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                from actions.concerns.pipeline import build_pipeline

                _nlp = build_pipeline(os.environ.get(RULES_ENV, ""), cache_dir())
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


def concerns_from_doc(doc: ConcernDoc) -> list[RaisedConcern]:
    """The concerns a processed doc raises: each code once, at its first kept hit."""
    raised: dict[str, RaisedConcern] = {}
    for hit in doc.concern_hits:
        if not hit.kept or hit.rule.code in raised:
            continue
        start, end = doc.char_span(hit.start, hit.end)
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
    """``detect`` for many texts at once, one list per text, in order."""
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
            "text": doc.span_text(hit.start, hit.end),
            "kept": hit.kept,
            "blocked_by": hit.blocked_by,
            "negated": hit.negated,
            "past": hit.past,
            "hypothetical": hit.hypothetical,
            "hedged": hit.hedged,
            "experiencer": hit.experiencer,
        }
        for hit in doc.concern_hits
    ]
