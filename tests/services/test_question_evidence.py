"""The mapping from supervision questions to evidence is data, checked on load."""

from __future__ import annotations

import pytest

from actions.services.question_evidence import (
    DEFAULT_PATH,
    EvidenceMapError,
    load_evidence_map,
    set_question_ids,
)


def test_every_supervision_question_is_mapped():
    rules = load_evidence_map()
    assert set(set_question_ids("supervision")) <= set(rules)
    assert {"worker_fear", "hostility"} <= rules["sup_q4"].codes
    assert rules["sup_q3"].takes("avoidance", "pattern")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("questions: {sup_q1: {codes: [no_such_code]}}", "unknown: no_such_code"),
        ("questions: {felt_afraid: {codes: []}}", "not supervision questions"),
        ("questions: {sup_q1: {answers: [child_seen]}}", "unknown: child_seen"),
        ("questions: {sup_q1: {codes: hostility}}", "must be a list"),
        ("questions: {sup_q1: {code: [hostility]}}", "unknown keys: code"),
        ("questions: [sup_q1]", "expected a mapping"),
    ],
)
def test_a_bad_mapping_names_the_key_and_the_problem(tmp_path, text, problem):
    path = tmp_path / "evidence.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceMapError, match=problem):
        load_evidence_map(path)


def test_the_shipped_file_is_the_default():
    assert DEFAULT_PATH.name == "supervision_evidence.yml" and DEFAULT_PATH.is_file()
