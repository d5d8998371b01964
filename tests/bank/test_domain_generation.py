"""domain/debrief.yml is generated from the bank and must match it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from actions.bank.gen_domain import (
    CONTROL_INTENTS,
    DOMAIN_FILE,
    FORM,
    ask_action_name,
    build_domain,
    main,
)
from actions.settings import PROJECT_ROOT, get_settings

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.fixture(autouse=True)
def real_bank_settings(monkeypatch):
    """main() loads the bank named by the settings: make sure that is the real one."""
    monkeypatch.delenv("SUPERVISION_QUESTION_BANK", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def domain() -> dict:
    """The committed, generated domain file."""
    return yaml.load(DOMAIN_FILE.read_text(encoding="utf-8"), Loader=FAST_LOADER)


@pytest.fixture(scope="module")
def core() -> dict:
    text = (PROJECT_ROOT / "domain" / "core.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=FAST_LOADER)


def test_check_passes_on_the_committed_domain():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISION_")}
    result = subprocess.run(
        [sys.executable, "-m", "actions.bank.gen_domain", "--check"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_writing_reproduces_the_committed_file_and_check_sees_edits(tmp_path, capsys):
    output = tmp_path / "domain" / "debrief.yml"
    assert main(["--output", str(output)]) == 0
    written = output.read_text(encoding="utf-8")
    assert written == DOMAIN_FILE.read_text(encoding="utf-8")
    assert written.startswith("# GENERATED")
    output.write_text(written + "# edited by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--check", "--output", str(output)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_build_domain_is_the_committed_domain(bank, domain):
    assert build_domain(bank) == domain


def test_form_lists_exactly_the_debrief_questions(bank, domain):
    assert domain["forms"] == {FORM: {"required_slots": bank.debrief_question_ids()}}
    assert set(domain["slots"]) == set(bank.debrief_question_ids())
    supervision_only = {q for q in bank.questions if not bank.set_of(q).in_debrief}
    assert supervision_only
    assert not supervision_only & set(domain["slots"])


def test_every_debrief_question_has_an_ask_action(bank, domain):
    assert domain["actions"] == [ask_action_name(q) for q in bank.debrief_question_ids()]
    for qid in bank.debrief_question_ids():
        assert f"action_ask_{qid}" in domain["actions"]


def test_every_slot_is_filled_only_while_its_question_is_asked(bank, domain):
    for qid in bank.debrief_question_ids():
        slot = domain["slots"][qid]
        assert slot["influence_conversation"] is False
        assert slot["mappings"], qid
        for mapping in slot["mappings"]:
            assert mapping["conditions"] == [{"active_loop": FORM, "requested_slot": qid}], qid


def test_from_text_mappings_exclude_the_control_intents(bank, domain):
    for qid in bank.debrief_question_ids():
        from_text = [m for m in domain["slots"][qid]["mappings"] if m["type"] == "from_text"]
        assert len(from_text) == 1, qid
        not_intent = set(from_text[0]["not_intent"])
        assert set(CONTROL_INTENTS) <= not_intent, qid
        for intent in ("ask_why", "skip_question", "go_back", "pause_debrief", "stop_debrief"):
            assert intent in not_intent
        if bank.question(qid).type != "case_reference":
            assert "unsure" in not_intent  # "not sure" is its own mapping
        assert "inform" not in not_intent  # typed answers arrive as inform


def _intent_values(slot: dict) -> dict[str, str]:
    return {m["intent"]: m["value"] for m in slot["mappings"] if m["type"] == "from_intent"}


def test_yes_no_questions_map_affirm_deny_unsure(bank, domain):
    yes_no = [q for q in bank.debrief_question_ids() if bank.question(q).type == "yes_no"]
    assert yes_no
    for qid in yes_no:
        slot = domain["slots"][qid]
        assert _intent_values(slot) == {"affirm": "yes", "deny": "no", "unsure": "not_sure"}
        from_text = next(m for m in slot["mappings"] if m["type"] == "from_text")
        assert {"affirm", "deny"} <= set(from_text["not_intent"])


def test_other_questions_map_only_unsure_by_intent(bank, domain):
    for qid in bank.debrief_question_ids():
        question = bank.question(qid)
        if question.type == "yes_no":
            continue
        slot = domain["slots"][qid]
        # A case reference cannot be "not sure": the validator asks again instead.
        expected = {} if question.type == "case_reference" else {"unsure": "not_sure"}
        assert _intent_values(slot) == expected, qid
        from_text = next(m for m in slot["mappings"] if m["type"] == "from_text")
        # "yes" / "no" typed to a free-text question is still an answer.
        assert not {"affirm", "deny"} & set(from_text["not_intent"]), qid
        entity = [m for m in slot["mappings"] if m["type"] == "from_entity"]
        if question.type in ("choice", "multi_choice", "scale"):
            assert [m["entity"] for m in entity] == ["choice"], qid
        else:
            assert entity == [], qid


def test_mapped_intents_and_entities_are_declared_in_core(domain, core):
    intents = set(core["intents"])
    assert set(CONTROL_INTENTS) <= intents
    for qid, slot in domain["slots"].items():
        for mapping in slot["mappings"]:
            if mapping["type"] == "from_intent":
                assert mapping["intent"] in intents, qid
            if mapping["type"] == "from_entity":
                assert mapping["entity"] in core["entities"], qid
            assert set(mapping.get("not_intent", [])) <= intents, qid


def test_generated_names_do_not_clash_with_core(domain, core):
    assert not set(domain["slots"]) & set(core.get("slots", {}))
    assert not set(domain["actions"]) & set(core.get("actions", []))
    assert not set(domain["forms"]) - {FORM}
