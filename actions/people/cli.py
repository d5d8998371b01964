"""Manage people, teams and supervision, and export a supervision agenda.

    python -m actions.people add sam.k "Sam Kerr" --role supervisor --team "North"
    python -m actions.people assign sam.k jo.b
    python -m actions.people list --role worker
    python -m actions.people agenda --supervisor sam.k --worker jo.b --html agenda.html
    python -m actions.people --as ana.a audit --subject jo.b --since 2025-01-01
    python -m actions.people purge --dry-run          (see actions.people.retention_cli)
    python -m actions.people --as ana.a erase jo.b --confirm
    python -m actions.people --as jo.b export jo.b --out jo.json

Built on click (Typer's foundation): the Typer pinned by spaCy 3.4 (typer 0.7) cannot
run with the pinned click 8.5 (``--help`` fails and every option parses as a flag).

Exit codes: 0 done; 1 the database (or an agenda renderer) is not usable; 2 a bad
value or usage; 3 no such person, team or session; 4 refused (not allowed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

import click

from actions.people import output, retention_cli
from actions.people.common import (  # noqa: F401 - the exit codes are this module's API
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNAVAILABLE,
    actor_id,
    fail,
    reported,
)
from actions.services import access, supervision
from actions.services import people as service
from actions.store import db
from actions.store.models import ROLES, UTC

logger = logging.getLogger(__name__)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    metavar="URL",
    help="Database to use (default: SUPERVISION_DATABASE_URL or var/supervision.db).",
)
@click.option(
    "--as",
    "acting_as",
    metavar="USERNAME",
    help="Act as this administrator (or as yourself, to export your own data): "
    "checked, and named in the audit log (default: the command line, whose user runs "
    "the server).",
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, acting_as: str | None) -> None:
    """People, teams and supervision for the reflective-supervision assistant.

    Deactivating someone never deletes their records. Every change is written to the
    audit log.
    """
    ctx.obj = {"as": acting_as}
    if database_url:
        db.set_default_url(database_url)
        ctx.call_on_close(lambda: db.set_default_url(None))


@cli.command()
@click.argument("username")
@click.argument("display_name")
@click.option(
    "--role", type=click.Choice(ROLES), default="worker", show_default=True, help="Their role."
)
@click.option("--email", help="Their email address (optional).")
@click.option(
    "--external-id",
    metavar="ID",
    help="Their verified identity on a token channel: the OIDC subject, or the "
    "Azure AD object id from Microsoft Teams (optional, unique).",
)
@click.option("--team", help="Put them in this (existing) team.")
@click.pass_context
@reported
def add(ctx, username, display_name, role, email, external_id, team) -> None:
    """Add a person: USERNAME is a short handle such as sam.k."""
    person = service.add_person(
        username, display_name, role, email, external_id, team, actor_id(ctx)
    )
    click.echo(f"added {person.username} ({person.name}, {person.role})")


@cli.group()
def team() -> None:
    """Teams and their members."""


@team.command("add")
@click.argument("name")
@click.pass_context
@reported
def team_add(ctx, name) -> None:
    """Add a team called NAME."""
    click.echo(f"added team {service.add_team(name, actor_id(ctx)).name}")


@team.command("list")
@reported
def team_list() -> None:
    """List the teams and how many people are in each."""
    click.echo(output.teams_table(service.list_teams()))


@team.command("join")
@click.argument("username")
@click.argument("name")
@click.pass_context
@reported
def team_join(ctx, username, name) -> None:
    """Put USERNAME in the team NAME."""
    person = service.join_team(username, name, actor_id(ctx))
    click.echo(f"{person.username} is in {', '.join(person.teams)}")


@team.command("leave")
@click.argument("username")
@click.argument("name")
@click.pass_context
@reported
def team_leave(ctx, username, name) -> None:
    """Take USERNAME out of the team NAME."""
    person = service.leave_team(username, name, actor_id(ctx))
    click.echo(f"{person.username} is in {', '.join(person.teams) or 'no team'}")


@cli.command()
@click.argument("supervisor")
@click.argument("worker")
@click.pass_context
@reported
def assign(ctx, supervisor, worker) -> None:
    """Make SUPERVISOR the supervisor of WORKER (ending any earlier supervision; the
    history is kept)."""
    row = service.assign_supervisor(supervisor, worker, actor_id(ctx))
    click.echo(f"{row.supervisor} now supervises {row.worker}")


@cli.command("list")
@click.option("--role", type=click.Choice(ROLES), help="Only people with this role.")
@click.option("--team", help="Only members of this team.")
@click.option("--active-only", is_flag=True, help="Leave out deactivated people.")
@reported
def list_(role, team, active_only) -> None:
    """List people with their role, teams and current supervisor."""
    click.echo(output.people_table(service.list_people(role, team, active_only)))


@cli.command()
@click.argument("username")
@reported
def show(username) -> None:
    """Show one person: details, teams, supervisor, supervisees and history."""
    click.echo(output.person_details(service.show_person(username)))


@cli.command()
@click.argument("username")
@click.pass_context
@reported
def deactivate(ctx, username) -> None:
    """Deactivate USERNAME: they lose access at once; nothing is deleted."""
    person = service.deactivate(username, actor_id(ctx))
    click.echo(f"{person.username or person.id} is deactivated")


@cli.command()
@click.argument("username")
@click.pass_context
@reported
def reactivate(ctx, username) -> None:
    """Reactivate USERNAME."""
    person = service.reactivate(username, actor_id(ctx))
    click.echo(f"{person.username or person.id} is active")


def _utc_day(day: datetime | None, days_after: int = 0) -> datetime | None:
    """Midnight UTC at the start of ``day`` (plus ``days_after`` days)."""
    if day is None:
        return None
    return datetime.combine(day.date() + timedelta(days=days_after), time(), UTC)


@cli.command()
@click.option("--subject", metavar="USERNAME", help="Only rows about this person's records.")
@click.option("--actor", metavar="USERNAME", help="Only what this person did.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="From this day (UTC).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="To this day, included.")
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True)
@click.pass_context
@reported
def audit(ctx, subject, actor, since, until, limit) -> None:
    """Show the audit log, newest first (needs --as ADMINISTRATOR): who read or changed
    whose records, what and when."""
    admin = actor_id(ctx)
    if admin is None:
        fail("the audit log is for administrators: give --as USERNAME", EXIT_REFUSED)
    subject_id = service.person_id(subject) if subject else None
    by = service.person_id(actor) if actor else None
    rows = access.list_audit_log(
        admin, subject_id, limit, by=by, since=_utc_day(since), until=_utc_day(until, 1)
    )
    click.echo(output.audit_table(rows))


def _renderers(html: bool, pdf: bool) -> dict[str, Callable]:
    """The agenda renderers asked for, imported only now (they are optional)."""
    found: dict[str, Callable] = {}
    try:
        if html:
            from actions.reports.agenda_html import render_agenda_html

            found["html"] = render_agenda_html
        if pdf:
            from actions.reports.agenda_pdf import render_agenda_pdf

            found["pdf"] = render_agenda_pdf
    except ImportError as error:
        fail(f"the agenda renderer is not available ({error})", EXIT_UNAVAILABLE)
    return found


def _check_directories(*paths: Path | None) -> None:
    for path in paths:
        if path is not None and not path.parent.is_dir():
            fail(f"no such directory: {path.parent}", EXIT_INVALID)


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    click.echo(f"wrote {path}")


@cli.command()
@click.option("--supervisor", required=True, metavar="USERNAME", help="The supervisor.")
@click.option("--worker", required=True, metavar="USERNAME", help="Their supervisee.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--session", "session_id", metavar="ID", help="A supervision session's id.")
@click.option("--team-questions", is_flag=True, help="Add the team-around-the-child questions.")
@click.option("--organisation-questions", is_flag=True, help="Add the organisation questions.")
@reported
def agenda(
    supervisor, worker, html_path, pdf_path, session_id, team_questions, organisation_questions
) -> None:
    """Export the agenda of WORKER's next supervision with SUPERVISOR, from what the
    worker shared, as HTML and/or PDF. The supervisor must be the worker's current
    supervisor; the read is audited under the supervisor's name."""
    if html_path is None and pdf_path is None:
        fail("give --html PATH, --pdf PATH or both", EXIT_INVALID)
    _check_directories(html_path, pdf_path)
    renderers = _renderers(html_path is not None, pdf_path is not None)
    sets = ("team_around_child",) * team_questions + ("organisation",) * organisation_questions
    built = supervision.build_agenda(
        service.person_id(supervisor), service.person_id(worker), session_id, sets
    )
    outputs = {name: render(built) for name, render in renderers.items()}
    for name, path in (("html", html_path), ("pdf", pdf_path)):
        if path is not None:
            _write(path, outputs[name])


retention_cli.register(cli)


def main() -> None:
    cli(prog_name="python -m actions.people")
