"""Load and check the free-text concern rules (``rules.yml``).

The rules are data so that a practice lead can add a phrasing without touching code. They
are checked on load: a malformed rule fails at once with a message naming the rule and the
problem, instead of silently never matching in a debrief.

Patterns use a small token language (documented at the top of ``rules.yml``). This module
parses it into ``TokenSpec`` sequences; ``pipeline.py`` turns those into spaCy Matcher
patterns. Nothing here imports spaCy, so the rules can be checked cheaply.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.bank.schema import TAXONOMY_CODES

DEFAULT_RULES_PATH = Path(__file__).with_name("rules.yml")
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available

CONTEXT_CATEGORIES = (
    "negation",
    "pseudo",
    "hedge",
    "past",
    "hypothetical",
    "terminate",
    "new_clause",
    "negation_end",
    "sentence",
)
DIRECTIONS = ("forward", "backward", "both", "none")
CANCELLERS = ("negation", "past", "hypothetical")
WHO_VALUES = ("any", "worker", "family", "adult")
UNLESS_SCOPES = ("clause", "sentence", "text")
MENTION_KINDS = ("worker", "family", "child", "other")
SPECIALS = ("name", "num")
MAX_WILDCARDS = 12
MAX_EXPANSIONS = 4000
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
RULE_KEYS = {
    "id",
    "code",
    "patterns",
    "example",
    "who",
    "cancelled_by",
    "unless",
    "unless_scope",
    "unless_in_text",
    "requires",
    "requires_scope",
    "urgent",
    "pronoun_is_child",
    "reads_only",
    "counter_examples",
    "note",
}
CONTEXT_KEYS = {"id", "category", "direction", "window", "patterns", "note"}
TOP_KEYS = {"version", "settings", "lexicon", "macros", "mentions", "context", "rules"}


class RulesError(ValueError):
    """rules.yml is malformed; the message names the file, the rule and the problem."""

    def __init__(self, path: Path | str, rule_id: str | None, problem: str):
        where = f"{path}: rule '{rule_id}'" if rule_id else f"{path}"
        super().__init__(f"{where}: {problem}")
        self.path, self.rule_id, self.problem = path, rule_id, problem


@dataclass(frozen=True)
class TokenSpec:
    """One token position: ``kind`` is lower | lemma | wild | special."""

    kind: str
    values: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class ContextRule:
    id: str
    category: str
    direction: str
    window: int
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class ConcernRule:
    id: str
    code: str
    patterns: tuple[str, ...]
    example: str
    who: str = "any"
    cancelled_by: frozenset[str] = frozenset(CANCELLERS)
    unless: tuple[str, ...] = ()
    unless_scope: str = "sentence"
    # cancel the hit when found anywhere in the text, whatever unless_scope says
    unless_in_text: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    requires_scope: str = "sentence"
    urgent: bool = False
    # "him" in the hit must be the child: not the man named nearest to it
    pronoun_is_child: bool = False
    # never raises: a hit that would have been kept marks the code as read and declined
    reads_only: bool = False
    counter_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    path: Path
    lexicon: Mapping[str, tuple[str, ...]]
    macros: Mapping[str, str]
    mentions: Mapping[str, frozenset[str]]
    name_followed_by: frozenset[str]
    passive_aux: frozenset[str]
    wildcard_stop: frozenset[str]
    context: tuple[ContextRule, ...]
    rules: tuple[ConcernRule, ...]
    _parsed: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def rule(self, rule_id: str) -> ConcernRule:
        return next(r for r in self.rules if r.id == rule_id)

    def parse(self, pattern: str, rule_id: str) -> list[list[TokenSpec]]:
        """Every token sequence a pattern stands for (groups and macros expanded).

        Parsed once per rule set: loading checks every pattern and compiling reuses it.
        """
        key = (pattern, rule_id)
        if key not in self._parsed:
            self._parsed[key] = parse_pattern(pattern, self, rule_id)
        return self._parsed[key]


# --------------------------------------------------------------------------- loading


def load_rules(path: Path | str | None = None) -> RuleSet:
    path = Path(path or DEFAULT_RULES_PATH)
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise RulesError(path, None, f"cannot be read: {error}") from error
    if not isinstance(document, dict):
        raise RulesError(path, None, "expected a mapping with 'lexicon', 'context' and 'rules'")
    _check_keys(document, TOP_KEYS, path, None)
    settings = _mapping(document.get("settings", {}), path, "settings")
    lexicon = _parse_lexicon(document.get("lexicon"), path)
    mentions = _parse_mentions(document.get("mentions"), path)
    ruleset = RuleSet(
        path=path,
        lexicon=lexicon,
        macros=_parse_macros(document.get("macros", {}), path),
        mentions=mentions,
        name_followed_by=frozenset(_words(settings.get("name_followed_by", []), path)),
        passive_aux=frozenset(_words(settings.get("passive_aux", []), path)),
        wildcard_stop=frozenset(_words(settings.get("wildcard_stop", []), path)),
        context=tuple(_parse_context(c, path) for c in _list(document, "context", path)),
        rules=tuple(_parse_rule(r, path) for r in _list(document, "rules", path)),
    )
    _check_ruleset(ruleset)
    return ruleset


@lru_cache(maxsize=4)
def cached_rules(path: str | None = None) -> RuleSet:
    """The rule set, parsed once per process per path (the pipeline and tests share it)."""
    return load_rules(Path(path) if path else None)


def _check_keys(entry: Mapping[str, Any], allowed: set[str], path: Path, rule_id: str | None):
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise RulesError(path, rule_id, f"unknown keys {unknown}; allowed: {sorted(allowed)}")


def _mapping(value: Any, path: Path, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RulesError(path, None, f"'{name}' must be a mapping")
    return value


def _list(document: Mapping[str, Any], key: str, path: Path) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list) or not value:
        raise RulesError(path, None, f"'{key}' must be a non-empty list")
    return value


def _words(value: Any, path: Path, rule_id: str | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise RulesError(path, rule_id, f"expected a list of words, got {value!r}")
    return [" ".join(w.lower().split()) for w in value]


def _parse_lexicon(value: Any, path: Path) -> dict[str, tuple[str, ...]]:
    lexicon = {}
    for name, words in _mapping(value, path, "lexicon").items():
        if not IDENTIFIER.match(str(name)):
            raise RulesError(path, None, f"lexicon name {name!r} must be snake_case")
        lexicon[name] = tuple(dict.fromkeys(_words(words, path, f"lexicon.{name}")))
    return lexicon


def _parse_macros(value: Any, path: Path) -> dict[str, str]:
    macros = {}
    for name, text in _mapping(value, path, "macros").items():
        if not IDENTIFIER.match(str(name)) or not isinstance(text, str) or not text.strip():
            raise RulesError(path, f"macros.{name}", "a macro is a snake_case name and a pattern")
        macros[name] = text
    return macros


def _parse_mentions(value: Any, path: Path) -> dict[str, frozenset[str]]:
    mentions = _mapping(value, path, "mentions")
    missing = [k for k in MENTION_KINDS if k not in mentions]
    if missing or set(mentions) - set(MENTION_KINDS):
        raise RulesError(path, None, f"'mentions' must list exactly {list(MENTION_KINDS)}")
    return {k: frozenset(_words(mentions[k], path, f"mentions.{k}")) for k in MENTION_KINDS}


def _patterns(entry: Mapping[str, Any], path: Path, rule_id: str) -> tuple[str, ...]:
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise RulesError(path, rule_id, "'patterns' must be a non-empty list")
    if not all(isinstance(p, str) and p.strip() for p in patterns):
        raise RulesError(path, rule_id, "every pattern must be a non-empty string")
    return tuple(" ".join(p.split()) for p in patterns)


def _rule_id(entry: Any, path: Path, kind: str) -> str:
    if not isinstance(entry, dict):
        raise RulesError(path, None, f"each {kind} entry must be a mapping")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not IDENTIFIER.match(rule_id):
        raise RulesError(path, str(rule_id), "'id' must be dotted snake_case, e.g. unseen.asleep")
    return rule_id


def _choice(entry: Mapping[str, Any], key: str, allowed, default, path: Path, rule_id: str):
    value = entry.get(key, default)
    if value not in allowed:
        raise RulesError(path, rule_id, f"'{key}' is {value!r}; expected one of {list(allowed)}")
    return value


def _parse_context(entry: Any, path: Path) -> ContextRule:
    rule_id = _rule_id(entry, path, "context")
    _check_keys(entry, CONTEXT_KEYS, path, rule_id)
    window = entry.get("window", 0)
    if not isinstance(window, int) or window < 0:
        raise RulesError(path, rule_id, "'window' must be a whole number of tokens")
    return ContextRule(
        id=rule_id,
        category=_choice(entry, "category", CONTEXT_CATEGORIES, None, path, rule_id),
        direction=_choice(entry, "direction", DIRECTIONS, "none", path, rule_id),
        window=window,
        patterns=_patterns(entry, path, rule_id),
    )


def _parse_rule(entry: Any, path: Path) -> ConcernRule:
    rule_id = _rule_id(entry, path, "rule")
    _check_keys(entry, RULE_KEYS, path, rule_id)
    code = entry.get("code")
    if code not in TAXONOMY_CODES:
        raise RulesError(path, rule_id, f"code {code!r} is not a taxonomy code")
    example = entry.get("example")
    if not isinstance(example, str) or not example.strip():
        raise RulesError(path, rule_id, "every rule needs an 'example' sentence that raises it")
    cancelled_by = entry.get("cancelled_by", list(CANCELLERS))
    if not isinstance(cancelled_by, list) or set(cancelled_by) - set(CANCELLERS):
        raise RulesError(path, rule_id, f"'cancelled_by' must be a list from {list(CANCELLERS)}")
    flags = ("urgent", "pronoun_is_child", "reads_only")
    urgent, pronoun_is_child, reads_only = (entry.get(key, False) for key in flags)
    for key, value in zip(flags, (urgent, pronoun_is_child, reads_only), strict=True):
        if not isinstance(value, bool):
            raise RulesError(path, rule_id, f"'{key}' must be true or false")
    counter = entry.get("counter_examples", [])
    if not isinstance(counter, list) or not all(isinstance(c, str) for c in counter):
        raise RulesError(path, rule_id, "'counter_examples' must be a list of sentences")
    unless, in_text, requires = (
        entry.get(key, []) for key in ("unless", "unless_in_text", "requires")
    )
    for key, value in (("unless", unless), ("unless_in_text", in_text), ("requires", requires)):
        if not isinstance(value, list) or not all(isinstance(u, str) and u.strip() for u in value):
            raise RulesError(path, rule_id, f"'{key}' must be a list of patterns")
    return ConcernRule(
        id=rule_id,
        code=code,
        patterns=_patterns(entry, path, rule_id),
        example=example,
        who=_choice(entry, "who", WHO_VALUES, "any", path, rule_id),
        cancelled_by=frozenset(cancelled_by),
        unless=tuple(" ".join(u.split()) for u in unless),
        unless_scope=_choice(entry, "unless_scope", UNLESS_SCOPES, "sentence", path, rule_id),
        unless_in_text=tuple(" ".join(u.split()) for u in in_text),
        requires=tuple(" ".join(r.split()) for r in requires),
        requires_scope=_choice(entry, "requires_scope", UNLESS_SCOPES, "sentence", path, rule_id),
        urgent=urgent,
        pronoun_is_child=pronoun_is_child,
        reads_only=reads_only,
        counter_examples=tuple(counter),
    )


def _check_ruleset(ruleset: RuleSet) -> None:
    """Whole-file checks: unique ids, every taxonomy code covered, every pattern parses."""
    path = ruleset.path
    ids = [r.id for r in ruleset.context] + [r.id for r in ruleset.rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RulesError(path, duplicates[0], "the id is used more than once")
    uncovered = sorted(TAXONOMY_CODES - {r.code for r in ruleset.rules})
    if uncovered:
        raise RulesError(path, None, f"taxonomy codes with no rule: {uncovered}")
    for rule in ruleset.context:
        for pattern in rule.patterns:
            ruleset.parse(pattern, rule.id)
    for rule in ruleset.rules:
        for pattern in rule.patterns + rule.unless + rule.unless_in_text + rule.requires:
            ruleset.parse(pattern, rule.id)


# --------------------------------------------------------------------------- patterns


def parse_pattern(pattern: str, ruleset: RuleSet, rule_id: str) -> list[list[TokenSpec]]:
    """Parse the token language into its alternative TokenSpec sequences."""
    path = ruleset.path
    text = _expand_macros(pattern, ruleset.macros, path, rule_id)
    words = text.replace("(", " ( ").replace(")", " ) ").split()
    words = _attach_group_suffixes(words)
    _check_no_adjacent_choices(words, pattern, path, rule_id)
    position = 0

    def sequence(depth: int) -> list[list[TokenSpec]]:
        nonlocal position
        alternatives: list[list[list[TokenSpec]]] = [[]]
        while position < len(words):
            word = words[position]
            if word in (")", ")?"):
                if depth == 0:
                    raise RulesError(path, rule_id, f"unbalanced ')' in {pattern!r}")
                return _join_alternatives(alternatives)
            position += 1
            if word == "|":
                if depth == 0:
                    raise RulesError(path, rule_id, f"'|' outside a group in {pattern!r}")
                alternatives.append([])
            elif word == "(":
                inner = _merge_single_words(sequence(depth + 1))
                optional = words[position] == ")?"
                position += 1
                if optional and _all_plain(inner):
                    alternatives[-1].append([_optional_positions(inner)])
                else:
                    alternatives[-1].append(inner + [[]] if optional else inner)
            else:
                for spec in _token_specs(word, ruleset, rule_id):
                    alternatives[-1].append([[spec]])
        if depth:
            raise RulesError(path, rule_id, f"unclosed '(' in {pattern!r}")
        return _join_alternatives(alternatives)

    sequences = sequence(0)
    if len(sequences) > MAX_EXPANSIONS:
        raise RulesError(path, rule_id, f"pattern {pattern!r} expands to too many alternatives")
    for seq in sequences:
        _check_sequence(seq, pattern, path, rule_id)
    return sequences


def _is_choice_word(word: str) -> bool:
    return "|" in word and word != "|"


def _check_no_adjacent_choices(words: list[str], pattern: str, path: Path, rule_id: str) -> None:
    """Reject two "a|b" words in a row: "close|step down|stepping down" reads as the
    sequence (close|step) (down|stepping) (down), not as the choice it looks like (round
    23 shipped one)."""
    for first, second in itertools.pairwise(words):
        if _is_choice_word(first) and _is_choice_word(second):
            raise RulesError(
                path,
                rule_id,
                f"{first!r} then {second!r} in {pattern!r}: write a multi-word choice as"
                " '( a b | c )' and a run of choices as '( a | b ) ( c | d )'",
            )


def _merge_single_words(sequences: list[list[TokenSpec]]) -> list[list[TokenSpec]]:
    """Fold a group's plain-word alternatives of the same length into one sequence.

    ``( on | to | with )`` becomes one token position, and ``( did n't | do n't | is n't )``
    two positions (did|do|is, n't), instead of three patterns each: this keeps the number
    of Matcher patterns (and so matching time) small. Folding can admit a mix of the
    alternatives ("is n't" and "did not" also allow "is not"), which is harmless for
    groups of near-synonyms as rules are written. Alternatives with lemmas, specials,
    wildcards or optional words stay separate.
    """
    by_length: dict[int, list[list[TokenSpec]]] = {}
    rest: list[list[TokenSpec]] = []
    for seq in sequences:
        if seq and all(spec.kind == "lower" and not spec.optional for spec in seq):
            by_length.setdefault(len(seq), []).append(seq)
        else:
            rest.append(seq)
    merged = []
    for _length, group in sorted(by_length.items()):
        for cluster in _clusters(group):
            merged.append(
                [
                    TokenSpec("lower", _union(seq[i].values for seq in cluster))
                    for i in range(len(cluster[0]))
                ]
            )
    return merged + rest


def _union(value_lists) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for values in value_lists for v in values))


def _clusters(group: list[list[TokenSpec]]) -> list[list[list[TokenSpec]]]:
    """Same-length sequences that differ in one position only ("did n't" / "was n't").

    Only those are folded: folding "come to | get back" would also admit "get to".
    """
    clusters: dict[tuple, list[list[TokenSpec]]] = {}
    order: list[tuple] = []
    for seq in group:
        length = len(seq)
        keys = [(k, tuple(seq[i].values for i in range(length) if i != k)) for k in range(length)]
        key = next((k for k in keys if k in clusters), None)
        if key is None:
            key = keys[0] if length == 1 else keys[-1]
            clusters[key] = []
            order.append(key)
        clusters[key].append(seq)
    return [clusters[k] for k in order]


def _all_plain(sequences: list[list[TokenSpec]]) -> bool:
    return all(
        seq and all(spec.kind == "lower" and not spec.optional for spec in seq) for seq in sequences
    )


def _optional_positions(sequences: list[list[TokenSpec]]) -> list[TokenSpec]:
    """An optional group of plain words as optional positions, aligned on the left.

    ``( had been | has been | is )?`` becomes ``had|has|is? been?``: one Matcher pattern
    instead of four. It also admits odd mixes ("is been"); for the optional filler words
    these groups hold, that only makes the pattern a little more forgiving.
    """
    length = max(len(seq) for seq in sequences)
    return [
        TokenSpec(
            "lower",
            tuple(dict.fromkeys(v for seq in sequences if i < len(seq) for v in seq[i].values)),
            optional=True,
        )
        for i in range(length)
    ]


def _attach_group_suffixes(words: list[str]) -> list[str]:
    """Turn ') ?' into ')?' so an optional group is one marker."""
    out: list[str] = []
    for word in words:
        if word.startswith("?") and out and out[-1] == ")":
            out[-1] = ")?"
            word = word[1:]
            if not word:
                continue
        out.append(word)
    return out


def _join_alternatives(alternatives: list[list[list[list[TokenSpec]]]]) -> list[list[TokenSpec]]:
    """Each alternative is a list of slots, each slot a list of options; expand them all."""
    result: list[list[TokenSpec]] = []
    for slots in alternatives:
        for combo in itertools.product(*slots) if slots else [()]:
            result.append([spec for option in combo for spec in option])
    return result


def _expand_macros(pattern: str, macros: Mapping[str, str], path: Path, rule_id: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise RulesError(path, rule_id, f"unknown macro ${name}")
        return f"( {macros[name]} )"

    for _ in range(3):  # macros may use macros, a little
        pattern = re.sub(r"\$([a-z][a-z0-9_]*)", replace, pattern)
    if "$" in pattern:
        raise RulesError(path, rule_id, "macros nest too deeply")
    return pattern


def _token_specs(word: str, ruleset: RuleSet, rule_id: str) -> list[TokenSpec]:
    path = ruleset.path
    optional = word.endswith("?") and len(word) > 1
    body = word[:-1] if optional else word
    wild = re.fullmatch(r"_(?:\*(\d+))?", body)
    if wild:
        count = int(wild.group(1) or 1)
        if not 1 <= count <= MAX_WILDCARDS:
            raise RulesError(path, rule_id, f"wildcard {word!r} must allow 1..{MAX_WILDCARDS}")
        return [TokenSpec("wild", optional=optional or wild.group(1) is not None)] * count
    if body.startswith("@"):
        if body[1:] not in SPECIALS:
            raise RulesError(path, rule_id, f"unknown special {body!r}; known: {SPECIALS}")
        return [TokenSpec("special", (body[1:],), optional)]
    kind = "lemma" if body.startswith("~") else "lower"
    values: list[str] = []
    for alt in body.lstrip("~").split("|"):
        values += _alternative(alt, ruleset, rule_id, word)
    return [TokenSpec(kind, tuple(dict.fromkeys(values)), optional)]


def _alternative(alt: str, ruleset: RuleSet, rule_id: str, word: str) -> list[str]:
    if not alt:
        raise RulesError(ruleset.path, rule_id, f"empty alternative in {word!r}")
    if alt.startswith("%"):
        if alt[1:] not in ruleset.lexicon:
            raise RulesError(ruleset.path, rule_id, f"unknown lexicon {alt!r} in {word!r}")
        return list(ruleset.lexicon[alt[1:]])
    if any(ch in alt for ch in "~%@()"):
        raise RulesError(ruleset.path, rule_id, f"cannot mix markers inside {word!r}")
    return [alt.lower()]


def _check_sequence(seq: list[TokenSpec], pattern: str, path: Path, rule_id: str) -> None:
    if not seq:
        raise RulesError(path, rule_id, f"pattern {pattern!r} can match nothing")
    if seq[0].kind == "wild" or seq[-1].kind == "wild":
        # A leading or trailing wildcard only widens the evidence and moves the negation
        # window, so it is always a mistake.
        raise RulesError(path, rule_id, f"pattern {pattern!r} starts or ends with a wildcard")
    if all(spec.optional for spec in seq):
        raise RulesError(path, rule_id, f"pattern {pattern!r} has only optional tokens")
