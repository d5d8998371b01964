"""Concerns raised from structured answers, and the catalogue that describes each code."""

from __future__ import annotations

import pytest
import yaml

from actions.bank.schema import TAXONOMY_CODES
from actions.concerns.catalogue import CatalogueError, load_catalogue
from actions.concerns.structured import (
    concerns_for_answer,
    concerns_from_answers,
    describe_answer,
)
from actions.settings import PROJECT_ROOT
from tests.bank.bank_helpers import TAXONOMY_FILE, plain_answer, taxonomy_codes, walk

CATALOGUE_FILE = PROJECT_ROOT / "actions" / "concerns" / "catalogue.yml"

# The calm path (see test_flow.py) raises nothing on its own.
CALM = {
    "worker_safe_now": "yes",
    "threatened_or_hurt": "no",
    "felt_afraid": "no",
    "felt_relief": "no",
    "access_gained": "yes",
    "child_seen": "yes",
    "child_seen_alone": "yes",
    "resistance_type": "none",
    "child_views_known": "yes",
    "key_people_seen": "yes",
    "men_engaged": "yes",
    "manager_aware_of_impact": "yes",
    "offer_deeper_reflection": "no",
    "closure_considered": "no",
}


def debrief_with(bank, **overrides):
    """A finished debrief: calm answers except ``overrides``."""
    answers = {**CALM, **overrides}

    def policy(question, _answers):
        return answers.get(question.id, plain_answer(question, "yes"))

    walked, _ = walk(bank, policy)
    return walked


def codes_by_rule(raised) -> dict[str, str]:
    return {c.rule_id: c.code for c in raised}


def test_calm_debrief_raises_nothing(bank):
    assert concerns_from_answers(bank, debrief_with(bank)) == []


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"child_seen": "no"}, {"answer:child_seen:unseen_child": "unseen_child"}),
        ({"child_seen": "not_sure"}, {"answer:child_seen:unseen_child": "unseen_child"}),
        (
            {"child_seen_alone": "no"},
            {"answer:child_seen_alone:unseen_child": "unseen_child"},
        ),
        ({"access_gained": "no"}, {"answer:access_gained:avoidance": "avoidance"}),
        ({"felt_relief": "yes"}, {"answer:felt_relief:worker_relief": "worker_relief"}),
        ({"felt_afraid": "yes"}, {"answer:felt_afraid:worker_fear": "worker_fear"}),
        (
            {"manager_aware_of_impact": "no"},
            {"answer:manager_aware_of_impact:worker_wellbeing": "worker_wellbeing"},
        ),
        (
            {"child_views_known": "not_sure"},
            {"answer:child_views_known:child_voice_missing": "child_voice_missing"},
        ),
    ],
)
def test_structured_answers_raise_their_codes(bank, overrides, expected):
    answers = debrief_with(bank, **overrides)
    raised = concerns_from_answers(bank, answers)
    # Only the deeper questions opened by the same answer may add more (for example the
    # unseen-child set's own question); the rule named here is always there.
    assert set(expected.items()) <= set(codes_by_rule(raised).items())
    first = raised[0]
    assert first.rule_id in expected
    assert first.source == "structured"


def test_child_not_seen_alone_raises_unseen_child(bank):
    answers = debrief_with(bank, child_seen_alone="no")
    raised = [c for c in concerns_from_answers(bank, answers) if c.code == "unseen_child"]
    assert [c.rule_id for c in raised] == ["answer:child_seen_alone:unseen_child"]
    # The unseen-child set opened; agreeing a plan with the manager raises nothing more.
    assert answers["unseen_child_manager_guidance"] == "yes"


def test_threatened_raises_urgent_fear_and_hostility(bank):
    answers = debrief_with(bank, threatened_or_hurt="yes")
    raised = [
        c
        for c in concerns_from_answers(bank, answers)
        if c.rule_id.startswith("answer:threatened_or_hurt:")
    ]
    by_code = {c.code: c for c in raised}
    assert set(by_code) == {"worker_fear", "hostility"}
    assert by_code["worker_fear"].urgent is True
    assert by_code["hostility"].urgent is False
    assert by_code["worker_fear"].rule_id == "answer:threatened_or_hurt:worker_fear"
    assert by_code["hostility"].rule_id == "answer:threatened_or_hurt:hostility"


def test_not_safe_now_is_urgent_even_when_the_worker_stops(bank):
    answers = {
        "case_reference": "CP-1",
        "worker_safe_now": "no",
        "threatened_or_hurt": "no",
        "continue_after_safety": "no",
    }
    raised = concerns_from_answers(bank, answers)
    assert [(c.code, c.urgent) for c in raised] == [("worker_fear", True)]


def test_answers_not_on_the_path_raise_nothing(bank):
    answers = debrief_with(bank)
    # The ready reckoner is closed (no disguised compliance), so its "yes" answers do not
    # count; nor do supervision questions or answers after the worker chose to stop.
    off_path = {
        **answers,
        "rr_fail_to_attend": "yes",
        "rr_deflect_to_adults": "yes",
        "safe_to_visit_alone": "no",
        "rel_colluding": "yes",
    }
    assert concerns_from_answers(bank, off_path) == []
    stopped = {
        "case_reference": "CP-1",
        "worker_safe_now": "yes",
        "threatened_or_hurt": "yes",
        "continue_after_safety": "no",
        "child_seen": "no",
        "access_gained": "no",
        "felt_relief": "yes",
    }
    codes = {c.code for c in concerns_from_answers(bank, stopped)}
    assert codes == {"worker_fear", "hostility"}


def test_child_seen_no_does_not_count_a_leftover_seen_alone_answer(bank):
    """child_seen_alone is off the path once child_seen is "no"."""
    answers = debrief_with(bank, child_seen="no")
    answers["child_seen_alone"] = "no"  # e.g. from before the worker went back
    rule_ids = [c.rule_id for c in concerns_from_answers(bank, answers)]
    assert "answer:child_seen:unseen_child" in rule_ids
    assert "answer:child_seen_alone:unseen_child" not in rule_ids


def test_ready_reckoner_answers_count_once_it_is_open(bank):
    answers = debrief_with(
        bank, resistance_type="disguised_compliance", rr_selective_cooperation="yes"
    )
    rule_ids = [c.rule_id for c in concerns_from_answers(bank, answers)]
    assert "answer:rr_selective_cooperation:disguised_compliance" in rule_ids


def test_every_raised_concern_has_evidence_and_a_rule_id(bank):
    answers = debrief_with(
        bank,
        worker_safe_now="not_sure",
        threatened_or_hurt="yes",
        access_gained="no",
        child_seen="yes",
        child_seen_alone="no",
        resistance_type="disguised_compliance,violence",
        felt_relief="yes",
        offer_deeper_reflection="yes",
        closure_considered="yes",
        multi_agency_discussed="no",
    )
    raised = concerns_from_answers(bank, answers)
    assert len({c.code for c in raised}) >= 6
    for concern in raised:
        assert concern.evidence.strip(), concern
        assert concern.source == "structured"
        question_id = concern.rule_id.split(":")[1]
        assert concern.rule_id == f"answer:{question_id}:{concern.code}"
        assert question_id in answers
        assert concern.code in taxonomy_codes()
    rule_ids = [c.rule_id for c in raised]
    assert len(rule_ids) == len(set(rule_ids))


def test_evidence_falls_back_to_question_and_answer_when_the_rule_has_none(bank):
    for qid in ("assess_adult_at_risk", "rel_colluding", "multi_agency_discussed"):
        question = bank.question(qid)
        rule = question.raises[0]
        value = rule.when[0]
        (concern,) = concerns_for_answer(question, value)
        assert concern.evidence.strip()
        if not rule.evidence:
            assert concern.evidence == f"{question.text} {describe_answer(question, value)}"


def test_no_answer_raises_nothing(bank):
    assert concerns_for_answer(bank.question("child_seen"), None) == []
    assert concerns_for_answer(bank.question("child_seen"), "skipped") == []


def test_describe_answer_uses_labels(bank):
    assert describe_answer(bank.question("child_seen"), "not_sure") == "Not sure"
    assert (
        describe_answer(bank.question("resistance_type"), "avoidance,online")
        == "Avoidance, Online behaviour (filming or posting about staff)"
    )


# ---------------------------------------------------------------------------
# Catalogue


def test_taxonomy_table_is_read_when_present():
    codes = taxonomy_codes()
    assert len(codes) == 17
    if TAXONOMY_FILE.exists():
        assert "worker_wellbeing" in codes and "online_targeting" in codes


def test_catalogue_describes_every_taxonomy_code():
    catalogue = load_catalogue(CATALOGUE_FILE)
    assert taxonomy_codes() <= set(catalogue)
    for code in taxonomy_codes():
        info = catalogue[code]
        assert info.code == code
        for field in (info.title, info.plain, info.suggests, info.source):
            assert field.strip(), code


def test_catalogue_describes_every_code_the_bank_raises(bank):
    catalogue = load_catalogue(CATALOGUE_FILE)
    used = {r.code for q in bank.questions.values() for r in q.raises}
    assert used <= set(catalogue)


def _write_catalogue(tmp_path, entries):
    path = tmp_path / "catalogue.yml"
    path.write_text(yaml.safe_dump({"concerns": entries}), encoding="utf-8")
    return path


def _entries():
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(CATALOGUE_FILE.read_text(encoding="utf-8"), Loader=loader)["concerns"]


@pytest.mark.parametrize("dropped", ["unseen_child", "hostility", "worker_wellbeing"])
def test_a_catalogue_missing_a_code_is_refused(tmp_path, dropped):
    path = _write_catalogue(tmp_path, [e for e in _entries() if e["code"] != dropped])
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(path) in str(caught.value)
    assert dropped in str(caught.value)


def test_a_catalogue_missing_several_codes_names_them_all(tmp_path):
    kept = [e for e in _entries() if e["code"] in ("unseen_child", "avoidance")]
    path = _write_catalogue(tmp_path, kept)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    for code in TAXONOMY_CODES - {"unseen_child", "avoidance"}:
        assert f"'{code}'" in str(caught.value)


def test_the_catalogue_may_add_codes(tmp_path):
    extra = {**_entries()[0], "code": "a_new_code"}
    catalogue = load_catalogue(_write_catalogue(tmp_path, _entries() + [extra]))
    assert "a_new_code" in catalogue


def test_a_catalogue_entry_without_guidance_is_refused(tmp_path):
    entries = _entries()
    entries[0]["suggests"] = " "
    path = _write_catalogue(tmp_path, entries)
    with pytest.raises(CatalogueError, match="suggests"):
        load_catalogue(path)


def test_a_catalogue_listing_a_code_twice_is_refused(tmp_path):
    entries = _entries()
    path = _write_catalogue(tmp_path, entries + [dict(entries[0])])
    with pytest.raises(CatalogueError, match="listed twice"):
        load_catalogue(path)


def test_an_unreadable_catalogue_is_refused(tmp_path):
    path = tmp_path / "catalogue.yml"
    path.write_text("concerns: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="cannot be read"):
        load_catalogue(path)
    with pytest.raises(CatalogueError, match="cannot be read"):
        load_catalogue(tmp_path / "missing.yml")
