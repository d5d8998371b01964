"""The learned second reader: its file, its arithmetic and how it corrects the rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from actions.concerns import detector
from actions.concerns.classifier import (
    CONFIG_FILE,
    ClassifierError,
    ConcernClassifier,
    has_two_parts,
    load_config,
    sentence_spans,
    word_count,
    word_terms,
)
from actions.concerns.classifier_train import (
    FittedClassifier,
    label_matrix,
    taxonomy_codes,
    training_digest,
)
from actions.concerns.detector import RulesReading, corrected
from actions.concerns.structured import RaisedConcern

CODES = taxonomy_codes()
# Invented accounts, enough for a small model to learn two codes from.
TINY_CORPUS = [
    ("Mum said the baby was asleep and I never saw him.", {"unseen_child"}),
    ("I didn't see the children at all, they were at gran's.", {"unseen_child"}),
    ("Nobody answered the door again.", {"avoidance"}),
    ("Third missed appointment this month.", {"avoidance"}),
    ("Saw both children alone in their room, they were chatty.", set()),
    ("Good visit, the flat was tidy and the baby was feeding well.", set()),
    ("She cancelled twice and the kids were kept upstairs.", {"avoidance", "unseen_child"}),
    ("Dad was calm and we agreed the plan.", set()),
]
ODD_TEXTS = [
    "",
    "   ",
    "😀😀 <b>bold</b> &amp; <script>x()</script>",
    "\x00\x07 control \x1f characters",
    "Дети были дома. 子供たちは家にいた。",
    "word " * 3000,
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    config = dataclasses.replace(load_config(), min_document_frequency=1, max_features=20)
    texts = [text for text, _ in TINY_CORPUS]
    fitted = FittedClassifier(config, CODES).fit(
        texts, label_matrix([codes for _, codes in TINY_CORPUS], CODES)
    )
    path = tmp_path_factory.mktemp("model") / "tiny.npz"
    fitted.write(path, "tiny")
    return fitted, ConcernClassifier(path)


def test_reading_the_file_gives_scikit_learns_probabilities(tiny_model):
    fitted, classifier = tiny_model
    texts = [text for text, _ in TINY_CORPUS] + ODD_TEXTS
    expected = fitted.probabilities(texts)
    one_by_one = np.array([[classifier.probabilities(t)[c] for c in CODES] for t in texts])
    np.testing.assert_allclose(one_by_one, expected, atol=1e-6)
    np.testing.assert_allclose(classifier.probability_matrix(texts), expected, atol=1e-6)


def test_pruning_keeps_at_most_max_features(tiny_model):
    fitted, classifier = tiny_model
    assert fitted.coef.shape == (len(CODES), 20)
    assert classifier.trained_on == "tiny"


def test_the_model_learns_the_tiny_corpus(tiny_model):
    _, classifier = tiny_model
    probability = classifier.probabilities("I never saw the baby, mum said he was asleep.")
    assert probability["unseen_child"] > 0.5 > probability["hostility"]


def test_the_shipped_model_was_fitted_on_the_configured_files():
    assert ConcernClassifier().trained_on == training_digest(load_config())


def test_the_blind_set_is_never_learned_from():
    # blind442 to blind449 were written blind and are kept back to measure the product on
    # text it has never seen, each once (tests/concerns/README.md).
    names = [Path(path).name for path in load_config().training_files]
    held_back = {f"blind{n}_accounts.jsonl" for n in range(442, 450)}
    assert names and not held_back & set(names)


def test_negation_marks_the_next_words_until_a_contrast():
    terms = word_terms("He has not missed one, but didn't come today")
    assert "neg_missed" in terms and "neg_one" in terms
    assert "but" in terms and "neg_come" in terms and "missed" not in terms


def test_negation_reaches_the_end_of_its_clause_and_no_further():
    terms = word_terms("She's never been spoken to on her own in months. Fine at school")
    assert "neg_own" in terms and "neg_months" in terms
    assert "fine" in terms and "neg_fine" not in terms


def test_sentence_spans_are_trimmed_and_cover_line_breaks():
    text = "First one.  Second one!\nThird line"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "First one.",
        "Second one!",
        "Third line",
    ]


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(ClassifierError, match="broken.npz"):
        ConcernClassifier(broken)


@pytest.mark.parametrize(
    "edit, message",
    [
        (("add_at: 0.", "add_at: -0."), "veto_at < add_at"),
        (("regularisation_c: ", "regularisation_c: lots #"), "invalid setting"),
        (("training_files:", "training_filez:"), "missing or invalid"),
        (("    unseen_child: 0.80", "    unseen_child: 0.30"), "under its"),
        (("add_at_when_rules_silent: 0.90", "add_at_when_rules_silent: 0.50"), "silent"),
    ],
)
def test_a_bad_config_is_a_clear_error(tmp_path, edit, message):
    path = tmp_path / "classifier.yml"
    path.write_text(CONFIG_FILE.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with pytest.raises(ClassifierError, match=message):
        load_config(path)


# ---------------------------------------------------------------- the combination


def _rule_concern(code: str, text: str) -> RaisedConcern:
    return RaisedConcern(code, "free_text", f"rule.{code}", text, False, 0, len(text))


def _decide(text, by_rules, probability, declined=frozenset(), **settings):
    config = dataclasses.replace(load_config(), **settings)
    classifier, _ = detector.get_classifier()
    reading = RulesReading([_rule_concern(c, text) for c in by_rules], frozenset(declined))
    return corrected(text, reading, probability, classifier, config)


def test_a_confident_code_the_rules_missed_is_added_with_its_best_sentence():
    text = "We had a cup of tea. Mum said the baby was asleep and I never saw him."
    found = _decide(text, [], {"unseen_child": 0.9, "avoidance": 0.2}, add_at=0.6)
    assert [c.code for c in found] == ["unseen_child"]
    concern = found[0]
    assert concern.rule_id == "classifier.unseen_child"
    assert text[concern.evidence_start : concern.evidence_end] == concern.evidence
    assert concern.evidence == "Mum said the baby was asleep and I never saw him."


TIDY = "Nothing of concern. The house was tidy and school say the kids come in fed."


@pytest.mark.parametrize(
    "by_rules, probability, added",
    [
        ([], 0.85, False),  # the rules saw nothing: 0.85 is under the silent threshold
        ([], 0.95, True),
        (["drift"], 0.85, True),  # the rules raised something: the shared add_at holds
    ],
)
def test_a_code_added_where_the_rules_saw_nothing_needs_more_certainty(
    by_rules, probability, added
):
    found = _decide(
        TIDY, by_rules, {"avoidance": probability, "drift": 0.5}, add_at=0.7,
        add_at_by_code={}, add_at_when_rules_silent=0.9,
    )  # fmt: skip
    assert ("avoidance" in {c.code for c in found}) is added


def test_a_code_with_its_own_add_at_keeps_it_where_the_rules_saw_nothing():
    found = _decide(
        TIDY, [], {"unseen_child": 0.55}, add_at=0.7,
        add_at_by_code={"unseen_child": 0.5}, add_at_when_rules_silent=0.9,
    )  # fmt: skip
    assert [c.code for c in found] == ["unseen_child"]


def test_a_code_the_rules_declined_is_not_added():
    text = "He has not missed an appointment since the summer."
    found = _decide(text, [], {"avoidance": 0.95}, declined={"avoidance"}, add_at=0.6)
    assert found == []


@pytest.mark.parametrize("probability, added", [(0.85, False), (0.95, True)])
def test_a_declined_code_is_added_only_where_configured_and_only_when_sure(probability, added):
    text = "The kids were asleep and I was glad to get away before dad came back."
    found = _decide(
        text,
        [],
        {"unseen_child": probability, "worker_relief": 0.99},
        declined={"unseen_child", "worker_relief"},
        add_at=0.6,
        add_over_declined_at={"unseen_child": 0.9},
    )
    assert [c.code for c in found] == (["unseen_child"] if added else [])


def test_an_unlikely_rule_code_is_dropped_unless_it_is_a_safety_code():
    text = "Some words."
    probability = {"hostility": 0.01, "worker_fear": 0.01}
    found = _decide(
        text,
        ["hostility", "worker_fear"],
        probability,
        veto_at=0.1,
        veto_at_by_code={},
        never_veto=frozenset({"worker_fear"}),
    )
    assert [c.code for c in found] == ["worker_fear"]


@pytest.mark.parametrize("probability, kept", [(0.04, False), (0.06, True), (0.12, True)])
def test_a_code_with_its_own_veto_threshold_is_dropped_only_below_it(probability, kept):
    found = _decide(
        "Some words.",
        ["unseen_child"],
        {"unseen_child": probability},
        veto_at=0.15,
        veto_at_by_code={"unseen_child": 0.05},
        never_veto=frozenset(),
    )
    assert bool(found) is kept


def test_an_added_fear_is_urgent():
    found = _decide(
        "I was shaking in the car after.",
        [],
        {"worker_fear": 0.9},
        add_at=0.6,
        urgent_codes=frozenset({"worker_fear"}),
    )
    assert found[0].urgent


def test_classifier_off_reads_with_the_rules_alone(monkeypatch):
    text = "Mum said the baby was asleep and I never saw him. I was so relieved to leave."
    monkeypatch.setenv(detector.CLASSIFIER_ENV, "off")
    assert detector.detect(text) == detector.detect_rules(text)


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_reads_without_error(text):
    for concern in detector.detect(text):
        assert concern.code in CODES
        assert text[concern.evidence_start : concern.evidence_end] == concern.evidence


def test_a_short_answer_is_read_by_the_rules_alone(monkeypatch):
    classifier, config = detector.get_classifier()
    # With thresholds that add every code, only the long enough answer gets additions.
    eager = dataclasses.replace(
        config, add_at=0.0001, add_at_by_code={}, min_words=6, add_at_when_rules_silent=None
    )
    monkeypatch.setattr(detector, "_reader", (classifier, eager))
    five_words = "My notes for feelings now."
    six_words = "My notes for my feelings now."
    assert detector.detect(five_words) == detector.detect_rules(five_words)
    assert len(detector.detect(six_words)) > len(detector.detect_rules(six_words))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I didn't get to see Kyle alone", 7),
        ("Mum\u2019s partner wasn\u2019t there", 4),
        ("dunno", 1),
        ("", 0),
    ],
)
def test_words_are_counted_as_a_person_counts_them(text, words):
    # The short-answer guard counts "didn't" once, as the worker typed it.
    assert word_count(text) == words


def test_learned_chooses_which_texts_the_classifier_reads(monkeypatch):
    classifier, config = detector.get_classifier()
    eager = dataclasses.replace(
        config, add_at=0.0001, add_at_by_code={}, min_words=1, add_at_when_rules_silent=None
    )
    monkeypatch.setattr(detector, "_reader", (classifier, eager))
    text = "We went through the plan together at the kitchen table."
    by_rules, with_both = detector.detect_many([text, text], learned=[False, True])
    assert by_rules == detector.detect_rules(text)
    assert len(with_both) > len(by_rules)


def test_the_classifier_reads_the_accounts_of_the_visit():
    from actions.bank.schema import load_bank

    reads = detector.classifier_reads_answers_to()
    assert reads == {"what_happened", "feelings_now"}
    assert reads <= set(load_bank().debrief_question_ids())


@pytest.mark.parametrize(
    ("text", "two_parts"),
    [
        ("Mum swore blind the rent had been paid.", False),
        ("Dad insisted he takes them to school every day", False),
        ("Mum swears she's off the drink, the bottles in the recycling say otherwise.", True),
        ("She said she'd been. The clinic have no record.", True),
        ("He promised to start the course but hasn't.", True),
        ("Still the same promises every review", True),
        ("Tidy for the planned visit - a tip on the unannounced one", True),
    ],
)
def test_a_text_has_two_parts_when_it_can_set_one_thing_against_another(text, two_parts):
    assert has_two_parts(text) is two_parts


def test_disguised_compliance_is_not_added_to_a_firm_claim_alone():
    config = load_config()
    assert "disguised_compliance" in config.needs_two_parts
    assert not config.may_add("disguised_compliance", "Mum swore blind the rent was paid.")
    assert config.may_add("disguised_compliance", "Mum swore the rent was paid, it wasn't.")
    assert config.may_add("hostility", "Dad squared up to me in the hall.")


def test_the_classifier_adds_a_hidden_man_only_to_a_text_with_a_man_in_it():
    config = load_config()
    assert not config.may_add("hidden_men", "We've tried to engage them for months.")
    assert config.may_add("hidden_men", "Mum's new fella won't give his surname.")
    assert config.may_add("hidden_men", "A man's jacket on the banister again.")
