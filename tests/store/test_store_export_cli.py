"""`python -m actions.store.export`, in a subprocess and in-process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from actions.settings import PROJECT_ROOT
from actions.store import db, export, repository


def seed(url: str) -> str:
    """One worker with one debrief (a changed answer, a concern); returns their id."""
    with db.session_scope(url) as s:
        person = repository.get_or_create_person_for_sender(s, "rest", "worker-7")
        case = repository.get_or_create_case(s, "Fall Ö-12", person)
        debrief = repository.start_debrief(s, person, case, "worker-7")
        repository.record_answer(s, debrief.id, "child_seen", "yes")
        repository.record_answer(s, debrief.id, "child_seen", "no")
        repository.record_answer(s, debrief.id, "feelings", "text", "Sehr müde – 疲れた")
        repository.record_concern(s, debrief.id, "unseen_child", "structured", "Not seen.", "r1")
        return person.id


def run_export(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        "SUPERVISION_DATABASE_URL": url,
        "PYTHONPATH": str(PROJECT_ROOT),
        "PATH": "/usr/bin:/bin",
        "LC_ALL": "C",  # a non-UTF-8 locale must not break the output
    }
    return subprocess.run(
        [sys.executable, "-m", "actions.store.export", *args],
        env=env,
        capture_output=True,
        check=False,
    )


def test_export_by_person_prints_utf8_json(configured_database):
    person_id = seed(configured_database)

    result = run_export(configured_database, "--person", person_id)

    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert "Sehr müde – 疲れた" in text  # written as is, not \u-escaped
    assert text.startswith("{\n  ")  # pretty-printed
    data = json.loads(text)
    assert data["person"]["id"] == person_id
    [debrief] = data["debriefs"]
    assert debrief["case_reference"] == "Fall Ö-12"
    assert {a["question_id"] for a in debrief["answers"]} == {"child_seen", "feelings"}
    child_seen = next(a for a in debrief["answers"] if a["question_id"] == "child_seen")
    assert child_seen["revisions"][0]["previous_value"] == "yes"
    assert debrief["concerns"][0]["code"] == "unseen_child"


def test_export_by_sender(configured_database):
    person_id = seed(configured_database)

    result = run_export(configured_database, "--sender", "worker-7", "--channel", "rest")

    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["person"]["id"] == person_id


@pytest.mark.parametrize(
    "args", [("--person", "no-such-person"), ("--sender", "worker-7", "--channel", "x")]
)
def test_unknown_person_exits_2_with_a_message(configured_database, args):
    seed(configured_database)

    result = run_export(configured_database, *args)

    assert result.returncode == 2
    assert result.stdout == b""
    assert b"no person" in result.stderr


def test_person_or_sender_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        export.main([])
    assert exit_info.value.code == 2
    assert "--person" in capsys.readouterr().err


def test_in_process_export_reads_the_configured_database(configured_database, capsys):
    person_id = seed(configured_database)

    assert export.main(["--person", person_id]) == 0

    assert json.loads(capsys.readouterr().out)["person"]["id"] == person_id


def test_an_unmigrated_database_is_reported(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"

    assert export.main(["--person", "x", "--database-url", url]) == 1

    assert "migrate" in capsys.readouterr().err
