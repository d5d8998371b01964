"""Free-text concern detection, compiled from ``rules.yml`` into plain Python data.

What runs per text (no spaCy, no numpy, no yaml):

* ``Tokenizer``: spaCy 3's English tokenizer, i.e. its special cases, prefix, suffix and
  infix expressions and URL match (read from ``spacy.blank("en")`` when the rules are
  compiled), applied by a port of spaCy's own algorithm (``spacy/tokenizer.pyx``), so the
  tokens and character offsets are exactly spaCy's. Compiling checks the port against
  spaCy on every rule example, and ``tests/concerns/test_detector_compiled.py`` on more.
* ``Automaton``: the rule patterns (and ``unless`` / ``requires`` patterns) are compiled
  into spaCy Matcher token patterns as before. A lemma token (``~see``) becomes the
  lower-case forms the English lookup table maps to that lemma (see, saw, seen, sees,
  seeing), so lemmas need no lemmatizer at run time. All the patterns are then merged into
  one token automaton (a trie whose steps may be optional or repeated), run from every
  token as a DFA that is built lazily and kept. Its input symbols are "which token tests
  does this word pass", so a word costs one dict lookup per step. It finds exactly the
  (rule, start, end) matches the spaCy Matcher found.
* the ConText-style context step: for each hit, whether it is negated, hedged, about a
  resolved past, hypothetical, and whose experience it is (the worker's or the family's),
  within its clause; a hit that a rule says these cancel is kept in the list but marked
  ``blocked_by`` so tests and supervisors can see why it did not raise.

Compiling needs spaCy and spacy-lookups-data and takes a few seconds, so the compiled
pipeline is cached (``marshal``, checksummed) under a key made from the rules file, this
code, the rules schema and the spaCy versions; a missing, stale or corrupt cache is simply
compiled again. Loading from the cache imports neither spaCy nor yaml.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import itertools
import logging
import marshal
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from actions.concerns.rules_schema import RuleSet, TokenSpec

logger = logging.getLogger(__name__)

# The same file as rules_schema.DEFAULT_RULES_PATH (not imported: it would import yaml).
DEFAULT_RULES_PATH = Path(__file__).with_name("rules.yml")
CACHE_FORMAT = 5
CACHE_MAGIC = b"concern-pipeline\n"
# Files whose content decides what compiling produces; a change to any of them (or to
# spaCy, spacy-lookups-data or Python) gives a new cache key.
_ROOT = Path(__file__).resolve().parent.parent
COMPILER_SOURCES = (
    Path(__file__),
    _ROOT / "concerns" / "rules_schema.py",
    _ROOT / "bank" / "schema.py",
)

PRIORITY = {"pseudo": 5, "hedge": 4, "past": 3, "hypothetical": 2, "negation": 1}
SCOPED = ("negation", "past", "hypothetical")
BOUNDARIES = ("terminate", "new_clause", "sentence")
# A dash with a space before it opens or closes an aside ("Mum - not the kids - was ..."):
# negation, time and "if" inside the aside stay there.
ASIDE_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
UNLESS_SUFFIX = "|unless"
UNLESS_IN_TEXT_SUFFIX = "|unless_in_text"
REQUIRES_SUFFIX = "|requires"
WORKER_OBJECTS = frozenset({"me", "us", "myself"})
# Quote marks standing alone as tokens. Workers quote what they were told ("the baby was
# 'asleep upstairs'"), and the quoted words read as if unquoted; the matcher skips them.
QUOTE_TOKENS = frozenset({"'", '"', "\u2018", "\u2019", "\u201c", "\u201d", "''", "``", "`"})
# "my first feeling was relief": the worker's own feelings follow "my"; for what the
# family does, "my" is only what it was done to ("posted my name"), so it names nobody.
WORKER_POSSESSIVES = frozenset({"my"})
# How far from "him" to look for the person it names (pronoun_is_child rules).
PRONOUN_REACH = 30
OBJECT_PRONOUNS = frozenset({"him", "her", "them"})
# "Dad's on offshore shifts so I've not seen him": after these words a "'s" is "is" or
# "has", not a possessive, so the word before it names the person
AFTER_IS_OR_HAS = frozenset(
    {
        "on", "in", "at", "been", "got", "not", "n't", "never", "away", "out", "back",
        "working", "still", "no", "nae", "always", "just", "gone", "moved", "living",
        "staying", "there", "here", "off", "a", "an",
    }
)  # fmt: skip
# "Noah was in his room with his dad, so I never saw him": a father named as someone's
# ("his dad") or as company ("with dad") stands beside the child "him" points back to
FATHER_BESIDE_CHILD = frozenset({"his", "her", "their", "with"})
POSSESSIVE_MARKS = frozenset({"'s", "\u2019s", "'", "\u2019"})
# adverbs that may stand between an auxiliary and a passive participle ("I was just
# shouted at"); "-ly" words count too
PASSIVE_ADVERBS = frozenset(
    {
        "just",
        "then",
        "also",
        "again",
        "even",
        "still",
        "really",
        "so",
        "actually",
        "nearly",
        "almost",
        "basically",
        "literally",
        "pretty",
        "quite",
        "very",
        "verbally",
        "n't",
        "not",
    }
)
# Words of almost every debrief, besides spaCy's English stop words. They only decide the
# order in which rules matching the very same words are reported (see LegacyOrder).
COMMON_EXTRA = frozenset({
    "'s", "n't", "'m", "'re", "'ve", "'d", "'ll", "nt", "mum", "dad", "visit", "visits",
    "school", "baby", "kids", "children", "child", "time", "said", "says", "told", "home",
    "house", "nursery", "today", "week", "got", "get", "like", "went", "go", "came", "come",
    "saw", "see", "seen", "look", "looked", "know", "think", "felt", "feel", "partner",
    "there", "all", "just", "really", "plan", "again", "still", "work",
})  # fmt: skip
MATCHER_CHUNK = 300
# Matcher quantifiers, as spaCy numbers them in a compiled pattern.
ONE, ZERO_ONE, ZERO_PLUS = 0, 1, 2
_QUANTIFIER = {None: ONE, "?": ZERO_ONE, "*": ZERO_PLUS}
# Bounds on the caches that grow with the words seen (a long-running server).
MAX_CACHED_CHUNKS = 200_000
MAX_DFA_STATES = 50_000


# --------------------------------------------------------------------------- tokens


def like_num(text: str) -> bool:
    """spaCy's English ``LIKE_NUM`` (spacy/lang/en/lex_attrs.py), for ``@num``."""
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    text_lower = text.lower()
    if text_lower in _NUM_WORDS or text_lower in _ORDINAL_WORDS:
        return True
    return text_lower.endswith(("st", "nd", "rd", "th")) and text_lower[:-2].isdigit()


# fmt: off
_NUM_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion",
    "quadrillion", "gajillion", "bazillion",
})
_ORDINAL_WORDS = frozenset({
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth", "fortieth",
    "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth", "hundredth",
    "thousandth", "millionth", "billionth", "trillionth", "quadrillionth", "gajillionth",
    "bazillionth",
})
# fmt: on


def string_id(text: str, symbols: dict[str, int]) -> int:
    """spaCy's id for a string (``StringStore.add``): its symbol number if it is one of
    spaCy's symbols ("mark", "neg", "root", ...), else its hash."""
    symbol = symbols.get(text)
    return symbol if symbol is not None else murmurhash64(text)


def murmurhash64(text: str) -> int:
    """spaCy's string hash (MurmurHash64A of the UTF-8 bytes, seed 1)."""
    data = text.encode("utf8")
    mask, m = 0xFFFFFFFFFFFFFFFF, 0xC6A4A7935BD1E995
    length = len(data)
    h = (1 ^ (length * m)) & mask
    blocks = length // 8
    for i in range(blocks):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * m) & mask
        k ^= k >> 47
        k = (k * m) & mask
        h ^= k
        h = (h * m) & mask
    tail = data[blocks * 8 :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & mask
    h ^= h >> 47
    h = (h * m) & mask
    h ^= h >> 47
    return h


_WS_SPLIT = re.compile(r"(\s+)").split


def _compiled(spec: list | tuple | None, method: str):
    return getattr(re.compile(spec[0], spec[1]), method) if spec else None


class Tokenizer:
    """spaCy's tokenizer (spacy/tokenizer.pyx, v3.4) over the rules it was given.

    ``spec`` holds spaCy's special cases (text -> token texts) and its prefix, suffix,
    infix, token-match and URL-match expressions as (pattern, flags).
    """

    def __init__(self, spec: dict[str, Any]):
        self.specials: dict[str, tuple[str, ...]] = {
            text: tuple(pieces) for text, pieces in spec["specials"].items()
        }
        self._prefix = _compiled(spec["prefix"], "search")
        self._suffix = _compiled(spec["suffix"], "search")
        self._infix = _compiled(spec["infix"], "finditer")
        self._token_match = _compiled(spec["token_match"], "match")
        self._url_match = _compiled(spec["url_match"], "match")
        phrases = spec.get("phrases")
        if phrases is None:
            phrases = self.special_phrases(spec["faster_heuristics"])
        # spaCy's last pass: token sequences that spell a special case with affixes. A
        # one-token phrase that respells a token as itself changes nothing, and is left
        # out (it is the shortest, so it never stops another phrase either).
        self._phrases: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted({tuple(p) for p in phrases}):
            if not (len(phrase) == 1 and self.specials.get(phrase[0]) == phrase):
                self._phrases.setdefault(phrase[0], []).append(phrase)
        # Special cases have no whitespace inside (but those that are all whitespace), so
        # the pass can only respell tokens of one whitespace-free chunk, and only changes
        # a doc if some chunk holds a phrase that spells a special case other than itself.
        self._spaced_specials = any(
            not text.isspace() and any(c.isspace() for c in text) for text in self.specials
        )
        self._cache: dict[str, tuple[tuple[str, ...], bool]] = {}

    def special_phrases(self, faster_heuristics: bool = True) -> list[tuple[str, ...]]:
        """The token sequences spaCy's special-case PhraseMatcher looks for."""
        phrases = []
        for text in self.specials:
            if (
                not faster_heuristics
                or self._find_prefix(text)
                or self._find_suffix(text)
                or (self._infix and list(self._infix(text)))
                or " " in text
            ):
                orths = self.tokenize(text, with_special_cases=False)[0]
                if orths:
                    phrases.append(tuple(orths))
        return phrases

    def __call__(self, text: str) -> tuple[list[str], list[int]]:
        """(token texts, their character offsets), as spaCy's ``nlp.make_doc``."""
        orths: list[str] = []
        starts: list[int] = []
        cache = self._cache
        flagged = False
        if text.isprintable() and "  " not in text and text[:1] != " ":
            # the usual case: the only whitespace is single spaces between words (printable
            # text has no whitespace but " "); a final space is the last word's own
            chunks = text.split(" ")
            if chunks[-1] == "":
                chunks.pop()
            start = 0
            for chunk in chunks:
                entry = cache.get(chunk) or self._chunk(chunk)
                pieces = entry[0]
                flagged = flagged or entry[1]
                if len(pieces) == 1:
                    orths.append(chunk)
                    starts.append(start)
                    start += len(chunk) + 1
                else:
                    for piece in pieces:
                        orths.append(piece)
                        starts.append(start)
                        start += len(piece)
                    start += 1
        else:
            pos = 0
            parts = _WS_SPLIT(text)
            for k, part in enumerate(parts):
                if not part:
                    continue
                start = pos
                pos += len(part)
                if k & 1 and (k > 1 or parts[0]) and part[0] == " ":
                    # whitespace after a token: one plain space is that token's own
                    part = part[1:]
                    start += 1
                    if not part:
                        continue
                entry = cache.get(part) or self._chunk(part)
                flagged = flagged or entry[1]
                for piece in entry[0]:
                    orths.append(piece)
                    starts.append(start)
                    start += len(piece)
        if flagged:
            return self._apply_special_phrases(text, orths, starts)
        return orths, starts

    def tokenize(self, text: str, with_special_cases: bool = True) -> tuple[list[str], list[int]]:
        """spaCy's ``_tokenize_affixes``: no cache and no special-phrase pass."""
        specials = self.specials if with_special_cases else {}
        orths: list[str] = []
        starts: list[int] = []
        pos = 0
        parts = _WS_SPLIT(text)
        for k, part in enumerate(parts):
            if not part:
                continue
            start = pos
            pos += len(part)
            if k & 1 and (k > 1 or parts[0]) and part[0] == " ":
                part = part[1:]
                start += 1
                if not part:
                    continue
            pieces = specials.get(part)
            if pieces is None:
                pieces = self._split(part, specials)
            for piece in pieces:
                orths.append(piece)
                starts.append(start)
                start += len(piece)
        return orths, starts

    def _chunk(self, chunk: str) -> tuple[tuple[str, ...], bool]:
        pieces = self.specials.get(chunk)
        if pieces is None:
            pieces = tuple(self._split(chunk, self.specials))
        entry = (pieces, self._needs_phrase_pass(pieces))
        if len(self._cache) >= MAX_CACHED_CHUNKS:
            self._cache.clear()
        self._cache[chunk] = entry
        return entry

    def _needs_phrase_pass(self, pieces: tuple[str, ...]) -> bool:
        """Whether a doc with this chunk may be changed by the special-phrase pass."""
        if self._spaced_specials:
            return any(p in self._phrases for p in pieces)
        for i, piece in enumerate(pieces):
            for phrase in self._phrases.get(piece, ()):
                if pieces[i : i + len(phrase)] == phrase:
                    special = self.specials.get("".join(phrase))
                    if special is not None and special != phrase:
                        return True
        return False

    def _find_prefix(self, text: str) -> int:
        match = self._prefix(text) if self._prefix else None
        return match.end() - match.start() if match is not None else 0

    def _find_suffix(self, text: str) -> int:
        match = self._suffix(text) if self._suffix else None
        return match.end() - match.start() if match is not None else 0

    def _split(self, string: str, specials: dict) -> list[str]:
        """``_split_affixes`` then ``_attach_tokens`` for one whitespace-free chunk."""
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        while string and len(string) != last_size:
            if self._token_match and self._token_match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            if pre_len:
                prefix = string[:pre_len]
                minus_pre = string[pre_len:]
                if minus_pre and minus_pre in specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find_suffix(string[pre_len:])
            if suf_len:
                suffix = string[-suf_len:]
                minus_suf = string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and (pre_len + suf_len) <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        tokens = prefixes
        if string:
            special = specials.get(string)
            if special is not None:
                tokens.extend(special)
            elif (self._token_match and self._token_match(string)) or (
                self._url_match and self._url_match(string)
            ):
                tokens.append(string)
            else:
                matches = list(self._infix(string)) if self._infix else []
                start = 0
                for match in matches:
                    infix_start, infix_end = match.start(), match.end()
                    if infix_start == 0:
                        continue
                    if infix_start != start:
                        tokens.append(string[start:infix_start])
                    if infix_start != infix_end:
                        tokens.append(string[infix_start:infix_end])
                    start = infix_end
                if string[start:]:
                    tokens.append(string[start:])
        tokens.extend(reversed(suffixes))
        return tokens

    def _apply_special_phrases(
        self, text: str, orths: list[str], starts: list[int]
    ) -> tuple[list[str], list[int]]:
        """spaCy's ``_apply_special_cases``: respell token runs that form a special case."""
        n = len(orths)
        found = []
        phrases = self._phrases
        for i in [i for i, orth in enumerate(orths) if orth in phrases]:
            for phrase in phrases[orths[i]]:
                if tuple(orths[i : i + len(phrase)]) == phrase:
                    found.append((i, i + len(phrase)))
        if not found:
            return orths, starts
        found.sort(key=lambda s: (s[1] - s[0], -s[0]))  # spaCy's len_start_cmp
        seen: set[int] = set()
        kept = []
        for start, end in reversed(found):
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        replace = {}
        for start, end in kept:
            span_text = text[starts[start] : starts[end - 1] + len(orths[end - 1])]
            if span_text in self.specials:
                replace[start] = (end, self.specials[span_text])
        if not replace:
            return orths, starts
        new_orths: list[str] = []
        new_starts: list[int] = []
        i = 0
        while i < n:
            if i not in replace:
                new_orths.append(orths[i])
                new_starts.append(starts[i])
                i += 1
                continue
            end, pieces = replace[i]
            offset = starts[i]
            for piece in pieces:
                new_orths.append(piece)
                new_starts.append(offset)
                offset += len(piece)
            i = end
        return new_orths, new_starts


class Symbols:
    """Token text -> symbol: the set of token tests (predicates) the token passes.

    Predicates are ``("in", words)`` (LOWER IN), ``("wild", stop)`` (LOWER NOT_IN and not
    a space), ``("name", not_names)`` (IS_TITLE and LOWER NOT_IN) and ``("num",)``.
    Tokens passing the same tests are one symbol, so the automaton's steps are memoised
    per symbol.
    """

    def __init__(self, preds: list):
        self.in_index: dict[str, tuple[int, ...]] = {}
        index: dict[str, list[int]] = {}
        self.wild: list[tuple[int, frozenset]] = []
        self.name: list[tuple[int, frozenset]] = []
        self.num: list[int] = []
        for pid, pred in enumerate(preds):
            kind = pred[0]
            if kind == "in":
                for word in pred[1]:
                    index.setdefault(word, []).append(pid)
            elif kind == "wild":
                self.wild.append((pid, frozenset(pred[1])))
            elif kind == "name":
                self.name.append((pid, frozenset(pred[1])))
            elif kind == "num":
                self.num.append(pid)
            else:
                raise ValueError(f"unknown predicate {pred!r}")
        self.in_index = {word: tuple(pids) for word, pids in index.items()}
        self.sats: list[frozenset[int]] = []
        self._ids: dict[frozenset[int], int] = {}
        self._by_orth: dict[str, int] = {}
        self._lock = threading.Lock()

    def ids(self, orths: list[str]) -> list[int]:
        by_orth = self._by_orth
        out = []
        for orth in orths:
            sid = by_orth.get(orth)
            if sid is None:
                sid = self._new(orth)
            out.append(sid)
        return out

    def _new(self, orth: str) -> int:
        lower = orth.lower()
        sat = set(self.in_index.get(lower, ()))
        if not orth.isspace():
            sat.update(pid for pid, stop in self.wild if lower not in stop)
        if self.name and orth.istitle():
            sat.update(pid for pid, not_names in self.name if lower not in not_names)
        if self.num and like_num(orth):
            sat.update(self.num)
        key = frozenset(sat)
        with self._lock:
            sid = self._ids.get(key)
            if sid is None:
                self.sats.append(key)
                sid = self._ids[key] = len(self.sats) - 1
        if len(self._by_orth) >= MAX_CACHED_CHUNKS:
            self._by_orth.clear()
        self._by_orth[orth] = sid
        return sid


class _DFA:
    """The part of an automaton's DFA built so far (replaced whole when it grows too big)."""

    __slots__ = ("sets", "ids", "trans", "accepts", "moves", "by_tests", "start")

    def __init__(self) -> None:
        self.sets: list[frozenset[int]] = []
        self.ids: dict[frozenset[int], int] = {}
        self.trans: list[dict[int, int]] = []  # state -> {symbol: next state, -1 if none}
        self.accepts: list[tuple[int, ...]] = []
        # state -> {predicate: nodes reached by a token passing it}, made on first use
        self.moves: list[dict[int, frozenset[int]] | None] = []
        # state -> {the state's predicates a token passes: next state}: a new word that
        # passes the same tests as one seen before costs no new state
        self.by_tests: list[dict[frozenset[int], int]] = []
        self.start = 0


class Automaton:
    """Token patterns merged into one automaton and run as a lazily built DFA.

    ``spec``: per node its consuming edges ``(predicate, child)``, the epsilon closure of
    the nodes that have optional or repeated steps after them, the terminals each node
    accepts, and ``limit``, the most tokens a wanted match can cover (None: no limit).
    ``find`` reports every (terminals, start, end) with a match of ``tokens[start:end]``,
    which is what spaCy's Matcher reports for the same patterns (each match once).
    """

    def __init__(self, spec: dict[str, Any], symbols: Symbols):
        self._edges: list = spec["edges"]
        self._closures: dict[int, tuple[int, ...]] = spec["closures"]
        self._accept_of: dict[int, tuple[int, ...]] = spec["accept"]
        self._accepting = frozenset(self._accept_of)
        self.limit: int | None = spec["limit"]
        self._symbols = symbols
        self._lock = threading.Lock()
        self._dfa = self._new_dfa()

    def _new_dfa(self) -> _DFA:
        dfa = _DFA()
        dfa.start = self._state(dfa, frozenset(self._closures.get(0, (0,))))
        return dfa

    def _state(self, dfa: _DFA, nodes: frozenset[int]) -> int:
        state = dfa.ids.get(nodes)
        if state is None:
            state = dfa.ids[nodes] = len(dfa.sets)
            dfa.sets.append(nodes)
            dfa.trans.append({})
            dfa.moves.append(None)
            dfa.by_tests.append({})
            accept_of = self._accept_of
            terminals = {t for node in nodes & self._accepting for t in accept_of[node]}
            dfa.accepts.append(tuple(sorted(terminals)))
        return state

    def _step(self, dfa: _DFA, state: int, sid: int) -> int:
        with self._lock:
            moves = dfa.moves[state]
            if moves is None:
                moves = dfa.moves[state] = self._moves(dfa.sets[state])
            sat = self._symbols.sats[sid]
            if len(sat) < len(moves):
                passed = frozenset(pred for pred in sat if pred in moves)
            else:
                passed = frozenset(pred for pred in moves if pred in sat)
            following = dfa.by_tests[state].get(passed)
            if following is None:
                targets: set[int] = set()
                for pred in passed:
                    targets.update(moves[pred])
                following = self._state(dfa, frozenset(targets)) if targets else -1
                dfa.by_tests[state][passed] = following
            dfa.trans[state][sid] = following
            return following

    def _moves(self, nodes: frozenset[int]) -> dict[int, frozenset[int]]:
        edges, closures = self._edges, self._closures
        moves: dict[int, set[int]] = {}
        for node in nodes:
            for pred, child in edges[node]:
                moves.setdefault(pred, set()).update(closures.get(child, (child,)))
        return {pred: frozenset(reached) for pred, reached in moves.items()}

    def find(self, sids: list[int]) -> list[tuple[tuple[int, ...], int, int]]:
        dfa = self._dfa
        if len(dfa.sets) > MAX_DFA_STATES:  # rare: forget it, it is rebuilt as used
            dfa = self._dfa = self._new_dfa()
        trans, accepts, start = dfa.trans, dfa.accepts, dfa.start
        first = trans[start]
        found = []
        n = len(sids)
        limit = self.limit or n
        for i, sid in enumerate(sids):
            state = first.get(sid)
            if state is None:
                state = self._step(dfa, start, sid)
            if state < 0:
                continue  # no pattern starts with this word: most words
            if accepts[state]:
                found.append((accepts[state], i, i + 1))
            j = i + 1
            stop = i + limit if i + limit < n else n
            while j < stop:
                following = trans[state].get(sids[j])
                if following is None:
                    following = self._step(dfa, state, sids[j])
                if following < 0:
                    break
                state = following
                j += 1
                if accepts[state]:
                    found.append((accepts[state], i, j))
        return found


# --------------------------------------------------------------------------- the order of ties


class LegacyOrder:
    """The order in which hits on the very same words are listed.

    When two rules match the same span (say ``hidden_men.unknown`` and
    ``hidden_men.unknown_2``), the first listed is the one reported for its code, and it
    decides the order of the codes. These pipelines used to run a bank of spaCy Matchers
    (patterns grouped by the words they need, each group run only on docs with those
    words, in the order of a Python set of group numbers), and listed ties in the order
    in which that bank first reported each rule. This class reproduces that order exactly
    (the same groups, spaCy's string hashes, the same set, and spaCy's Matcher
    state machine for the few groups shared by several rules), so that compiling the
    rules into an automaton changed no output. It only runs for docs with a tie.
    """

    def __init__(self, spec: dict[str, Any]):
        self.by_word: dict[int, list[int]] = spec["by_word"]
        self.always: list[int] = spec["always"]
        self.shared: dict[int, list] = spec["shared"]  # group -> [(key, pattern)]
        self.symbols: dict[str, int] = spec["symbols"]
        self._ids: dict[str, int] = {}

    def ranks(
        self, lowers: list[str], sats: list[frozenset[int]], matches: dict[int, list], spans: dict
    ) -> dict[int, tuple[int, int]]:
        """key -> (position of its group in the bank's run order, order within the group)."""
        ids = self._ids
        for lower in lowers:
            if lower not in ids:
                ids[lower] = string_id(lower, self.symbols)
        words = set([ids[lower] for lower in lowers])  # as set(doc.to_array(LOWER).tolist())
        selected = set(self.always)
        for word in words:
            found = self.by_word.get(word)
            if found:
                selected.update(found)
        group_at = _positions(selected, set().union(*matches.values()))
        position = {group: k for k, group in group_at.items()}
        first: dict[int, int] = {}
        for key, groups in matches.items():  # (a group that matched was always selected)
            first[key] = min(position.get(g, len(selected)) for g in groups)
        by_position: dict[int, list[int]] = {}
        for key, pos in first.items():
            by_position.setdefault(pos, []).append(key)
        ranks = {key: (pos, 0) for key, pos in first.items()}
        for pos, keys in by_position.items():
            if len(keys) > 1 and pos in group_at and group_at[pos] in self.shared:
                emitted = matcher_order(self.shared[group_at[pos]], sats, spans)
                for key in keys:
                    ranks[key] = (pos, emitted.get(key, len(emitted)))
        return ranks


def _positions(selected: set[int], wanted: set[int]) -> dict[int, int]:
    """position -> group, for the wanted groups, in ``selected``'s iteration order.

    Only the groups that matched need a position: a few C-level ``list.index`` scans
    cost far less than numbering every selected group (thousands on a long account) in
    Python. A wanted group outside the selection gets no position (``ranks`` then ranks
    it last, as it did when every selected group was numbered) rather than an error.
    """
    order = list(selected)
    return {order.index(group): group for group in wanted if group in selected}


def matcher_order(patterns: list, sats: list[frozenset[int]], spans: dict) -> dict[int, int]:
    """key -> rank of its first kept match in spaCy's Matcher output, for ``patterns``.

    ``spans[key]`` is the set of (start, end) the key keeps (not longer than its bound).
    """
    order: dict[int, int] = {}
    for key, start, end in matcher_emissions(patterns, sats):
        if key not in order and (start, end) in spans.get(key, ()):
            order[key] = len(order)
    return order


def matcher_emissions(patterns: list, sats: list[frozenset[int]]) -> list[tuple[int, int, int]]:
    """What spaCy's Matcher returns, in its order, for (key, ((predicate, quantifier), ...))
    patterns added in this order, on tokens passing the predicates ``sats``.

    A port of ``find_matches`` / ``transition_states`` / ``finish_states`` in
    spacy/matcher/matcher.pyx (v3.4); only the order of its matches is wanted here.
    """
    matches: list[tuple[int, int, int]] = []  # (key, start, length)
    states: list[tuple[int, int, int, int]] = []  # (pattern, position, start, length)
    for i, sat in enumerate(sats):
        states.extend((j, 0, i, 0) for j in range(len(patterns)))
        kept, added = [], []
        for j, pos, start, length in states:
            key, specs = patterns[j]
            action = _action(specs, pos, sat)
            while action in ("retry", "retry_advance", "retry_extend"):
                if action == "retry_extend":
                    added.append((j, pos, start, length + 1))
                if action == "retry_advance":
                    added.append((j, pos + 1, start, length + 1))
                pos += 1
                action = _action(specs, pos, sat)
            if action == "advance":
                kept.append((j, pos + 1, start, length + 1))
            elif action == "match":
                matches.append((key, start, length + 1))
            elif action == "match_double":
                if length > 0:
                    matches.append((key, start, length))
                matches.append((key, start, length + 1))
            elif action == "match_reject":
                matches.append((key, start, length))
            elif action == "match_extend":
                matches.append((key, start, length))
                kept.append((j, pos, start, length + 1))
        states = kept + added
    for j, pos, start, length in states:
        key, specs = patterns[j]
        while pos < len(specs) and specs[pos][1] in (ZERO_PLUS, ZERO_ONE):
            if pos + 1 == len(specs):
                matches.append((key, start, length))
                break
            pos += 1
    output: dict[tuple[int, int, int], None] = {}
    for key, start, length in matches:
        if length > 0:
            output.setdefault((key, start, start + length))
    return list(output)


def _action(specs: tuple, pos: int, sat: frozenset[int]) -> str:
    pred, quantifier = specs[pos]
    matched = pred in sat
    final = pos + 1 == len(specs)
    if quantifier == ONE:
        if matched:
            return "match" if final else "advance"
        return "reject"
    if quantifier == ZERO_PLUS:
        if matched:
            return "match_extend" if final else "retry_extend"
        return "match_reject" if final else "retry"
    if matched:  # ZERO_ONE
        return "match_double" if final else "retry_advance"
    return "match_reject" if final else "retry"


# --------------------------------------------------------------------------- docs and hits


@dataclass(frozen=True)
class CompiledRule:
    """What the run-time pipeline needs of a ConcernRule."""

    id: str
    code: str
    urgent: bool
    who: str
    cancelled_by: frozenset[str]
    unless_scope: str
    requires: bool
    requires_scope: str
    pronoun_is_child: bool
    reads_only: bool


# blocked_by of a reads_only rule's hit that nothing else blocked
READS_ONLY = "reads_only"


@dataclass
class Hit:
    """One place where a rule's pattern matched, with what the context says about it."""

    rule: CompiledRule
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

    @property
    def declines(self) -> bool:
        """Whether the rules read this code here and declined it: a hit negated, past or
        someone else's, or a reads_only rule's hit that stood on its own reading ("I saw
        her alone"; not "I didn't see her alone")."""
        return not self.kept and (not self.rule.reads_only or self.blocked_by == READS_ONLY)


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
    # clause bounds and the dashes of an aside: how far negation, time and "if" reach
    aside_bounds: list[tuple[int, int]] = field(default_factory=list)
    # and a comma before a new subject ("..., I'm scared"): how far negation reaches
    negation_bounds: list[tuple[int, int]] = field(default_factory=list)


class ConcernDoc:
    """One processed text: its tokens (as spaCy splits it) and its concern hits."""

    __slots__ = ("text", "orths", "starts", "sids", "concern_hits", "concern_unless", "_lowers")

    def __init__(self, text: str, orths: list[str], starts: list[int], sids: list[int]):
        self.text = text
        self.orths = orths
        self.starts = starts
        self.sids = sids
        self.concern_hits: list[Hit] = []
        self.concern_unless: dict[str, list[tuple[int, int]]] = {}
        self._lowers: list[str] | None = None

    def __len__(self) -> int:
        return len(self.orths)

    @property
    def lowers(self) -> list[str]:
        if self._lowers is None:
            self._lowers = [o.lower() for o in self.orths]
        return self._lowers

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens ``start:end`` (``Span.start_char`` / ``end_char``)."""
        return self.starts[start], self.starts[end - 1] + len(self.orths[end - 1])

    def span_text(self, start: int, end: int) -> str:
        first, last = self.char_span(start, end)
        return self.text[first:last]


class ConcernPipeline:
    """The compiled pipeline: ``pipeline(text)`` -> ConcernDoc with ``concern_hits``."""

    def __init__(self, payload: dict[str, Any]):
        if payload.get("format") != CACHE_FORMAT:
            raise ValueError("not a compiled concern pipeline of this version")
        self.rules_path = payload["rules_path"]
        self.tokenizer = Tokenizer(payload["tokenizer"])
        self.symbols = Symbols(payload["preds"])
        self.matcher = Automaton(payload["concerns"], self.symbols)
        self.context_matcher = Automaton(payload["context"], self.symbols)
        self.legacy = LegacyOrder(payload["legacy"])
        self.rules = [
            # the rest: unless_scope, requires, requires_scope, pronoun_is_child
            CompiledRule(rid, code, urgent, who, frozenset(cancelled), *rest)
            for rid, code, urgent, who, cancelled, *rest in payload["rules"]
        ]
        # concern automaton terminal -> (key, group, bound); key -> (name, rule, kind)
        self.terminals: list[tuple[int, int, int]] = [tuple(t) for t in payload["terminals"]]
        self.keys = [tuple(k) for k in payload["keys"]]
        self.context = [tuple(c) for c in payload["context_rules"]]
        self.mentions: dict[str, frozenset[str]] = {
            kind: frozenset(words) for kind, words in payload["mentions"]
        }
        self.not_names = frozenset(payload["not_names"])
        self.adult_men = frozenset(payload["adult_men"])
        self.one_child = frozenset(payload["one_child"])
        self.fathers = frozenset(payload["fathers"])
        self.name_followed_by = frozenset(payload["name_followed_by"])
        self.passive_aux = frozenset(payload["passive_aux"])
        self.cancellers = tuple(payload["cancellers"])

    def __call__(self, text: str) -> ConcernDoc:
        orths, starts = self.tokenizer(text)
        if not QUOTE_TOKENS.isdisjoint(orths):
            kept = [i for i, orth in enumerate(orths) if orth not in QUOTE_TOKENS]
            orths, starts = [orths[i] for i in kept], [starts[i] for i in kept]
        doc = ConcernDoc(text, orths, starts, self.symbols.ids(orths))
        self._match(doc)
        if doc.concern_hits:  # most sentences raise nothing: no context work for them
            self._apply_context(doc)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[ConcernDoc]:
        """Like ``nlp.pipe``: one doc per text, in order (batch_size is accepted, unused)."""
        for text in texts:
            yield self(text)

    # ------------------------------------------------------------------ matching

    def _match(self, doc: ConcernDoc) -> None:
        terminals, keys = self.terminals, self.keys
        spans: dict[int, list[tuple[int, int]]] = {}
        extra: dict[str, list[tuple[int, int]]] = {}
        matches = self.matcher.find(doc.sids)
        for accepted, start, end in matches:
            length = end - start
            for terminal in accepted:
                key, _, bound = terminals[terminal]
                name, _, kind = keys[key]
                if length > bound:
                    continue  # a "*" wildcard went further than its pattern's _*N allows
                if kind:  # an unless / requires pattern, keyed "rule.id|unless"
                    extra.setdefault(name, []).append((start, end))
                else:
                    spans.setdefault(key, []).append((start, end))
        hits = []
        for key, found in spans.items():
            rule = self.rules[keys[key][1]]
            hits.extend((start, end, key, rule) for start, end in _innermost(found))
        hits.sort(key=lambda h: (h[0], h[1]))
        if any(a[:2] == b[:2] for a, b in zip(hits, hits[1:], strict=False)):
            ranks = self._tie_ranks(doc, spans, matches)
            hits.sort(key=lambda h: (h[0], h[1], ranks[h[2]]))
        doc.concern_hits = [Hit(rule, start, end) for start, end, _, rule in hits]
        doc.concern_unless = extra

    def _tie_ranks(
        self, doc: ConcernDoc, spans: dict[int, list], found: list
    ) -> dict[int, tuple[int, int]]:
        groups: dict[int, set[int]] = {}
        kept = {key: set(matches) for key, matches in spans.items()}
        for accepted, start, end in found:
            for terminal in accepted:
                key, group, _ = self.terminals[terminal]
                if (start, end) in kept.get(key, ()):
                    groups.setdefault(key, set()).add(group)
        sats = [self.symbols.sats[sid] for sid in doc.sids]
        return self.legacy.ranks(doc.lowers, sats, groups, kept)

    # ------------------------------------------------------------------ context

    def _apply_context(self, doc: ConcernDoc) -> None:
        context = self._doc_context(doc)
        extra = doc.concern_unless
        for hit in doc.concern_hits:
            self._judge(doc, hit, context, extra)

    def _doc_context(self, doc: ConcernDoc) -> DocContext:
        context = DocContext()
        rules = self.context
        for accepted, start, end in self.context_matcher.find(doc.sids):
            for terminal in accepted:
                _, category, direction, window = rules[terminal]
                if category == "negation_end":
                    context.negation_bounds.append((start, start + 1))
                elif category == "new_clause":
                    # "and I was ...": only the conjunction is the boundary; the words after
                    # it only show that a new clause (with its own subject) starts there
                    context.clause_bounds.append((start, start + 1))
                elif category in BOUNDARIES:
                    context.clause_bounds.append((start, end))
                    if category == "sentence":
                        context.sentence_bounds.append((start, end))
                else:
                    context.triggers.append(Trigger(category, direction, window, start, end))
        text, starts, orths = doc.text, doc.starts, doc.orths
        context.aside_bounds = list(context.clause_bounds)
        for i, orth in enumerate(orths):
            if orth in ASIDE_DASHES and starts[i] > 0 and text[starts[i] - 1].isspace():
                context.aside_bounds.append((i, i + 1))
        context.negation_bounds += context.aside_bounds
        context.triggers = _resolve_overlaps(context.triggers)
        return context

    def _judge(self, doc: ConcernDoc, hit: Hit, context: DocContext, extra: dict) -> None:
        clause = _scope(hit, context.clause_bounds, len(doc))
        reach = _scope(hit, context.aside_bounds, len(doc))
        negation_reach = _scope(hit, context.negation_bounds, len(doc))
        for trigger in context.triggers:
            if trigger.category == "hedge":
                hit.hedged |= clause[0] <= trigger.start < clause[1]
            elif _applies(
                trigger, hit, negation_reach if trigger.category == "negation" else reach
            ):
                setattr(hit, _FLAG[trigger.category], True)
        hit.experiencer = self._experiencer(doc, hit, clause)
        hit.blocked_by = self._blocked_by(doc, hit, clause, context, extra)

    def _him_is_a_man(self, doc: ConcernDoc, hit: Hit) -> bool:
        """ "Her fella, never seen him": "him" is the man named nearest before it (or, with
        nobody named before it, first after it), not a child."""
        # the object is the hit's last pronoun, or the word just after it ("never seen | him")
        words = doc.lowers[hit.start : min(len(doc), hit.end + 1)]
        objects = [i for i, w in enumerate(words) if w in OBJECT_PRONOUNS]
        if not objects or words[objects[-1]] != "him":
            return False
        if not self.mentions["child"].isdisjoint(words[objects[-1] :]):
            return False  # "not getting past him to see the kids": the kids are the object
        before = range(hit.start - 1, max(-1, hit.start - PRONOUN_REACH), -1)
        after = range(hit.end, min(len(doc), hit.end + PRONOUN_REACH))
        for span in (before, after):
            for i in span:
                person = self._one_person(doc, i)
                if person:
                    return person == "man"
        return False

    def _one_person(self, doc: ConcernDoc, i: int) -> str | None:
        """ "man" or "child" for a word naming one man or one child; None otherwise. A
        possessive ("at his dad's") names a place, not the person."""
        lowers = doc.lowers
        if _is_possessive(lowers, i):
            return None
        if i and f"{lowers[i - 1]} {lowers[i]}" in self.one_child:
            return "child"  # "the wee fella"
        if lowers[i] in self.adult_men:
            return "man"
        if lowers[i] in self.fathers:
            return None if self._father_beside_child(lowers, i) else "man"
        if lowers[i] in self.one_child:
            return "child"
        if doc.orths[i].istitle() and lowers[i] not in self.not_names and lowers[i].isalpha():
            return "child"  # a first name: children are named far more often than men
        return None

    @staticmethod
    def _father_beside_child(lowers: list[str], i: int) -> bool:
        """ "with his dad", "dad signed him out": the dad is named as the child's, or does
        something to "him", so a later "him" is the child too."""
        if i and lowers[i - 1] in FATHER_BESIDE_CHILD:
            return True
        return "him" in lowers[i + 1 : i + 5]

    def _blocked_by(self, doc, hit, clause, context, extra) -> str | None:
        rule, length = hit.rule, len(doc)
        for category in self.cancellers:
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
        if extra.get(rule.id + UNLESS_IN_TEXT_SUFFIX):
            return "unless"
        if rule.requires:
            scope = scopes[rule.requires_scope]
            found = extra.get(rule.id + REQUIRES_SUFFIX, ())
            if not any(scope[0] <= s and e <= scope[1] for s, e in found):
                return "requires"
        if rule.pronoun_is_child and self._him_is_a_man(doc, hit):
            return "pronoun"
        if rule.reads_only:
            return READS_ONLY
        return None

    def _experiencer(self, doc: ConcernDoc, hit: Hit, clause: tuple[int, int]) -> str | None:
        """Whose experience the hit describes: the nearest person mentioned before it.

        A hit that itself names the worker ("frightened me") is the worker's. For the
        family's behaviour (hostility, avoidance), the worker named as an object before
        the hit ("she shouted at me and threatened ...") or as the subject of a passive
        ("I was shouted at") is not the one acting, so those mentions are skipped. The
        worker's own feelings are never skipped this way ("mum said I was frightened").
        """
        lowers = doc.lowers
        worker = self.mentions["worker"]
        worker_rule = hit.rule.who == "worker"
        if worker_rule and (
            any(lowers[i] in worker for i in range(hit.start, hit.end))
            or (hit.end < len(doc) and lowers[hit.end] in WORKER_OBJECTS)
        ):
            return "worker"  # "frightened me", "it scared me"
        for i in range(hit.start - 1, clause[0] - 1, -1):
            if worker_rule and lowers[i] in WORKER_POSSESSIVES:
                return "worker"
            kind = self._mention(doc, i)
            if (
                kind == "worker"
                and not worker_rule
                and (lowers[i] in WORKER_OBJECTS or self._passive_between(doc, i, hit.start))
            ):
                continue
            if kind:
                return kind
        return None

    def _mention(self, doc: ConcernDoc, i: int) -> str | None:
        lowers = doc.lowers
        lower = lowers[i]
        for kind, words in self.mentions.items():
            if lower in words:
                return kind
        if (
            doc.orths[i].istitle()
            and lower not in self.not_names
            and i + 1 < len(doc)
            and lowers[i + 1] in self.name_followed_by
        ):
            return "family"  # a name followed by "was", "seemed", ...: a family member
        return None

    def _passive_between(self, doc: ConcernDoc, mention: int, start: int) -> bool:
        """Only auxiliaries (and adverbs) between the worker and the hit: "I was (really)
        shouted at". Adverbs alone ("I really shouted") are not a passive."""
        between = doc.lowers[mention + 1 : start]
        aux = self.passive_aux
        return any(w in aux for w in between) and all(
            w in aux or w in PASSIVE_ADVERBS or (w.endswith("ly") and len(w) > 3) for w in between
        )


def _innermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop a rule's matches that contain another of its matches.

    Optional tokens and wildcards let a pattern match the same phrase with extra words at
    the edges; the innermost version is the evidence, and keeps the negation window
    measured from the phrase itself.
    """
    unique = sorted(set(spans), key=lambda s: (s[1] - s[0], s[0]))
    kept: list[tuple[int, int]] = []
    for start, end in unique:
        if not any(start <= s and e <= end for s, e in kept):
            kept.append((start, end))
    return sorted(kept)


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


def _is_possessive(lowers: list[str], i: int) -> bool:
    """ "at his dad's", "Dad's car": the word before "'s" owns something. "Dad's on shifts"
    is "Dad is", so that names Dad."""
    if i + 1 >= len(lowers) or lowers[i + 1] not in POSSESSIVE_MARKS:
        return False
    return i + 2 >= len(lowers) or lowers[i + 2] not in AFTER_IS_OR_HAS


def _wrong_person(who: str, experiencer: str | None) -> bool:
    if who == "worker":
        return experiencer in ("family", "child", "other")
    if who == "family":
        return experiencer == "worker"
    if who == "adult":
        return experiencer in ("worker", "child")
    return False


# --------------------------------------------------------------------------- compiling


def _import_spacy_without_tensorflow():
    """Import spaCy without letting thinc import TensorFlow.

    thinc imports TensorFlow when it is installed (Rasa installs it), which costs several
    seconds and gains this compiler nothing. If TensorFlow is not loaded yet, it is hidden
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


@functools.lru_cache(maxsize=1)
def _blank_english():
    return _import_spacy_without_tensorflow().blank("en")


def spacy_tokenizer_spec() -> dict[str, Any]:
    """The rules of ``spacy.blank("en")``'s tokenizer, as plain data for ``Tokenizer``."""
    tokenizer = _blank_english().tokenizer  # first: it imports spaCy without TensorFlow
    from spacy.attrs import ORTH

    def expression(function) -> tuple[str, int] | None:
        if function is None:
            return None
        pattern = getattr(function, "__self__", None)
        if not isinstance(pattern, re.Pattern):
            raise RuntimeError(f"cannot compile a tokenizer that uses {function!r}")
        return pattern.pattern, pattern.flags

    return {
        "specials": {
            text: [piece.get(ORTH, piece.get("ORTH")) for piece in pieces]
            for text, pieces in tokenizer.rules.items()
        },
        "prefix": expression(tokenizer.prefix_search),
        "suffix": expression(tokenizer.suffix_search),
        "infix": expression(tokenizer.infix_finditer),
        "token_match": expression(tokenizer.token_match),
        "url_match": expression(tokenizer.url_match),
        "faster_heuristics": bool(tokenizer.faster_heuristics),
    }


def _check_tokenizer(tokenizer: Tokenizer, texts: Iterable[str]) -> None:
    """Compare the port with spaCy itself on ``texts``; raise if they ever differ."""
    nlp = _blank_english()
    for text in texts:
        expected = [(t.text, t.idx) for t in nlp.make_doc(text)]
        orths, starts = tokenizer(text)
        if list(zip(orths, starts, strict=True)) != expected:
            raise RuntimeError(f"the tokenizer port differs from this spaCy on {text!r}")


_TOKENIZER_SAMPLES = (
    "I didn't get to see Kyle alone. Mum's boyfriend (\"Dave\") was there at 10a.m.!",
    "She said :) and then :-( ... we'll see; it's 5-6 weeks, e.g. U.K. rules 'cause...",
    "  Leading  and   trailing\tspaces\n\nnew lines\u00a0and https://example.org/x?y=1 ",
    "can't won't shan't ain't y'all gonna gotta o'clock Mr. Dr. St. 3rd 1,000 £5 5km",
    "“quoted” ‘single’ — dash–dash (brackets) [square] {curly} <angle> @handle #tag",
)


@functools.lru_cache(maxsize=1)
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


def _spelling_variants(word: str) -> list[str]:
    if word == "i":
        return ["i", "i."]  # spaCy keeps a sentence-final "I." whole (as for initials)
    return [word, word.replace("'", "\u2019")] if "'" in word else [word]


def _factorise(values: list[list[str]]) -> list[list[tuple[str, ...]]]:
    """Equal-length word sequences as few position-by-position sets as possible, each set
    sequence standing for exactly some of the values (every combination is a value)."""
    groups: list[list[tuple[str, ...]]] = []
    for value in dict.fromkeys(tuple(v) for v in values):
        groups.append([(word,) for word in value])
    merged = True
    while merged:
        merged = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                first, second = groups[a], groups[b]
                differ = [i for i in range(len(first)) if set(first[i]) != set(second[i])]
                if len(differ) <= 1:
                    at = differ[0] if differ else 0
                    first[at] = tuple(dict.fromkeys(first[at] + second[at]))
                    del groups[b]
                    merged = True
                    break
            if merged:
                break
    return groups


class PatternCompiler:
    """rules.yml patterns -> spaCy Matcher token patterns (lists of token dicts)."""

    def __init__(self, ruleset: RuleSet, tokenizer: Tokenizer):
        from actions.concerns.rules_schema import TokenSpec

        self.ruleset = ruleset
        self.tokenizer = tokenizer
        # ``_*3`` becomes one "*" token (see collapse_wildcards)
        self.star = TokenSpec("wild", ("*",), optional=True)
        self._splits: dict[str, list[str]] = {}
        self._options: dict[TokenSpec, list[list[dict]]] = {}

    def wildcard(self, optional: bool) -> dict:
        # Wildcards never swallow a negation or a sentence end: "the baby was not asleep"
        # must not match "baby was _*2 asleep", and a pattern must not join two sentences.
        ruleset = self.ruleset
        stop = sorted(ruleset.wildcard_stop | set(ruleset.lexicon.get("neg", ())))
        spec: dict = {"LOWER": {"NOT_IN": stop}, "IS_SPACE": False}
        return {**spec, "OP": "?"} if optional else spec

    def split_literal(self, word: str) -> list[str]:
        """How the tokenizer splits a literal ("mum's" -> mum 's); clitics stay whole."""
        if word.startswith(("'", "\u2019")):
            return [word]
        if word not in self._splits:
            orths = self.tokenizer(word)[0]
            self._splits[word] = [o.lower() for o in orths if not o.isspace()]
        return self._splits[word]

    def options(self, spec: TokenSpec) -> list[list[dict]]:
        """The token-dict sequences that one TokenSpec can stand for (worked out once)."""
        if spec not in self._options:
            self._options[spec] = self._spec_options(spec)
        return self._options[spec]

    def _spec_options(self, spec: TokenSpec) -> list[list[dict]]:
        ruleset = self.ruleset
        op = {"OP": "?"} if spec.optional else {}
        if spec == self.star:
            return [[{**self.wildcard(False), "OP": "*"}]]
        if spec.kind == "wild":
            return [[self.wildcard(spec.optional)]]
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
                parts = self.split_literal(variant)
                if len(parts) == 1:
                    single.append(parts[0])
                elif parts:
                    multi.setdefault(len(parts), []).append(parts)
                    if "n't" in parts or "n\u2019t" in parts:  # "havent" is have + nt
                        nt = ["nt" if p in ("n't", "n\u2019t") else p for p in parts]
                        multi[len(parts)].append(nt)
        options = [[{"LOWER": {"IN": list(dict.fromkeys(single))}}]] if single else []
        # several-word values of one length share a pattern where that matches exactly the
        # same phrases ("did n't", "was n't" -> did|was, n't), never parts of two different
        # values ("health visitor", "social worker" must not give "health worker")
        for _, values in sorted(multi.items()):
            for group in _factorise(values):
                options.append([{"LOWER": {"IN": list(position)}} for position in group])
        if spec.optional and not multi:
            return [[{**options[0][0], **op}]]
        return options + ([[]] if spec.optional else [])

    def collapse_wildcards(self, sequence: list[TokenSpec]) -> list[TokenSpec]:
        """Runs of optional wildcards (``_*3``) become one ``*`` token.

        Three optional wildcards in a row can reach the same match in many ways (which of
        the three it skipped); one ``*`` reaches each match once. The bound (three) is
        enforced on the match length instead (see ``max_span``).
        """
        out: list[TokenSpec] = []
        for spec in sequence:
            if spec.kind == "wild" and spec.optional:
                if not (out and out[-1] == self.star):
                    out.append(self.star)
            else:
                out.append(spec)
        return out

    def compile_pattern(self, pattern: str, rule_id: str) -> list[list[dict]]:
        """Every spaCy Matcher pattern that one rules.yml pattern stands for."""
        from actions.concerns.rules_schema import RulesError

        ruleset = self.ruleset
        compiled = []
        for sequence in ruleset.parse(pattern, rule_id):
            slots = [self.options(spec) for spec in self.collapse_wildcards(sequence)]
            for combo in itertools.product(*slots):
                tokens = [token for option in combo for token in option]
                if tokens:
                    compiled.append(tokens)
        if not compiled:
            raise RulesError(ruleset.path, rule_id, f"pattern {pattern!r} compiles to nothing")
        return compiled

    def max_span(self, pattern: str, rule_id: str) -> int:
        """The most tokens a match of the pattern can cover (wildcards at their bound)."""
        longest = 0
        for sequence in self.ruleset.parse(pattern, rule_id):
            length = 0
            for spec in sequence:
                if spec.kind in ("wild", "special", "lemma"):
                    length += 1
                else:
                    length += max(
                        len(self.split_literal(variant))
                        for value in spec.values
                        for variant in _spelling_variants(value)
                    )
            longest = max(longest, length)
        return longest


class _Predicates:
    """Token dicts -> predicate numbers (the same test, the same number)."""

    def __init__(self) -> None:
        self.ids: dict[tuple, int] = {}
        self.specs: list[tuple] = []
        self._seen: dict[int, tuple[dict, int]] = {}  # id(token) -> (token, number)

    def __call__(self, token: dict) -> int:
        seen = self._seen.get(id(token))
        if seen is None:  # compiled patterns share their token dicts: look each up once
            seen = self._seen[id(token)] = (token, self._number(token))
        return seen[1]

    def _number(self, token: dict) -> int:
        attrs = set(token) - {"OP"}
        lower = token.get("LOWER")
        if attrs == {"LIKE_NUM"} and token["LIKE_NUM"] is True:
            spec: tuple = ("num",)
        elif (
            attrs == {"IS_TITLE", "LOWER"} and token["IS_TITLE"] is True and _only(lower, "NOT_IN")
        ):
            spec = ("name", tuple(sorted(set(lower["NOT_IN"]))))
        elif (
            attrs == {"IS_SPACE", "LOWER"} and token["IS_SPACE"] is False and _only(lower, "NOT_IN")
        ):
            spec = ("wild", tuple(sorted(set(lower["NOT_IN"]))))
        elif attrs == {"LOWER"} and isinstance(lower, str):
            spec = ("in", (lower,))
        elif attrs == {"LOWER"} and _only(lower, "IN"):
            spec = ("in", tuple(sorted(set(lower["IN"]))))
        else:
            raise RuntimeError(f"the automaton cannot compile the token pattern {token!r}")
        if spec not in self.ids:
            self.ids[spec] = len(self.specs)
            self.specs.append(spec)
        return self.ids[spec]

    def encode(self, pattern: list[dict]) -> tuple[tuple[int, int], ...]:
        return tuple((self(token), _QUANTIFIER[token.get("OP")]) for token in pattern)


def _only(value: Any, operator: str) -> bool:
    return isinstance(value, dict) and set(value) == {operator}


def _build_automaton(
    entries: Iterable[tuple[int, tuple[tuple[int, int], ...]]], limit: int | None
) -> dict[str, Any]:
    """A trie of (predicate, quantifier) steps; ``entries`` are (terminal, pattern)."""
    children: list[dict[tuple[int, int], int]] = [{}]
    edges: list[list[tuple[int, int]]] = [[]]
    epsilon: list[list[int]] = [[]]
    accept: dict[int, set[int]] = {}
    for terminal, pattern in entries:
        node = 0
        for pred, quantifier in pattern:
            child = children[node].get((pred, quantifier))
            if child is None:
                child = len(children)
                children.append({})
                edges.append([])
                epsilon.append([])
                children[node][(pred, quantifier)] = child
                if quantifier == ZERO_PLUS:  # skip it, or repeat it as often as it matches
                    epsilon[node].append(child)
                    edges[child].append((pred, child))
                else:
                    edges[node].append((pred, child))
                    if quantifier == ZERO_ONE:
                        epsilon[node].append(child)
            node = child
        accept.setdefault(node, set()).add(terminal)
    closures: dict[int, tuple[int, ...]] = {}
    for node in range(len(children) - 1, -1, -1):  # children come after their parents
        if epsilon[node]:
            reach = {node}
            for child in epsilon[node]:
                reach.update(closures.get(child, (child,)))
            closures[node] = tuple(sorted(reach))
    return {
        "edges": [tuple(e) for e in edges],
        "closures": closures,
        "accept": {node: tuple(sorted(t)) for node, t in accept.items()},
        "limit": limit,
    }


class _Requirements:
    """A pattern's required word sets (positions that are neither optional nor wildcards),
    least common first: the grouping of the old Matcher bank."""

    def __init__(self, common: frozenset[str]):
        self.common = common
        self._words: dict[int, tuple[dict, frozenset | None]] = {}  # id(token) -> words
        self._rank: dict[frozenset, tuple] = {}

    def __call__(self, pattern: list[dict]) -> tuple[frozenset, ...]:
        required = set()
        for token in pattern:
            if token.get("OP") in ("?", "*"):
                continue
            seen = self._words.get(id(token))
            if seen is None:
                value = token.get("LOWER")
                words = [value] if isinstance(value, str) else (value or {}).get("IN")
                seen = self._words[id(token)] = (token, frozenset(words) if words else None)
            if seen[1] is not None:
                required.add(seen[1])
        return tuple(sorted(required, key=self._commonness))

    def _commonness(self, words: frozenset) -> tuple:
        rank = self._rank.get(words)
        if rank is None:
            n_common = sum(1 for w in words if w in self.common)
            rank = self._rank[words] = (n_common > 0, n_common, len(words), sorted(words))
        return rank


def _legacy_groups(
    keyed: list[tuple[str, list[list[dict]]]], predicates: _Predicates
) -> tuple[dict[str, Any], dict[tuple[int, int], int]]:
    """The Matcher bank the rules used to run on (see LegacyOrder): its groups of patterns
    (same required words, at most MATCHER_CHUNK patterns), the group each pattern is in,
    which groups each anchor word selects, and the patterns of groups shared by rules."""
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.symbols import IDS

    symbols = {text: int(number) for text, number in IDS.items()}
    requirements = _Requirements(frozenset(STOP_WORDS) | COMMON_EXTRA)
    groups: dict[tuple, list[tuple[int, int, list[dict]]]] = {}
    for key, (_, patterns) in enumerate(keyed):
        for number, pattern in enumerate(patterns):
            groups.setdefault(requirements(pattern), []).append((key, number, pattern))
    ids: dict[str, int] = {}
    by_word: dict[int, list[int]] = {}
    always: list[int] = []
    shared: dict[int, list] = {}
    group_of: dict[tuple[int, int], int] = {}
    index = 0
    for required, members in groups.items():
        # the first (least common) set is the anchor the bank looked the group up by
        anchor = []
        for word in required[0] if required else ():
            if word not in ids:
                ids[word] = string_id(word, symbols)
            anchor.append(ids[word])
        for i in range(0, len(members), MATCHER_CHUNK):
            by_key: dict[int, list[list[dict]]] = {}
            for key, number, pattern in members[i : i + MATCHER_CHUNK]:
                by_key.setdefault(key, []).append(pattern)
                group_of[(key, number)] = index
            if len(by_key) > 1:
                shared[index] = [
                    (key, predicates.encode(pattern))
                    for key, patterns in by_key.items()
                    for pattern in patterns
                ]
            if not required:
                always.append(index)
            for word in anchor:
                by_word.setdefault(word, []).append(index)
            index += 1
    legacy = {"by_word": by_word, "always": always, "shared": shared, "symbols": symbols}
    return legacy, group_of


def compile_pipeline(rules_path: str | Path | None = None) -> dict[str, Any]:
    """Compile rules.yml into the data ``ConcernPipeline`` runs on (needs spaCy)."""
    from actions.concerns import rules_schema

    path = Path(rules_path) if rules_path else DEFAULT_RULES_PATH
    ruleset = rules_schema.load_rules(path)
    _import_spacy_without_tensorflow()  # before any "from spacy... import"
    tokenizer_spec = spacy_tokenizer_spec()
    tokenizer = Tokenizer(tokenizer_spec)
    tokenizer_spec["phrases"] = sorted(
        tokenizer.special_phrases(tokenizer_spec["faster_heuristics"])
    )
    _check_tokenizer(
        tokenizer,
        [
            *_TOKENIZER_SAMPLES,
            *(rule.example for rule in ruleset.rules),
            *(text for rule in ruleset.rules for text in rule.counter_examples),
        ],
    )
    compiler = PatternCompiler(ruleset, tokenizer)
    keyed: list[tuple[str, list[list[dict]]]] = []
    # Each compiled pattern's own bound: "a _*3 b" may cover five tokens, whatever the
    # rule's other patterns allow (one bound per key let a long sibling pattern stretch
    # the wildcards: "scared of ... _*3 shouting" matched across eight tokens).
    pattern_bounds: list[list[int]] = []
    keys: list[tuple[str, int, int]] = []
    for number, rule in enumerate(ruleset.rules):
        for kind, (suffix, texts) in enumerate(
            (
                ("", rule.patterns),
                (UNLESS_SUFFIX, rule.unless),
                (REQUIRES_SUFFIX, rule.requires),
                (UNLESS_IN_TEXT_SUFFIX, rule.unless_in_text),
            )
        ):
            if texts:
                compiled, bounds = [], []
                for text in texts:
                    patterns = compiler.compile_pattern(text, rule.id)
                    compiled += patterns
                    bounds += [compiler.max_span(text, rule.id)] * len(patterns)
                keyed.append((rule.id + suffix, compiled))
                pattern_bounds.append(bounds)
                keys.append((rule.id + suffix, number, kind))
    predicates = _Predicates()
    legacy, group_of = _legacy_groups(keyed, predicates)
    terminals: dict[tuple[int, int, int], int] = {}
    entries = []
    for key, (_, patterns) in enumerate(keyed):
        for number, pattern in enumerate(patterns):
            identity = (key, group_of[(key, number)], pattern_bounds[key][number])
            terminal = terminals.setdefault(identity, len(terminals))
            entries.append((terminal, predicates.encode(pattern)))
    concerns = _build_automaton(entries, max(max(bounds) for bounds in pattern_bounds))
    context_entries = [
        (number, predicates.encode(p))
        for number, rule in enumerate(ruleset.context)
        for text in rule.patterns
        for p in compiler.compile_pattern(text, rule.id)
    ]
    unbounded = any(q == ZERO_PLUS for _, p in context_entries for _, q in p)
    context = _build_automaton(
        context_entries, None if unbounded else max(len(p) for _, p in context_entries)
    )
    return {
        "format": CACHE_FORMAT,
        "rules_path": str(path),
        "tokenizer": tokenizer_spec,
        "preds": predicates.specs,
        "concerns": concerns,
        "context": context,
        "legacy": legacy,
        "terminals": sorted(terminals, key=terminals.__getitem__),
        "keys": keys,
        "rules": [
            (
                rule.id,
                rule.code,
                rule.urgent,
                rule.who,
                tuple(sorted(rule.cancelled_by)),
                rule.unless_scope,
                bool(rule.requires),
                rule.requires_scope,
                rule.pronoun_is_child,
                rule.reads_only,
            )
            for rule in ruleset.rules
        ],
        "context_rules": [
            (rule.id, rule.category, rule.direction, rule.window) for rule in ruleset.context
        ],
        "mentions": [(kind, tuple(sorted(words))) for kind, words in ruleset.mentions.items()],
        "not_names": tuple(ruleset.lexicon.get("not_names", ())),
        "adult_men": tuple(ruleset.lexicon.get("pronoun_man", ())),
        "one_child": tuple(ruleset.lexicon.get("one_child", ())),
        "fathers": tuple(ruleset.lexicon.get("pronoun_father", ())),
        "name_followed_by": tuple(sorted(ruleset.name_followed_by)),
        "passive_aux": tuple(sorted(ruleset.passive_aux)),
        "cancellers": tuple(rules_schema.CANCELLERS),
    }


# --------------------------------------------------------------------------- the cache


def _package_files() -> list[Path]:
    """Files whose content stands for the installed spaCy and spacy-lookups-data versions
    (found without importing either)."""
    files = []
    for name in ("spacy", "spacy_lookups_data"):
        spec = importlib.util.find_spec(name)
        locations = list(spec.submodule_search_locations or ()) if spec else []
        files.append(Path(locations[0]) / "about.py" if locations else Path(f"<no {name}>"))
    return files


def cache_key(rules_path: Path) -> str:
    """What a compiled pipeline depends on: the rules, the compiler, spaCy, Python."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{sys.version}\0".encode())
    digest.update(rules_path.read_bytes())  # OSError if the rules cannot be read
    for path in (*COMPILER_SOURCES, *_package_files()):
        digest.update(f"\0{path.name}\0".encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def cache_file(cache_dir: Path, rules_path: Path, key: str) -> Path:
    tag = hashlib.sha256(str(rules_path.resolve()).encode()).hexdigest()[:12]
    return Path(cache_dir) / f"concerns-{tag}-{key[:24]}.bin"


def _header(key: str) -> bytes:
    return CACHE_MAGIC + key.encode() + b"\n"


def load_cached(path: Path, key: str) -> dict[str, Any] | None:
    """The cached compiled pipeline, or None if missing, stale or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = _header(key)
    digest, body = data[len(header) : len(header) + 32], data[len(header) + 32 :]
    if not data.startswith(header) or hashlib.sha256(body).digest() != digest:
        logger.info("concern pipeline cache %s is stale or damaged; recompiling", path)
        return None
    try:
        payload = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    return payload if isinstance(payload, dict) else None


def save_cached(path: Path, key: str, payload: dict[str, Any]) -> None:
    """Write the cache atomically, and remove older caches of the same rules file."""
    body = marshal.dumps(payload)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(_header(key) + hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    prefix = path.name[: -len(key[:24]) - len(".bin")]
    for old in path.parent.glob(f"{prefix}*.bin"):
        if old != path:
            old.unlink(missing_ok=True)


def build_pipeline(
    rules_path: str | Path = "", cache_dir: str | Path | None = None
) -> ConcernPipeline:
    """The concern pipeline for a rules file (default ``rules.yml``).

    With ``cache_dir``, a compiled pipeline cached there for exactly these rules (and this
    code, spaCy and Python) is loaded instead of compiling; a missing, stale or damaged
    cache is compiled and written again. Without it, the rules are always compiled.
    """
    path = Path(rules_path) if rules_path else DEFAULT_RULES_PATH
    if cache_dir is None:
        return ConcernPipeline(compile_pipeline(path))
    try:
        key = cache_key(path)
    except OSError:
        return ConcernPipeline(compile_pipeline(path))  # raises RulesError: cannot be read
    file = cache_file(Path(cache_dir), path, key)
    payload = load_cached(file, key)
    if payload is not None:
        try:
            return ConcernPipeline(payload)
        except Exception:  # noqa: BLE001  (whatever is wrong with it, compile afresh)
            logger.warning("ignoring a concern pipeline cache that does not load: %s", file)
    payload = compile_pipeline(path)
    pipeline = ConcernPipeline(payload)
    try:
        if cache_key(path) == key:  # the rules did not change while compiling
            save_cached(file, key, payload)
    except OSError as error:
        logger.info("could not write the concern pipeline cache %s: %s", file, error)
    return pipeline
