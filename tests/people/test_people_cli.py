"""`python -m actions.people`: people, teams, supervision, the audit log and the agenda."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from actions.people import cli as people_cli
from actions.reports.model import Agenda
from actions.settings import PROJECT_ROOT
from actions.store import db, sharing
from actions.store.db import session_scope
from actions.store.models import Person
from tests.store_fixtures import add_debrief, share_concern


def lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()]


# --- help -----------------------------------------------------------------------------------


def test_help_lists_every_command(invoke):
    result = invoke("--help")

    assert result.exit_code == 0
    for command in ("add", "team", "assign", "list", "show", "deactivate", "reactivate"):
        assert f"  {command} " in result.output
    assert "agenda" in result.output and "audit" in result.output


@pytest.mark.parametrize("command", ["add", "team add", "assign", "list", "agenda"])
def test_each_command_has_help(invoke, command):
    result = invoke(*command.split(), "--help")
    assert result.exit_code == 0 and "Usage: python -m actions.people" in result.output


def test_the_module_runs_as_a_program(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "actions.people", "--help"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "People, teams and supervision" in result.stdout


# --- people and teams -------------------------------------------------------------------------


def test_add_and_list_people(invoke, staff):
    result = invoke("list")

    assert result.exit_code == 0
    assert lines(result.output)[0] == ["USERNAME", "NAME", "ROLE", "TEAMS", "SUPERVISOR", "ACTIVE"]
    rows = {row[0]: row for row in lines(result.output)[2:]}
    assert rows["jo.b"] == ["jo.b", "Jo", "Bell", "worker", "North", "Team", "Sam", "Kerr", "yes"]
    assert set(rows) == {"ana.a", "jo.b", "lee.m", "sam.k"}


def test_list_filters_by_role_and_team(invoke, staff):
    by_role = lines(invoke("list", "--role", "supervisor").output)[2:]
    assert [row[0] for row in by_role] == ["sam.k"]
    by_team = lines(invoke("list", "--team", "North Team").output)[2:]
    assert [row[0] for row in by_team] == ["jo.b", "sam.k"]
    assert invoke("list", "--team", "Nowhere").exit_code == people_cli.EXIT_NOT_FOUND


def test_show_a_person(invoke, staff):
    result = invoke("show", "JO.B")

    assert result.exit_code == 0
    assert "email:           jo@example.org" in result.output
    assert "supervisor:      Sam Kerr" in result.output
    assert "Sam Kerr supervised Jo Bell" in result.output


def test_teams(invoke, staff):
    assert invoke("team", "add", "South Team").exit_code == 0
    assert invoke("team", "join", "lee.m", "south team").output == "lee.m is in South Team\n"
    listed = invoke("team", "list").output
    assert "North Team  2" in listed and "South Team  1" in listed
    assert invoke("team", "leave", "lee.m", "South Team").exit_code == 0
    assert invoke("team", "add", "north team").exit_code == people_cli.EXIT_INVALID


def test_assigning_a_new_supervisor_keeps_the_history(invoke, staff):
    assert invoke("add", "pat.d", "Pat Doyle", "--role", "supervisor").exit_code == 0
    assert invoke("assign", "pat.d", "jo.b").output == "Pat Doyle now supervises Jo Bell\n"

    shown = invoke("show", "jo.b").output
    assert "supervisor:      Pat Doyle" in shown
    assert shown.count("supervised Jo Bell") == 2
    assert "Pat Doyle supervised Jo Bell" in shown and "to now" in shown


def test_deactivate_and_reactivate(invoke, staff):
    assert invoke("deactivate", "sam.k").output == "sam.k is deactivated\n"
    row = next(r for r in lines(invoke("list").output) if r[0] == "sam.k")
    assert row[-1] == "no"
    assert [r[0] for r in lines(invoke("list", "--active-only").output)[2:]] == [
        "ana.a",
        "jo.b",
        "lee.m",
    ]
    assert "no, since" in invoke("show", "sam.k").output
    assert invoke("reactivate", "sam.k").output == "sam.k is active\n"


# --- errors and exit codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("show", "nobody"), people_cli.EXIT_NOT_FOUND, "no person"),
        (("add", "jo.b", "Jo Again"), people_cli.EXIT_INVALID, "is taken"),
        (("add", "x y", "Bad Handle"), people_cli.EXIT_INVALID, "username"),
        (("add", "kim.t", "Kim", "--team", "Nowhere"), people_cli.EXIT_NOT_FOUND, "no team"),
        (("add", "kim.t", "Kim", "--email", "kim"), people_cli.EXIT_INVALID, "email"),
        (("assign", "jo.b", "lee.m"), people_cli.EXIT_INVALID, "not a supervisor"),
        (("assign", "sam.k", "sam.k"), people_cli.EXIT_INVALID, "themselves"),
        (("add", "kim.t", "Kim", "--role", "boss"), 2, "Invalid value for '--role'"),
        (("--as", "jo.b", "deactivate", "lee.m"), people_cli.EXIT_REFUSED, "administrator"),
    ],
)
def test_errors_are_one_clear_line_and_an_exit_code(invoke, staff, args, code, message):
    result = invoke(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_unmigrated_database_is_reported(invoke, tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = invoke("--database-url", url, "list")
    assert result.exit_code == people_cli.EXIT_UNAVAILABLE
    assert "migrate" in result.stderr


def test_database_url_points_at_a_migrated_file(invoke, tmp_path):
    url = f"sqlite:///{tmp_path / 'people.db'}"
    db.upgrade_database(url)

    assert invoke("--database-url", url, "add", "kim.t", "Kim Tan").exit_code == 0
    assert "kim.t" in invoke("--database-url", url, "list").output
    assert "kim.t" not in invoke("list").output  # the configured database is untouched


# --- the audit log -------------------------------------------------------------------------------


def test_the_audit_log_needs_an_administrator(invoke, staff):
    refused = invoke("audit")
    assert refused.exit_code == people_cli.EXIT_REFUSED
    assert invoke("--as", "sam.k", "audit").exit_code == people_cli.EXIT_REFUSED

    invoke("--as", "ana.a", "deactivate", "lee.m")
    result = invoke("--as", "ana.a", "audit", "--subject", "lee.m")
    assert result.exit_code == 0
    assert "Ana Admin     Lee Moss       people:deactivate" in result.output
    assert "command line  Lee Moss       people:add" in result.output


# --- the agenda -------------------------------------------------------------------------------


@pytest.fixture
def shared_by_jo(staff):
    with session_scope() as s:
        jo = s.get(Person, people_cli.service.person_id("jo.b"))
        debrief = add_debrief(
            s,
            jo,
            "CP-100",
            answers={"for_supervision": ("text", "The door.")},
            concerns=[("hostility", "Dad blocked the door.")],
        )
        share_concern(s, debrief, "hostility")
        sharing.share_answer(s, debrief.id, "for_supervision")


@pytest.fixture
def renderers(monkeypatch):
    """Stand-ins for actions.reports.agenda_html / agenda_pdf; keeps what they got."""
    seen: list[Agenda] = []

    def html(agenda: Agenda) -> str:
        seen.append(agenda)
        return f"<h1>{agenda.supervisee}</h1>"

    def pdf(agenda: Agenda) -> bytes:
        seen.append(agenda)
        return b"%PDF-1.4 invented"

    html_module = types.ModuleType("actions.reports.agenda_html")
    html_module.render_agenda_html = html
    pdf_module = types.ModuleType("actions.reports.agenda_pdf")
    pdf_module.render_agenda_pdf = pdf
    monkeypatch.setitem(sys.modules, "actions.reports.agenda_html", html_module)
    monkeypatch.setitem(sys.modules, "actions.reports.agenda_pdf", pdf_module)
    return seen


def test_agenda_writes_html_and_pdf(invoke, shared_by_jo, renderers, tmp_path):
    html, pdf = tmp_path / "agenda.html", tmp_path / "agenda.pdf"
    result = invoke(
        "agenda", "--supervisor", "sam.k", "--worker", "jo.b", "--html", str(html),
        "--pdf", str(pdf), "--team-questions",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert html.read_text(encoding="utf-8") == "<h1>Jo Bell</h1>"
    assert pdf.read_bytes().startswith(b"%PDF")
    agenda = renderers[0]
    assert [c.reference for c in agenda.cases] == ["CP-100"]
    assert agenda.cases[0].concerns[0].evidence == ("Dad blocked the door.",)
    assert {q.set_id for q in agenda.cases[0].questions} == {"supervision", "team_around_child"}


def test_agenda_needs_an_output(invoke, shared_by_jo, renderers):
    result = invoke("agenda", "--supervisor", "sam.k", "--worker", "jo.b")
    assert result.exit_code == people_cli.EXIT_INVALID
    assert "--html" in result.stderr


def test_agenda_is_refused_to_someone_not_supervising_the_worker(
    invoke, shared_by_jo, renderers, tmp_path
):
    html = tmp_path / "agenda.html"
    result = invoke("agenda", "--supervisor", "ana.a", "--worker", "jo.b", "--html", str(html))
    assert result.exit_code == people_cli.EXIT_REFUSED
    assert not html.exists() and renderers == []


def test_agenda_without_a_renderer_says_so(invoke, shared_by_jo, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "actions.reports.agenda_pdf", None)
    pdf = tmp_path / "agenda.pdf"
    result = invoke("agenda", "--supervisor", "sam.k", "--worker", "jo.b", "--pdf", str(pdf))
    assert result.exit_code == people_cli.EXIT_UNAVAILABLE
    assert "renderer is not available" in result.stderr and not pdf.exists()


def test_agenda_into_a_missing_directory_is_refused(invoke, shared_by_jo, renderers, tmp_path):
    html = tmp_path / "no" / "such" / "agenda.html"
    result = invoke("agenda", "--supervisor", "sam.k", "--worker", "jo.b", "--html", str(html))
    assert result.exit_code == people_cli.EXIT_INVALID
