"""Free-text concern detector: what a worker writes in a debrief -> ``RaisedConcern``s.

    from actions.concerns.detector import detect
    detect("I didn't get to see Kyle alone.")
    # [RaisedConcern(code="unseen_child", source="free_text", rule_id="unseen.not_alone",
    #                evidence="didn't get to see Kyle alone", ...)]

Two readers: the rules, which are data (``rules.yml``), and a learned classifier
(``classifier.py``, settings in ``classifier.yml``) that adds a code the rules missed
when it is confident and drops a rule's code it finds very unlikely (an unseen child only
when it is nearly sure, the worker's fear never). An added code's evidence is the
sentence the classifier finds most suggestive, with ``rule_id`` ``classifier.<code>``.
``detect_rules`` / ``detect_rules_many`` are the rules alone (their tests use them).
``pipeline.py`` compiles the rules into a small pipeline (spaCy's English tokenizer, a
token automaton for the patterns, a ConText-style context step) and caches the compiled
form under ``var/cache/`` so later processes load it in a fraction of a second without
importing spaCy. The pipeline is built once, on first use, not at import, so importing
this module is cheap (the action server imports it before it needs it). Each code is
reported once per text, with the evidence of its first trigger; ``evidence_start`` /
``evidence_end`` are character offsets into the given text, so
``text[evidence_start:evidence_end] == evidence``.

Environment (read here, when the pipeline is first built):

* ``SUPERVISION_CONCERN_RULES``: another rules file than ``actions/concerns/rules.yml``
  (e.g. a fixed copy, to compare two runs while the rules are being edited).
* ``SUPERVISION_CONCERN_CACHE``: the directory for the compiled-pipeline cache (default
  ``var/cache``), or ``off`` to compile on every start.
* ``SUPERVISION_CONCERN_CLASSIFIER``: ``off`` to read with the rules alone.

This module does not import rasa or rasa_sdk.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actions.concerns.structured import RaisedConcern

if TYPE_CHECKING:  # pragma: no cover
    from actions.concerns.classifier import ClassifierConfig, ConcernClassifier
    from actions.concerns.pipeline import ConcernDoc, ConcernPipeline

SOURCE = "free_text"
BATCH_SIZE = 256
RULES_ENV = "SUPERVISION_CONCERN_RULES"
CACHE_ENV = "SUPERVISION_CONCERN_CACHE"
CLASSIFIER_ENV = "SUPERVISION_CONCERN_CLASSIFIER"
OFF_WORDS = ("off", "none", "0", "false", "no")
DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[2] / "var" / "cache"


@dataclass(frozen=True)
class RulesReading:
    """What the rules made of one text: what they raised, and what they read and declined."""

    concerns: list[RaisedConcern]
    declined: frozenset[str]


_lock = threading.Lock()
_nlp: ConcernPipeline | None = None
_reader: tuple[ConcernClassifier, ClassifierConfig] | None = None


def cache_dir() -> Path | None:
    """Where the compiled pipeline is cached (None: caching is off)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() in OFF_WORDS:
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


def classifier_enabled() -> bool:
    return os.environ.get(CLASSIFIER_ENV, "").strip().lower() not in OFF_WORDS


def get_classifier() -> tuple[ConcernClassifier, ClassifierConfig]:
    """The classifier and its decision settings, loaded on first use and then shared."""
    global _reader
    if _reader is None:
        with _lock:
            if _reader is None:
                from actions.concerns.classifier import ConcernClassifier, load_config

                _reader = (ConcernClassifier(), load_config())
    return _reader


def reset_pipeline() -> None:
    """Forget the built pipeline and classifier (tests that edit rules.yml use this)."""
    global _nlp, _reader
    with _lock:
        _nlp = None
        _reader = None


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


def declined_codes(doc: ConcernDoc) -> frozenset[str]:
    """Codes the rules found words for but read as not applying, and raised no other way.

    ("He has not missed an appointment": a negated missed appointment.) The classifier
    does not add these: the rules' reading of negation, time and who is the better one.
    A reads_only rule declines its code only where its hit stood on its own reading
    ("I saw her alone", not "I didn't see her alone").
    """
    kept = {hit.rule.code for hit in doc.concern_hits if hit.kept}
    return frozenset(hit.rule.code for hit in doc.concern_hits if hit.declines) - kept


def reading_of(doc: ConcernDoc) -> RulesReading:
    return RulesReading(concerns_from_doc(doc), declined_codes(doc))


def with_classifier(texts: list[str], readings: list[RulesReading]) -> list[list[RaisedConcern]]:
    """The rules' concerns for each text corrected by the classifier (see the docstring)."""
    classifier, config = get_classifier()
    rows = classifier.probability_matrix(texts)
    column = {code: i for i, code in enumerate(classifier.codes)}
    lowest_add_at = min([config.add_at, *config.add_at_by_code.values()])
    results = []
    for text, reading, row in zip(texts, readings, rows, strict=True):
        # Only the codes that could be added or dropped: most rows have none to add.
        probability = {classifier.codes[i]: row[i] for i in (row >= lowest_add_at).nonzero()[0]}
        for concern in reading.concerns:
            if concern.code in column:
                probability[concern.code] = row[column[concern.code]]
        results.append(corrected(text, reading, probability, classifier, config))
    return results


def corrected(
    text: str,
    reading: RulesReading,
    probability: dict[str, float],
    classifier: ConcernClassifier,
    config: ClassifierConfig,
) -> list[RaisedConcern]:
    """Drop the rules' codes the classifier vetoes; add codes with p >= their add_at."""
    kept = [
        concern
        for concern in reading.concerns
        if not config.vetoes(concern.code, probability.get(concern.code, 1.0))
    ]
    declined = {
        code
        for code in reading.declined
        if not config.overrides_declined(code, probability.get(code, 0.0))
    }
    not_addable = {concern.code for concern in reading.concerns} | declined
    rules_silent = not reading.concerns
    for code in sorted(probability, key=probability.get, reverse=True):
        if (
            probability[code] >= config.add_threshold(code, rules_silent)
            and code not in not_addable
            and config.may_add(code, text)
        ):
            start, end, _ = classifier.best_sentence(text, code)
            kept.append(
                RaisedConcern(
                    code=code,
                    source=SOURCE,
                    rule_id=f"classifier.{code}",
                    evidence=text[start:end],
                    urgent=code in config.urgent_codes,
                    evidence_start=start,
                    evidence_end=end,
                )
            )
    return kept


def read_with_rules(texts: list[str], batch_size: int = BATCH_SIZE) -> list[RulesReading]:
    if not texts:
        return []
    return [reading_of(doc) for doc in get_pipeline().pipe(texts, batch_size=batch_size)]


def detect_rules(text: str) -> list[RaisedConcern]:
    """Concerns the rules alone raise for one text, in the order they first appear."""
    return detect_rules_many([text])[0]


def detect_rules_many(
    texts: Iterable[str], batch_size: int = BATCH_SIZE
) -> list[list[RaisedConcern]]:
    """``detect_rules`` for many texts at once, one list per text, in order."""
    return [r.concerns for r in read_with_rules([_as_text(t) for t in texts], batch_size)]


def detect(text: str) -> list[RaisedConcern]:
    """Concerns raised by one free-text account: the rules, then the classifier."""
    return detect_many([text])[0]


def detect_many(
    texts: Iterable[str],
    batch_size: int = BATCH_SIZE,
    learned: Sequence[bool] | None = None,
) -> list[list[RaisedConcern]]:
    """``detect`` for many texts at once, one list per text, in order.

    ``learned``: per text, whether the classifier reads it too (default: all do). It never
    reads a text under ``min_words`` words: too little to go on, the rules read it alone.
    """
    texts = [_as_text(t) for t in texts]
    readings = read_with_rules(texts, batch_size)
    results = [reading.concerns for reading in readings]
    if not classifier_enabled():
        return results
    from actions.concerns.classifier import word_count  # numpy: loaded on first use only

    min_words = max(get_classifier()[1].min_words, 1)
    flags = [True] * len(texts) if learned is None else list(learned)
    chosen = [i for i, flag in enumerate(flags) if flag and word_count(texts[i]) >= min_words]
    if not chosen:
        return results
    corrected_ones = with_classifier([texts[i] for i in chosen], [readings[i] for i in chosen])
    for i, found in zip(chosen, corrected_ones, strict=True):
        results[i] = found
    return results


def classifier_reads_answers_to() -> frozenset[str]:
    """The debrief questions whose answers the classifier reads (``classifier.yml``)."""
    return get_classifier()[1].reads_answers_to


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
