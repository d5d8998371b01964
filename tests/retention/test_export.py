"""`export` (subject access): everything held about one person, including who read
their records and their chats; nothing of anyone else's records; own data or an
administrator only; audited."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import select

from actions.people import cli as people_cli
from actions.services import people as people_service
from actions.services import retention, subject_access
from actions.services.access import AccessDenied
from actions.store.db import session_scope
from actions.store.models import AuditEntry
from tests.retention.conftest import LEE_WORDS


@pytest.fixture
def jo_export(office, invoke, tmp_path):
    out = tmp_path / "jo.json"
    result = invoke("--as", "jo.zeb", "export", "jo.zeb", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_the_export_holds_the_persons_records(jo_export):
    data = json.loads(jo_export.read_text(encoding="utf-8"))

    assert data["person"]["username"] == "jo.zeb"
    assert data["person"]["email"] == "jo.zebra@example.org"
    [debrief] = data["debriefs"]
    assert debrief["case_reference"] == "ZEBRA-CASE-1"
    [answer] = debrief["answers"]
    assert answer["free_text"] == "Zebra words now."
    assert answer["revisions"][0]["previous_free_text"] == "Zebra words before."
    assert debrief["concerns"][0]["worker_note"] == "My zebra note."
    assert data["teams"] == ["North Team"]
    assert data["supervision"]["supervised_by"][0]["supervisor"] == "Sam Kerr"
    [session] = data["supervision"]["sessions"]
    assert session["notes"][0]["note"] == "Pelican thoughts on the zebra visit."
    assert session["notes"][0]["case_reference"] == "ZEBRA-CASE-1"
    owners = {a["text"]: a["owner"] for a in session["agreed_actions"]}
    assert owners == {
        "Jo to reread the zebra plan.": "you",
        "Sam to ask Kim about Jo's cover.": "Sam Kerr",
    }


def test_the_export_shows_who_read_their_records(jo_export):
    data = json.loads(jo_export.read_text(encoding="utf-8"))
    reads = [(row["by"], row["action"]) for row in data["audit_log_about_you"]]
    assert ("Sam Kerr", "read:prepare") in reads


def test_the_export_holds_their_chats(jo_export):
    data = json.loads(jo_export.read_text(encoding="utf-8"))
    texts = sorted(event["data"]["text"] for event in data["chat_events"])
    assert texts == ["zebra chat text", "zebra debrief chat", "zebra token chat"]


def test_the_export_holds_nothing_of_other_peoples_records(jo_export):
    text = jo_export.read_text(encoding="utf-8")
    assert [word for word in (*LEE_WORDS, "Heron", "lee-chat") if word in text] == []


def test_the_file_is_private_and_never_overwritten(jo_export, invoke):
    assert stat.S_IMODE(jo_export.stat().st_mode) == 0o600
    again = invoke("--as", "jo.zeb", "export", "jo.zeb", "--out", str(jo_export))
    assert again.exit_code == people_cli.EXIT_INVALID and "exists" in again.stderr


def test_each_export_is_audited(jo_export):
    with session_scope() as s:
        [row] = s.execute(select(AuditEntry).where(AuditEntry.action == "data:export")).scalars()
    data = json.loads(jo_export.read_text(encoding="utf-8"))
    assert row.subject_id == row.actor_id == data["person"]["id"]


@pytest.mark.parametrize("who", ["jo.zeb", "sam.k"])
def test_only_an_administrator_may_export_someone_else(office, invoke, tmp_path, who):
    out = tmp_path / "lee.json"
    result = invoke("--as", who, "export", "lee.m", "--out", str(out))
    assert result.exit_code == people_cli.EXIT_REFUSED
    assert not out.exists()


def test_an_administrator_may_export_anyone(office, invoke, tmp_path):
    out = tmp_path / "lee.json"
    result = invoke("--as", "ana.a", "export", "lee.m", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "1 debriefs" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["person"]["username"] == "lee.m"


def test_a_missing_directory_is_refused(office, invoke, tmp_path):
    out = tmp_path / "no" / "such" / "jo.json"
    result = invoke("--as", "jo.zeb", "export", "jo.zeb", "--out", str(out))
    assert result.exit_code == people_cli.EXIT_INVALID


def test_the_export_of_an_erased_person_holds_nothing_of_them(office):
    retention.erase(office["ana"], "jo.zeb")
    data = subject_access.export_person_data(office["ana"], office["jo"])

    assert data["person"]["username"] is None and data["person"]["erased_at"]
    assert data["debriefs"] == [] and data["chat_events"] == []
    assert "zebra" not in json.dumps(data).lower()


def test_a_deactivated_person_cannot_export(office):
    people_service.deactivate("jo.zeb")
    with pytest.raises(AccessDenied):
        subject_access.export_person_data(office["jo"], "jo.zeb")
