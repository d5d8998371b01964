"""A learned second reader beside the concern rules: per-code probabilities for a text.

The rules (``rules.yml``) are precise on the phrasings they were written from and miss
other authors' ones; a linear classifier trained on the labelled accounts reads wording
more loosely. ``detector.py`` combines the two (``with_classifier``): a code the
classifier is confident about is added when the rules missed it, and a rule's code the
classifier finds very unlikely is dropped, with the exceptions set in ``classifier.yml``.

The model is a one-vs-rest logistic regression over TF-IDF features of the lowercased
words, the words marked as negated when a negation comes earlier in their clause, and
adjacent word pairs (``word_terms``). Character n-grams were measured too and left out:
they made no difference to the grouped cross-validation and cost most of the time
(``benchmarks/concern_hybrid.py``, tests/concerns/README.md). ``classifier_train.py``
fits the model with scikit-learn and writes ``classifier_model.npz``; this module only
reads that file (numpy and scipy.sparse, no scikit-learn), so loading is fast and the
product does not depend on the trainer's version.

This module does not import rasa or rasa_sdk.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix

HERE = Path(__file__).resolve().parent
CONFIG_FILE = HERE / "classifier.yml"
MODEL_FILE = HERE / "classifier_model.npz"
WORD_RE = re.compile(r"\w+")
SPOKEN_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Part of what a model file records it was fitted with: change it with the features.
FEATURES_VERSION = 4
# Words, and the marks that end a clause (where a negation's reach ends).
TERM_RE = re.compile(r"\w+|[.,;:!?\n]")
CLAUSE_END = frozenset(".,;:!?\n")
# "didn't" is read as "didn", "t" by TERM_RE: the "t" is the negation.
NEGATION_WORDS = frozenset(
    ["not", "no", "never", "nae", "nothing", "nobody", "none", "without", "t", "neither"]
    + ["nor", "didnt", "dont", "wasnt", "wasnae", "didnae", "cannae", "couldnt", "isnt"]
    + ["wont", "havent", "hasnt", "werent", "cant"]
)
CONTRAST_WORDS = frozenset(["but", "although", "though", "however", "yet"])


# What lets a text set two things side by side: a second clause or sentence, or a word of
# contrast or time ("but", "still", "until"). See ``has_two_parts``.
CLAUSE_BREAK = re.compile(r"[,;:]\s*\w|[.!?]\s+\w|\s[-\u2013\u2014]+\s+\w|\n\s*\w")
TWO_PART_WORDS = CONTRAST_WORDS | frozenset(
    ["whereas", "while", "whilst", "still", "again", "then", "until", "till", "since"]
    + ["after", "before", "instead", "otherwise"]
)


class ClassifierError(RuntimeError):
    """The classifier's configuration or model file is missing or not usable."""


# ---------------------------------------------------------------- features (shared with training)


def word_terms(text: str) -> list[str]:
    """Lowercased words, the same marked when a negation comes before them in the
    clause, and word pairs.

    "he has not missed one" -> ..., "not", "neg_missed", "neg_one", ..., "not missed".
    The mark lets one weight say "missed" and another "not missed"; it runs to the end
    of the clause (a comma or full stop) and stops at a contrast word, so "never been
    spoken to on her own" marks "own" too. Three words' reach left "own" unmarked, and
    "on her own" reads as a child seen alone: on blind78 to blind85 (never trained on)
    the clause's reach gave 0.928 micro-F1 and 18 false alarms in 685 against 0.923 and
    23, finding one unseen child fewer (463 of 472).
    """
    tokens = TERM_RE.findall(text.lower())
    words = [token for token in tokens if token not in CLAUSE_END]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    if NEGATION_WORDS.isdisjoint(words):
        return words + pairs
    terms, negated = [], False
    for token in tokens:
        if token in CLAUSE_END:
            negated = False
            continue
        if token in CONTRAST_WORDS:
            negated = False
        terms.append(f"neg_{token}" if negated else token)
        negated = negated or token in NEGATION_WORDS
    return terms + pairs


def has_two_parts(text: str) -> bool:
    """Whether ``text`` can set one thing against another: more than one clause or
    sentence, or a word of contrast or time. "Mum swore blind the rent had been paid" has
    one part: a firm claim alone, which shows no mismatch to be disguised compliance."""
    if CLAUSE_BREAK.search(text.strip()):
        return True
    return any(word in TWO_PART_WORDS for word in WORD_RE.findall(text.lower()))


def word_count(text: str) -> int:
    """Words as a person counts them: "didn't" is one word here (two terms for the model)."""
    return len(SPOKEN_WORD_RE.findall(text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a text (ends of lines count as ends)."""
    spans, pos = [], 0
    for match in SENTENCE_END.finditer(text):
        if text[pos : match.start()].strip():
            spans.append((pos, match.start()))
        pos = match.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    if not spans:
        return [(0, len(text))]
    return [_trimmed(text, start, end) for start, end in spans]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class ClassifierConfig:
    training_files: tuple[str, ...]
    regularisation_c: float
    min_document_frequency: int
    max_features: int
    add_at: float
    veto_at: float
    never_veto: frozenset[str]
    urgent_codes: frozenset[str]
    add_at_by_code: dict[str, float] = dataclasses.field(default_factory=dict)
    veto_at_by_code: dict[str, float] = dataclasses.field(default_factory=dict)
    min_words: int = 0
    reads_answers_to: frozenset[str] = frozenset()
    add_over_declined_at: dict[str, float] = dataclasses.field(default_factory=dict)
    needs_two_parts: frozenset[str] = frozenset()
    needs_words: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    add_at_when_rules_silent: float | None = None

    def add_threshold(self, code: str, rules_silent: bool = False) -> float:
        """The p at which ``code`` is added. A code with its own threshold keeps it; any
        other needs ``add_at_when_rules_silent`` (when set) on a text the rules raised
        nothing for, where an added code is the only thing said about the text."""
        if code in self.add_at_by_code:
            return self.add_at_by_code[code]
        if rules_silent and self.add_at_when_rules_silent is not None:
            return max(self.add_at, self.add_at_when_rules_silent)
        return self.add_at

    def may_add(self, code: str, text: str) -> bool:
        """Whether the classifier may add ``code`` to ``text`` at all: a code that is a
        mismatch between two things needs a text with two parts (``has_two_parts``), and
        a code about someone needs a word for them (``needs_words``)."""
        if code in self.needs_two_parts and not has_two_parts(text):
            return False
        words = self.needs_words.get(code)
        return words is None or not words.isdisjoint(WORD_RE.findall(text.lower()))

    def overrides_declined(self, code: str, probability: float) -> bool:
        """Whether the classifier adds a code the rules read and declined (negated, past,
        someone else's), at this probability: only for the codes configured, when sure."""
        return probability >= self.add_over_declined_at.get(code, float("inf"))

    def vetoes(self, code: str, probability: float) -> bool:
        """Whether the classifier drops a code the rules raised, at this probability."""
        if code in self.never_veto:
            return False
        return probability <= self.veto_at_by_code.get(code, self.veto_at)

    def training_paths(self, root: Path) -> list[Path]:
        return [root / name for name in self.training_files]


def _per_code(section: dict, key: str) -> dict[str, float]:
    return {str(code): float(value) for code, value in (section.get(key) or {}).items()}


def _optional_float(section: dict, key: str) -> float | None:
    value = section.get(key)
    return None if value is None else float(value)


def load_config(path: Path = CONFIG_FILE) -> ClassifierConfig:
    """``classifier.yml``, checked: a clear ``ClassifierError`` names what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ClassifierError(f"{path.name}: cannot read it: {error}") from error
    if not isinstance(raw, dict):
        raise ClassifierError(f"{path.name}: expected a mapping at the top")
    try:
        model, decision = raw["model"], raw["decision"]
        config = ClassifierConfig(
            training_files=tuple(raw["training_files"]),
            regularisation_c=float(model["regularisation_c"]),
            min_document_frequency=int(model["min_document_frequency"]),
            max_features=int(model["max_features"]),
            add_at=float(decision["add_at"]),
            veto_at=float(decision["veto_at"]),
            never_veto=frozenset(decision.get("never_veto") or ()),
            urgent_codes=frozenset(decision.get("urgent") or ()),
            min_words=int(decision.get("min_words") or 0),
            reads_answers_to=frozenset(raw.get("reads_answers_to") or ()),
            add_at_by_code=_per_code(decision, "add_at_by_code"),
            veto_at_by_code=_per_code(decision, "veto_at_by_code"),
            add_over_declined_at=_per_code(decision, "add_over_declined_at"),
            needs_two_parts=frozenset(decision.get("needs_two_parts") or ()),
            needs_words={
                str(code): frozenset(str(word).lower() for word in words)
                for code, words in (decision.get("needs_words") or {}).items()
            },
            add_at_when_rules_silent=_optional_float(decision, "add_at_when_rules_silent"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ClassifierError(f"{path.name}: missing or invalid setting: {error}") from error
    for veto_at in (config.veto_at, *config.veto_at_by_code.values()):
        for add_at in (config.add_at, *config.add_at_by_code.values()):
            if not 0.0 <= veto_at < add_at <= 1.0:
                raise ClassifierError(f"{path.name}: need 0 <= veto_at < add_at <= 1")
    silent = config.add_at_when_rules_silent
    if silent is not None and not config.add_at <= silent <= 1.0:
        raise ClassifierError(f"{path.name}: add_at_when_rules_silent is under add_at")
    for code, value in config.add_over_declined_at.items():
        if not config.add_threshold(code) <= value <= 1.0:
            raise ClassifierError(f"{path.name}: add_over_declined_at {code} is under its add_at")
    if not config.training_files:
        raise ClassifierError(f"{path.name}: training_files is empty")
    return config


# ---------------------------------------------------------------- the model


class ConcernClassifier:
    """Per-code probabilities from ``classifier_model.npz``."""

    def __init__(self, model_path: Path = MODEL_FILE):
        try:
            with np.load(model_path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, zipfile.BadZipFile) as error:
            raise ClassifierError(f"{model_path.name}: cannot load it: {error}") from error
        try:
            self.codes = [str(code) for code in arrays["codes"]]
            self.trained_on = str(arrays["trained_on"])
            vocabulary = arrays["vocabulary"].tolist()
            self._index = {term: i for i, term in enumerate(vocabulary)}
            self._idf = arrays["idf"].astype(np.float64)
            coef = arrays["coef"].astype(np.float64)
            # Rows are columns here, so a text's few columns are gathered as whole rows.
            self._coef_by_column = np.ascontiguousarray(coef.T)
            self._intercept = arrays["intercept"].astype(np.float64)
        except KeyError as error:
            raise ClassifierError(f"{model_path.name}: missing array {error}") from error
        if coef.shape != (len(self.codes), len(vocabulary)) or len(self._idf) != len(vocabulary):
            raise ClassifierError(f"{model_path.name}: array shapes do not match")

    def probability_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """P(code | text), one row per text, columns in ``self.codes`` order.

        scikit-learn's TfidfVectorizer (sublinear tf, idf, l2 norm) and the linear model,
        for the whole batch at once in scipy.sparse.
        """
        index = self._index
        rows: list[int] = []
        columns: list[int] = []
        for row, text in enumerate(texts):
            found = [index[term] for term in word_terms(text) if term in index]
            columns += found
            rows += [row] * len(found)
        shape = (len(texts), len(self._idf))
        # Built from (row, column) pairs, the matrix sums repeats: the term counts.
        counts = csr_matrix((np.ones(len(columns)), (rows, columns)), shape=shape)
        values = (1.0 + np.log(counts.data)) * self._idf[counts.indices]
        row_of_value = np.repeat(np.arange(len(texts)), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(row_of_value, weights=values * values, minlength=len(texts)))
        counts.data = values / norms[row_of_value]
        scores = counts @ self._coef_by_column + self._intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def probabilities(self, text: str) -> dict[str, float]:
        """P(code | text) for every code the model knows."""
        row = self.probability_matrix([text])[0]
        return dict(zip(self.codes, row.tolist(), strict=True))

    def best_sentence(self, text: str, code: str) -> tuple[int, int, float]:
        """(start, end, probability) of the sentence that most suggests ``code``."""
        spans = sentence_spans(text)
        column = self.codes.index(code)
        probability = self.probability_matrix([text[a:b] for a, b in spans])[:, column]
        best = int(np.argmax(probability))
        return spans[best][0], spans[best][1], float(probability[best])
