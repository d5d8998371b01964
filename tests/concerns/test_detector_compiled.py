"""The compiled concern pipeline: its cache, and the ports of spaCy it runs on.

The rules are compiled once for the module, from a copy of rules.yml (the file may be
edited while the tests run).
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from actions.concerns import pipeline as P
from actions.concerns.detector import concerns_from_doc
from actions.concerns.rules_schema import load_rules

ROOT = Path(__file__).resolve().parents[2]
CORPORA = (
    ROOT / "tests" / "concerns" / "dev_accounts.jsonl",
    ROOT / "tests" / "concerns" / "own_heldout.jsonl",
    ROOT.parent / "shared" / "concerns" / "examples.jsonl",
)
ODD_PIECES = [
    "didn't", "don't", "can't", "wasnae", "Mum's", "(", ")", "...", "!", "?", ";", ":)",
    ":-(", "—", "–", "\u2019s", "n\u2019t", "“", "”", "'", '"', "10a.m.", "5pm", "e.g.",
    "U.K.", "  ", "\n", "\t", "\u00a0", "https://x.org/a?b=1", "3rd", "1,000", "two", "Kyle",
    "KYLE", "-", "/", "&", "x-ray", "Mr.", "o'clock", "'cause", "’’", "''", "😀", "ß", "ǅ",
]  # fmt: skip


def corpus_texts() -> list[str]:
    texts = []
    for path in CORPORA:
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def fuzz_texts(words: list[str], n: int, seed: int = 3) -> list[str]:
    """Debrief words shuffled with punctuation, odd spacing, case and unicode."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 30)):
            word = rng.choice(words) if rng.random() < 0.75 else rng.choice(ODD_PIECES)
            roll = rng.random()
            if roll < 0.1:
                word = word.upper()
            elif roll < 0.2:
                word = word.capitalize()
            elif roll < 0.25:
                word += rng.choice(".,;:!?)'\"")
            elif roll < 0.3:
                word = rng.choice("(\"'“") + word
            parts += [word, rng.choice([" ", " ", " ", "", "  ", "\n", " \n "])]
        texts.append("".join(parts))
    return texts


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("rules") / "rules.yml"
    shutil.copyfile(P.DEFAULT_RULES_PATH, copy)
    return copy


@pytest.fixture(scope="module")
def payload(rules) -> dict:
    return P.compile_pipeline(rules)


@pytest.fixture(scope="module")
def fresh(payload) -> P.ConcernPipeline:
    return P.ConcernPipeline(payload)


@pytest.fixture(scope="module")
def texts(rules) -> list[str]:
    ruleset = load_rules(rules)
    base = corpus_texts()
    base += [rule.example for rule in ruleset.rules]
    base += [text for rule in ruleset.rules for text in rule.counter_examples]
    return base + fuzz_texts([w for t in base for w in t.split()], 1000)


@pytest.fixture(scope="module")
def nlp():
    return P._import_spacy_without_tensorflow().blank("en")


def view(doc: P.ConcernDoc) -> tuple:
    hits = [
        (h.rule.id, h.start, h.end, h.blocked_by, h.negated, h.past, h.hypothetical, h.hedged,
         h.experiencer)
        for h in doc.concern_hits
    ]  # fmt: skip
    unless = {key: sorted(set(spans)) for key, spans in doc.concern_unless.items()}
    return hits, unless, concerns_from_doc(doc)


def no_compiling(*args, **kwargs):
    raise AssertionError("compiled again instead of using the cache")


# --------------------------------------------------------------------------- the cache


def test_cached_pipeline_gives_the_same_output_as_a_fresh_compile(
    rules, payload, fresh, texts, tmp_path, monkeypatch
):
    monkeypatch.setattr(P, "compile_pipeline", lambda path: payload)  # the module's compile
    P.build_pipeline(rules, tmp_path)  # no cache yet: "compiles", and writes it
    (cache,) = tmp_path.glob("concerns-*.bin")
    monkeypatch.setattr(P, "compile_pipeline", no_compiling)
    cached = P.build_pipeline(rules, tmp_path)
    for text in texts:
        assert view(cached(text)) == view(fresh(text)), text
    assert list(tmp_path.glob("concerns-*.bin")) == [cache]


def test_a_damaged_cache_is_never_loaded(rules, payload, tmp_path):
    key = P.cache_key(rules)
    file = P.cache_file(tmp_path, rules, key)
    P.save_cached(file, key, payload)
    good = file.read_bytes()
    assert P.load_cached(file, key) == payload
    middle = len(good) // 2
    damaged = {
        "empty": b"",
        "truncated": good[:middle],
        "one byte flipped": good[:middle] + bytes([good[middle] ^ 1]) + good[middle + 1 :],
        "random bytes": random.Random(1).randbytes(len(good)),
        "another key": good.replace(key.encode(), b"0" * len(key), 1),
    }
    for name, data in damaged.items():
        file.write_bytes(data)
        assert P.load_cached(file, key) is None, name
    assert P.load_cached(tmp_path / "missing.bin", key) is None


def test_a_damaged_or_foreign_cache_is_compiled_again(rules, payload, texts, tmp_path, monkeypatch):
    compiled = []
    monkeypatch.setattr(P, "compile_pipeline", lambda path: compiled.append(path) or payload)
    key = P.cache_key(rules)
    file = P.cache_file(tmp_path, rules, key)
    sample = texts[::20]
    pipeline = P.ConcernPipeline(payload)
    expected = [view(pipeline(t)) for t in sample]
    for content in (b"garbage", None):
        if content is None:  # intact, but not a pipeline this code can run
            P.save_cached(file, key, {"format": P.CACHE_FORMAT, "tokenizer": "?"})
        else:
            file.write_bytes(content)
        pipeline = P.build_pipeline(rules, tmp_path)
        assert [view(pipeline(t)) for t in sample] == expected
        assert P.load_cached(file, key) == payload  # written again, intact
    assert len(compiled) == 2


def test_changed_rules_get_a_new_cache_and_the_old_one_is_removed(
    rules, payload, tmp_path, monkeypatch
):
    monkeypatch.setattr(P, "compile_pipeline", lambda path: payload)
    edited = tmp_path / "rules.yml"
    shutil.copyfile(rules, edited)
    P.build_pipeline(edited, tmp_path / "cache")
    (before,) = (tmp_path / "cache").glob("concerns-*.bin")
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    P.build_pipeline(edited, tmp_path / "cache")
    (after,) = (tmp_path / "cache").glob("concerns-*.bin")
    assert after != before


def test_an_unwritable_cache_directory_still_gives_a_pipeline(
    rules, payload, tmp_path, monkeypatch
):
    monkeypatch.setattr(P, "compile_pipeline", lambda path: payload)
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x", encoding="utf-8")
    pipeline = P.build_pipeline(rules, not_a_directory)
    assert concerns_from_doc(pipeline("I didn't get to see Kyle alone."))


# --------------------------------------------------------------------------- spaCy, ported


def test_tokenizer_port_gives_spacys_tokens_and_offsets(fresh, texts, nlp):
    for text in texts:
        doc = nlp.make_doc(text)
        assert fresh.tokenizer(text) == ([t.text for t in doc], [t.idx for t in doc]), text


def test_tokenizer_port_gives_spacys_tokens_for_glued_special_cases(fresh, nlp):
    """Special cases ("10a.m.", ":)", "'s", "o'clock", ...) run together with words and
    punctuation: the affix splitting and spaCy's final special-case pass at their hardest."""
    rng = random.Random(5)
    specials = sorted(fresh.tokenizer.specials)
    pieces = ["it", "a", "Mum", "x", "10", "said", "'", "(", ")", ":", ".", ",", "-", "/", "s"]
    for _ in range(4000):
        parts = []
        for _ in range(rng.randint(1, 8)):
            parts.append(rng.choice(specials) if rng.random() < 0.5 else rng.choice(pieces))
            parts.append(rng.choice(["", "", "", " ", "  ", "\n"]))
        text = "".join(parts)
        doc = nlp.make_doc(text)
        assert fresh.tokenizer(text) == ([t.text for t in doc], [t.idx for t in doc]), text


def test_string_hash_and_like_num_are_spacys(nlp, texts):
    from spacy.lang.en.lex_attrs import like_num
    from spacy.symbols import IDS

    symbols = dict(IDS)

    words = {w for text in texts[:2000] for w in text.split()} | {"a" * n for n in range(1, 20)}
    words |= {"mark", "neg", "root", "case", "det", "punct", "Mark"}
    for word in words:
        assert P.string_id(word, symbols) == nlp.vocab.strings.add(word), word
        assert P.like_num(word) == like_num(word), word
    for word in ("12", "-3", "1,000.5", "3/4", "twenty", "Fifth", "21st", "x1", "1/2/3"):
        assert P.like_num(word) == like_num(word), word


def sample_patterns(rules: Path, fresh: P.ConcernPipeline, every: int):
    """A deterministic sample of the compiled patterns, keyed by rule (and context rule)."""
    ruleset = load_rules(rules)
    compiler = P.PatternCompiler(ruleset, fresh.tokenizer)
    keyed = []
    for rule in (*ruleset.rules, *ruleset.context):
        patterns = [p for text in rule.patterns for p in compiler.compile_pattern(text, rule.id)]
        keyed.append((rule.id, patterns[::every]))
    return keyed


def test_automaton_finds_every_match_spacys_matcher_finds(rules, fresh, texts, nlp):
    from spacy.matcher import Matcher

    keyed = sample_patterns(rules, fresh, every=30)
    matcher = Matcher(nlp.vocab, validate=False)
    predicates = P._Predicates()
    entries = []
    for key, (name, patterns) in enumerate(keyed):
        matcher.add(name, patterns)
        entries += [(key, predicates.encode(p)) for p in patterns]
    symbols = P.Symbols(predicates.specs)
    automaton = P.Automaton(P._build_automaton(entries, None), symbols)
    strings = nlp.vocab.strings
    for text in texts[::2]:
        doc = nlp.make_doc(text)
        expected = {(strings[m], s, e) for m, s, e in matcher(doc)}
        found = automaton.find(symbols.ids([t.text for t in doc]))
        assert {(keyed[k][0], s, e) for keys, s, e in found for k in keys} == expected, text


def test_matcher_port_reports_matches_in_spacys_order(rules, fresh, texts, nlp):
    from spacy.matcher import Matcher

    keyed = sample_patterns(rules, fresh, every=100)
    matcher = Matcher(nlp.vocab, validate=False)
    predicates = P._Predicates()
    ported = []
    for key, (name, patterns) in enumerate(keyed):
        matcher.add(name, patterns)
        ported += [(key, predicates.encode(p)) for p in patterns]
    symbols = P.Symbols(predicates.specs)
    strings = nlp.vocab.strings
    for text in texts[::5]:
        doc = nlp.make_doc(text)
        expected = [(strings[m], s, e) for m, s, e in matcher(doc)]
        sats = [symbols.sats[sid] for sid in symbols.ids([t.text for t in doc])]
        emitted = P.matcher_emissions(ported, sats)
        assert [(keyed[k][0], s, e) for k, s, e in emitted] == expected, text


def test_bounded_caches_start_again_without_changing_results(payload, fresh, texts, monkeypatch):
    monkeypatch.setattr(P, "MAX_DFA_STATES", 50)
    monkeypatch.setattr(P, "MAX_CACHED_CHUNKS", 20)
    small = P.ConcernPipeline(payload)
    for text in texts[::10]:
        assert view(small(text)) == view(fresh(text)), text
    assert len(small.matcher._dfa.sets) < 1000


# --------------------------------------------------------------------------- wildcards


def test_a_patterns_wildcards_reach_only_as_far_as_its_own_bound(tmp_path):
    # One bound per rule let a long sibling pattern stretch "_*2" to its own length (an
    # unless that never matched cancelled hits eight tokens away).
    rules = tmp_path / "rules.yml"
    rules.write_text(
        P.DEFAULT_RULES_PATH.read_text(encoding="utf-8").rstrip("\n")
        + "\n  - id: test.bounded_wildcards\n    code: drift\n    patterns:\n"
        + '      - "zebra _*2 quokka"\n'
        + '      - "one two three four five six seven eight nine ten eleven"\n'
        + '    example: "A zebra met a quokka."\n',
        encoding="utf-8",
    )
    pipeline = P.ConcernPipeline(P.compile_pipeline(rules))

    def hit(text: str) -> bool:
        return any(h.rule.id == "test.bounded_wildcards" for h in pipeline(text).concern_hits)

    assert hit("A zebra met a quokka.")
    assert not hit("A zebra met a very old and tired quokka.")


def test_tie_positions_follow_the_selection_order_and_skip_unselected_groups():
    selected = {40, 7, 1029, 3}
    order = list(selected)  # the order ranks() numbers groups in
    found = P._positions(selected, {1029, 3, 99})
    assert found == {order.index(1029): 1029, order.index(3): 3}
