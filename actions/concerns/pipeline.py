"""spaCy components for free-text concern detection, built from ``rules.yml``.

Two registered factories, run after the tokenizer (nothing else: no tagger, parser or
lemmatizer runs per token, which keeps the pipeline fast):

* ``concern_matcher``: a Matcher built from every rule's patterns (and ``unless`` /
  ``requires`` patterns); it records candidate hits in ``doc._.concern_hits``. A lemma
  token (``~see``) is compiled, once, into the lower-case forms the English lookup table
  maps to that lemma (see, saw, seen, sees, seeing), so lemmas need no lemmatizer at run
  time and match at the start of a sentence too ("Saw" has the lower form "saw").
* ``concern_context``: in the spirit of medspaCy's ConText, with its triggers as data in
  ``rules.yml``: decides for each hit whether it is negated, hedged, about a resolved
  past, hypothetical, and whose experience it is (the worker's or the family's), within
  its clause; a hit that a rule says these cancel is kept in the list but marked
  ``blocked_by`` so tests and supervisors can see why it did not raise.
"""

from __future__ import annotations

import itertools
import logging
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from actions.concerns.rules_schema import (
    CANCELLERS,
    ConcernRule,
    RulesError,
    RuleSet,
    TokenSpec,
    cached_rules,
)

logger = logging.getLogger(__name__)


def _import_spacy_without_tensorflow() -> ModuleType:
    """Import spaCy without letting thinc import TensorFlow.

    thinc imports TensorFlow when it is installed (Rasa installs it), which costs several
    seconds and gains this pipeline nothing. If TensorFlow is not loaded yet, it is hidden
    for the duration of the import only; a later ``import tensorflow`` elsewhere in the
    process works as usual (thinc then simply does not offer its TensorFlow wrappers).
    """
    if "spacy" in sys.modules or "tensorflow" in sys.modules:
        import spacy

        return spacy
    sys.modules["tensorflow"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import spacy
    finally:
        del sys.modules["tensorflow"]
    return spacy


spacy = _import_spacy_without_tensorflow()
from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402  (after the guarded import)

Language = spacy.language.Language
Doc = spacy.tokens.Doc
Matcher = spacy.matcher.Matcher
LOWER = spacy.attrs.LOWER
# Words too common to pick a Matcher by: English stop words, clitics, and the words of
# almost every debrief (a doc containing "mum" should not wake every "mum ..." pattern).
COMMON_WORDS = frozenset(STOP_WORDS) | {
    "'s", "n't", "'m", "'re", "'ve", "'d", "'ll", "nt", "mum", "dad", "visit", "visits",
    "school", "baby", "kids", "children", "child", "time", "said", "says", "told", "home",
    "house", "nursery", "today", "week", "got", "get", "like", "went", "go", "came", "come",
    "saw", "see", "seen", "look", "looked", "know", "think", "felt", "feel", "partner",
    "there", "all", "just", "really", "plan", "again", "still", "work",
}

PRIORITY = {"pseudo": 5, "hedge": 4, "past": 3, "hypothetical": 2, "negation": 1}
SCOPED = ("negation", "past", "hypothetical")
BOUNDARIES = ("terminate", "sentence")
UNLESS_SUFFIX = "|unless"
REQUIRES_SUFFIX = "|requires"
WORKER_OBJECTS = frozenset({"me", "us", "myself"})


@dataclass
class Hit:
    """One place where a rule's pattern matched, with what the context says about it."""

    rule: ConcernRule
    start: int
    end: int
    negated: bool = False
    past: bool = False
    hypothetical: bool = False
    hedged: bool = False
    experiencer: str | None = None
    blocked_by: str | None = None

    @property
    def kept(self) -> bool:
        return self.blocked_by is None


@dataclass(frozen=True)
class Trigger:
    category: str
    direction: str
    window: int
    start: int
    end: int


@dataclass
class DocContext:
    """Triggers and boundaries of one doc, worked out once for all its hits."""

    triggers: list[Trigger] = field(default_factory=list)
    clause_bounds: list[tuple[int, int]] = field(default_factory=list)
    sentence_bounds: list[tuple[int, int]] = field(default_factory=list)


def _register_extensions() -> None:
    for name in ("concern_hits", "concern_unless"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


# --------------------------------------------------------------------------- compiling


@lru_cache(maxsize=1)
def _lemma_index() -> dict[str, tuple[str, ...]]:
    """lemma -> every lower-case form the English lookup table gives that lemma."""
    import spacy_lookups_data
    import srsly

    path = Path(str(spacy_lookups_data.en["lemma_lookup"]))
    gzipped = path.with_name(path.name + ".gz")
    table = srsly.read_json(path) if path.exists() else srsly.read_gzip_json(gzipped)
    index: dict[str, list[str]] = {}
    for form, lemma in table.items():
        if isinstance(form, str) and isinstance(lemma, str) and form == form.lower():
            index.setdefault(lemma.lower(), []).append(form)
    return {lemma: tuple(forms) for lemma, forms in index.items()}


def lemma_forms(lemmas: tuple[str, ...] | list[str]) -> list[str]:
    """The lower-case token texts whose lookup lemma is one of ``lemmas`` (and the lemmas)."""
    index = _lemma_index()
    forms: dict[str, None] = {}
    for lemma in lemmas:
        for form in (lemma, *index.get(lemma, ())):
            for variant in _spelling_variants(form):
                forms[variant] = None
    return list(forms)



def _wildcard(ruleset: RuleSet, optional: bool) -> dict:
    # Wildcards never swallow a negation or a sentence end: "the baby was not asleep" must
    # not match "baby was _*2 asleep", and a pattern must not join two sentences.
    stop = sorted(ruleset.wildcard_stop | set(ruleset.lexicon.get("neg", ())))
    spec: dict = {"LOWER": {"NOT_IN": stop}, "IS_SPACE": False}
    return {**spec, "OP": "?"} if optional else spec


def _spelling_variants(word: str) -> list[str]:
    return [word, word.replace("'", "\u2019")] if "'" in word else [word]


_SPLITS: dict[str, list[str]] = {}


def _split_literal(word: str, nlp: Language) -> list[str]:
    """How the tokenizer splits a literal ("mum's" -> mum 's); clitics stay whole."""
    if word.startswith(("'", "\u2019")):
        return [word]
    if word not in _SPLITS:  # the blank English tokenizer: the same split every time
        _SPLITS[word] = [t.lower_ for t in nlp.tokenizer(word) if not t.is_space]
    return _SPLITS[word]


def _options(spec: TokenSpec, ruleset: RuleSet, nlp: Language) -> list[list[dict]]:
    """The token-dict sequences that one TokenSpec can stand for (worked out once)."""
    key = (spec, id(ruleset))
    if key not in _OPTIONS:
        _OPTIONS[key] = _spec_options(spec, ruleset, nlp)
    return _OPTIONS[key]


_OPTIONS: dict = {}


def _spec_options(spec: TokenSpec, ruleset: RuleSet, nlp: Language) -> list[list[dict]]:
    op = {"OP": "?"} if spec.optional else {}
    if spec is STAR:
        return [[{**_wildcard(ruleset, False), "OP": "*"}]]
    if spec.kind == "wild":
        return [[_wildcard(ruleset, spec.optional)]]
    if spec.kind == "special" and spec.values[0] == "num":
        return [[{"LIKE_NUM": True, **op}]]
    if spec.kind == "special":
        not_names = list(ruleset.lexicon.get("not_names", ()))
        return [[{"IS_TITLE": True, "LOWER": {"NOT_IN": not_names}, **op}]]
    if spec.kind == "lemma":
        return [[{"LOWER": {"IN": lemma_forms(spec.values)}, **op}]]
    single: list[str] = []
    multi: dict[int, list[list[str]]] = {}
    for value in spec.values:
        for variant in _spelling_variants(value):
            parts = _split_literal(variant, nlp)
            if len(parts) == 1:
                single.append(parts[0])
            elif parts:
                multi.setdefault(len(parts), []).append(parts)
    options = [[{"LOWER": {"IN": list(dict.fromkeys(single))}}]] if single else []
    # several-word values of one length share one pattern, position by position
    # ("did n't", "was n't" -> did|was, n't): a few patterns instead of one per value
    for length, values in sorted(multi.items()):
        options.append(
            [{"LOWER": {"IN": list(dict.fromkeys(v[i] for v in values))}} for i in range(length)]
        )
    if spec.optional and not multi:
        return [[{**options[0][0], **op}]]
    return options + ([[]] if spec.optional else [])


STAR = TokenSpec("wild", ("*",), optional=True)


def _collapse_wildcards(sequence: list[TokenSpec]) -> list[TokenSpec]:
    """Runs of optional wildcards (``_*3``) become one ``*`` token.

    Three optional wildcards in a row let the Matcher reach the same match in many ways
    (which of the three it skipped), and that multiplies its work on every token; one
    ``*`` reaches each match once. The bound (three) is enforced on the match length
    instead (see ``max_span``).
    """
    out: list[TokenSpec] = []
    for spec in sequence:
        if spec.kind == "wild" and spec.optional:
            if not (out and out[-1] is STAR):
                out.append(STAR)
        else:
            out.append(spec)
    return out


def compile_pattern(pattern: str, rule_id: str, ruleset: RuleSet, nlp: Language) -> list[list]:
    """Every spaCy Matcher pattern that one rules.yml pattern stands for."""
    compiled = []
    for sequence in ruleset.parse(pattern, rule_id):
        slots = [_options(spec, ruleset, nlp) for spec in _collapse_wildcards(sequence)]
        for combo in itertools.product(*slots):
            tokens = [token for option in combo for token in option]
            if tokens:
                compiled.append(tokens)
    if not compiled:
        raise RulesError(ruleset.path, rule_id, f"pattern {pattern!r} compiles to nothing")
    return compiled


def max_span(pattern: str, rule_id: str, ruleset: RuleSet, nlp: Language) -> int:
    """The most tokens a match of the pattern can cover (wildcards at their bound)."""
    longest = 0
    for sequence in ruleset.parse(pattern, rule_id):
        length = 0
        for spec in sequence:
            if spec.kind in ("wild", "special", "lemma"):
                length += 1
            else:
                length += max(
                    len(_split_literal(variant, nlp))
                    for value in spec.values
                    for variant in _spelling_variants(value)
                )
        longest = max(longest, length)
    return longest


MATCHER_CHUNK = 300


class MatcherBank:
    """Many small Matchers, each run only on docs that contain the words it needs.

    spaCy's Matcher tries every pattern at every token, so thousands of patterns cost
    milliseconds per sentence. Every compiled pattern has required positions (not
    optional, not wildcards), each a set of words; patterns with the same required sets
    share a Matcher, and a doc runs a Matcher only if it has a word from each of its
    sets. The doc's words come from its LOWER array (no per-token Python), and a
    Matcher is looked up through its least common set (its anchor). Small Matchers also
    build much faster: spaCy 3.4's Matcher.add re-indexes its predicates per token.
    """

    def __init__(self, nlp: Language, keyed: list[tuple[str, list[list]]], ruleset: RuleSet):
        strings = nlp.vocab.strings
        groups: dict[tuple, list[tuple[str, list]]] = {}
        for key, patterns in keyed:
            for pattern in patterns:
                groups.setdefault(_requirements(pattern), []).append((key, pattern))
        self.always: list[int] = []  # patterns with no required word run on every doc
        self.by_word: dict[int, list[int]] = {}
        self.needs: list[tuple[frozenset, ...]] = []
        self.matchers: list = []
        for required, members in groups.items():
            hashed = tuple(frozenset(strings.add(w) for w in words) for words in required)
            for i in range(0, len(members), MATCHER_CHUNK):
                matcher = Matcher(nlp.vocab, validate=False)
                by_key: dict[str, list] = {}
                for key, pattern in members[i : i + MATCHER_CHUNK]:
                    by_key.setdefault(key, []).append(pattern)
                for key, patterns in by_key.items():
                    _add(matcher, key, patterns, ruleset)
                index = len(self.matchers)
                self.matchers.append(matcher)
                self.needs.append(hashed[1:])
                if not hashed:
                    self.always.append(index)
                for word in hashed[0] if hashed else ():
                    self.by_word.setdefault(word, []).append(index)

    def __len__(self) -> int:
        return len(self.matchers)

    def __call__(self, doc: Doc):
        if not len(doc):
            return
        words = set(doc.to_array(LOWER).tolist())
        selected = set(self.always)
        by_word = self.by_word
        for word in words:
            found = by_word.get(word)
            if found:
                selected.update(found)
        needs, matchers = self.needs, self.matchers
        for index in selected:
            for need in needs[index]:
                if need.isdisjoint(words):
                    break
            else:
                yield from matchers[index](doc)


def _requirements(pattern: list[dict]) -> tuple[frozenset, ...]:
    """The word sets of the pattern's required positions, least common first."""
    required = set()
    for token in pattern:
        if token.get("OP") in ("?", "*"):
            continue
        value = token.get("LOWER")
        words = [value] if isinstance(value, str) else (value or {}).get("IN")
        if words:
            required.add(frozenset(words))

    def commonness(words: frozenset) -> tuple:
        common = sum(1 for w in words if w in COMMON_WORDS)
        return (common > 0, common, len(words), sorted(words))

    return tuple(sorted(required, key=commonness))


def _build_matchers(nlp: Language, keyed: list[tuple[str, list[list]]], ruleset: RuleSet):
    return MatcherBank(nlp, keyed, ruleset)


def _run(bank: MatcherBank, doc: Doc):
    return bank(doc)


def _add(matcher: Matcher, key: str, patterns: list[list], ruleset: RuleSet) -> None:
    try:
        matcher.add(key, patterns)
    except ValueError as error:  # spaCy explains which pattern is malformed
        raise RulesError(ruleset.path, key, f"spaCy rejected a pattern: {error}") from error


# --------------------------------------------------------------------------- components


class ConcernMatcher:
    """Find every place a concern rule (or a rule's ``unless`` pattern) matches."""

    def __init__(self, nlp: Language, name: str, rules_path: str):
        self.name = name
        self.ruleset = cached_rules(rules_path or None)
        keyed: list[tuple[str, list[list]]] = []
        self.max_span: dict[str, int] = {}
        for rule in self.ruleset.rules:
            for suffix, texts in (("", rule.patterns), (UNLESS_SUFFIX, rule.unless),
                                  (REQUIRES_SUFFIX, rule.requires)):
                if texts:
                    compiled = [
                        p
                        for text in texts
                        for p in compile_pattern(text, rule.id, self.ruleset, nlp)
                    ]
                    keyed.append((rule.id + suffix, compiled))
                    self.max_span[rule.id + suffix] = max(
                        max_span(text, rule.id, self.ruleset, nlp) for text in texts
                    )
        self.matchers = _build_matchers(nlp, keyed, self.ruleset)
        self.by_id = {rule.id: rule for rule in self.ruleset.rules}
        _register_extensions()
        logger.debug("concern matcher: %d rules", len(self.ruleset.rules))

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        spans: dict[str, list[tuple[int, int]]] = {}
        extra: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in _run(self.matchers, doc):
            key = strings[match_id]
            if end - start > self.max_span[key]:
                continue  # a "*" wildcard went further than the rule's _*N allows
            if "|" in key:  # an unless / requires pattern, keyed "rule.id|unless"
                extra.setdefault(key, []).append((start, end))
            else:
                spans.setdefault(key, []).append((start, end))
        hits = [
            Hit(self.by_id[rule_id], start, end)
            for rule_id, found in spans.items()
            for start, end in _innermost(found)
        ]
        doc._.concern_hits = sorted(hits, key=lambda h: (h.start, h.end))
        doc._.concern_unless = extra
        return doc


def _innermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop a rule's matches that contain another of its matches.

    Optional tokens and wildcards let the Matcher report the same phrase with extra words
    at the edges; the innermost version is the evidence, and keeps the negation window
    measured from the phrase itself.
    """
    unique = sorted(set(spans), key=lambda s: (s[1] - s[0], s[0]))
    kept: list[tuple[int, int]] = []
    for start, end in unique:
        if not any(start <= s and e <= end for s, e in kept):
            kept.append((start, end))
    return sorted(kept)


class ConcernContext:
    """Decide, for each candidate hit, whether its context cancels it (ConText style)."""

    def __init__(self, nlp: Language, name: str, rules_path: str):
        self.name = name
        self.ruleset = cached_rules(rules_path or None)
        self.context = {rule.id: rule for rule in self.ruleset.context}
        keyed = [
            (rule.id, [p for t in rule.patterns for p in compile_pattern(t, rule.id, ruleset, nlp)])
            for ruleset in (self.ruleset,)
            for rule in ruleset.context
        ]
        self.matchers = _build_matchers(nlp, keyed, self.ruleset)
        self.not_names = frozenset(self.ruleset.lexicon.get("not_names", ()))
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        hits = doc._.concern_hits
        if not hits:  # most sentences raise nothing: skip the trigger matcher for them
            return doc
        context = self._doc_context(doc)
        extra = doc._.concern_unless or {}
        for hit in hits:
            self._judge(doc, hit, context, extra)
        return doc

    def _doc_context(self, doc: Doc) -> DocContext:
        strings = doc.vocab.strings
        context = DocContext()
        for match_id, start, end in _run(self.matchers, doc):
            rule = self.context[strings[match_id]]
            trigger = Trigger(rule.category, rule.direction, rule.window, start, end)
            if rule.category in BOUNDARIES:
                context.clause_bounds.append((start, end))
                if rule.category == "sentence":
                    context.sentence_bounds.append((start, end))
            else:
                context.triggers.append(trigger)
        context.triggers = _resolve_overlaps(context.triggers)
        return context

    def _judge(self, doc: Doc, hit: Hit, context: DocContext, extra: dict):
        clause = _scope(hit, context.clause_bounds, len(doc))
        for trigger in context.triggers:
            if trigger.category == "hedge":
                hit.hedged |= clause[0] <= trigger.start < clause[1]
            elif _applies(trigger, hit, clause):
                setattr(hit, _FLAG[trigger.category], True)
        hit.experiencer = self._experiencer(doc, hit, clause)
        hit.blocked_by = self._blocked_by(hit, clause, context, extra, len(doc))

    def _blocked_by(self, hit, clause, context, extra, length) -> str | None:
        rule = hit.rule
        for category in CANCELLERS:
            if category in rule.cancelled_by and getattr(hit, _FLAG[category]):
                return category
        if _wrong_person(rule.who, hit.experiencer):
            return "who"
        scopes = {
            "clause": clause,
            "sentence": _scope(hit, context.sentence_bounds, length),
            "text": (0, length),
        }
        unless = extra.get(rule.id + UNLESS_SUFFIX, ())
        scope = scopes[rule.unless_scope]
        if any(scope[0] <= s and e <= scope[1] for s, e in unless):
            return "unless"
        if rule.requires:
            scope = scopes[rule.requires_scope]
            found = extra.get(rule.id + REQUIRES_SUFFIX, ())
            if not any(scope[0] <= s and e <= scope[1] for s, e in found):
                return "requires"
        return None

    def _experiencer(self, doc: Doc, hit: Hit, clause: tuple[int, int]) -> str | None:
        """Whose experience the hit describes: the nearest person mentioned before it.

        A hit that itself names the worker ("frightened me") is the worker's. A worker
        mention followed only by auxiliaries ("I was shouted at") is the object of a
        passive, not the one acting, so it is skipped.
        """
        worker = self.ruleset.mentions["worker"]
        if hit.rule.who == "worker" and (
            any(t.lower_ in worker for t in doc[hit.start : hit.end])
            or (hit.end < len(doc) and doc[hit.end].lower_ in WORKER_OBJECTS)
        ):
            return "worker"  # "frightened me", "it scared me"
        for i in range(hit.start - 1, clause[0] - 1, -1):
            kind = self._mention(doc, i)
            if kind == "worker" and self._passive_between(doc, i, hit.start):
                continue
            if kind:
                return kind
        return None

    def _mention(self, doc: Doc, i: int) -> str | None:
        lower = doc[i].lower_
        for kind, words in self.ruleset.mentions.items():
            if lower in words:
                return kind
        token = doc[i]
        if (
            token.is_title
            and lower not in self.not_names
            and i + 1 < len(doc)
            and doc[i + 1].lower_ in self.ruleset.name_followed_by
        ):
            return "family"  # a name followed by "was", "seemed", ...: a family member
        return None

    def _passive_between(self, doc: Doc, mention: int, start: int) -> bool:
        between = [t.lower_ for t in doc[mention + 1 : start]]
        return bool(between) and all(w in self.ruleset.passive_aux for w in between)


_FLAG = {"negation": "negated", "past": "past", "hypothetical": "hypothetical"}


def _resolve_overlaps(triggers: list[Trigger]) -> list[Trigger]:
    """A trigger inside a stronger one is not a trigger ("not" in "not sure", "if" in
    "if I'm honest", "no" in "no longer")."""
    kept = []
    for trigger in triggers:
        rank = PRIORITY[trigger.category]
        if not any(
            PRIORITY[other.category] > rank
            and other.start < trigger.end
            and trigger.start < other.end
            for other in triggers
        ):
            kept.append(trigger)
    return kept


def _scope(hit: Hit, bounds: list[tuple[int, int]], length: int) -> tuple[int, int]:
    """The stretch between the nearest boundaries either side of the hit."""
    start = max((e for s, e in bounds if e <= hit.start), default=0)
    end = min((s for s, e in bounds if s >= hit.end), default=length)
    return start, end


def _applies(trigger: Trigger, hit: Hit, clause: tuple[int, int]) -> bool:
    if trigger.category not in SCOPED or (trigger.start < hit.end and hit.start < trigger.end):
        return False  # words inside the hit belong to the rule's own pattern
    before = clause[0] <= trigger.start and trigger.end <= hit.start
    after = hit.end <= trigger.start and trigger.end <= clause[1]
    if trigger.direction in ("forward", "both") and before:
        return hit.start - trigger.end <= trigger.window
    if trigger.direction in ("backward", "both") and after:
        return trigger.start - hit.end <= trigger.window
    return False


def _wrong_person(who: str, experiencer: str | None) -> bool:
    if who == "worker":
        return experiencer in ("family", "child", "other")
    if who == "family":
        return experiencer == "worker"
    if who == "adult":
        return experiencer in ("worker", "child")
    return False


# --------------------------------------------------------------------------- factories


@Language.factory("concern_matcher", default_config={"rules_path": ""})
def make_concern_matcher(nlp, name, rules_path):  # untyped: spaCy validates the signature
    return ConcernMatcher(nlp, name, rules_path)


@Language.factory("concern_context", default_config={"rules_path": ""})
def make_concern_context(nlp, name, rules_path):  # untyped: spaCy validates the signature
    return ConcernContext(nlp, name, rules_path)


def build_pipeline(rules_path: str = "") -> Language:
    """A blank English pipeline with only what concern detection needs."""
    nlp = spacy.blank("en")
    nlp.add_pipe("concern_matcher", config={"rules_path": rules_path})
    nlp.add_pipe("concern_context", config={"rules_path": rules_path})
    nlp.initialize()
    return nlp
