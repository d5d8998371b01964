"""Retention, erasure and subject access on the command line (registered on the
``python -m actions.people`` group by ``register``):

    python -m actions.people purge --dry-run         what is past its period, per type
    python -m actions.people purge                   delete it (batches, audited)
    python -m actions.people erase USERNAME --confirm
    python -m actions.people --as jo.b export jo.b --out jo.json

Periods: actions/retention.yml (local policy), SUPERVISION_RETENTION_<TYPE>_DAYS. With
``--as USERNAME`` the person must be an administrator (a person may export their own
data); without it, the command line acts (the server's user) and is audited as such.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from actions.people import output
from actions.people.common import EXIT_INVALID, actor_id, fail, reported
from actions.services import retention, subject_access
from actions.services.retention_policy import (
    MAX_BATCH_SIZE,
    RECORD_TYPES,
    RetentionConfigError,
    RetentionPolicy,
    load_policy,
)

LARGE = 1000  # rows to delete from which a progress bar is shown


class ProgressDisplay:
    """Progress on stderr, for a terminal only: "counting" per type, and a bar for a
    type with many rows to delete."""

    def __init__(self, threshold: int = LARGE) -> None:
        self.threshold = threshold
        self.stream = click.get_text_stream("stderr")
        self.interactive = self.stream.isatty()
        self.bar = None
        self.label: str | None = None

    def __call__(self, record_type: str, done: int, total: int) -> None:
        if not self.interactive:
            return
        if total == 0:
            self.close()
            click.echo(f"{record_type}: counting...", err=True)
        elif total >= self.threshold:
            self._bar(record_type, total).update(done - self.bar.pos)

    def _bar(self, record_type: str, total: int):
        if self.label != record_type:
            self.close()
            self.bar = click.progressbar(
                length=total, label=f"deleting {record_type}", file=self.stream
            )
            self.bar.__enter__()
            self.label = record_type
        return self.bar

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        self.bar, self.label = None, None

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _policy() -> RetentionPolicy:
    try:
        return load_policy()
    except RetentionConfigError as error:
        fail(f"invalid retention policy: {error}", EXIT_INVALID)


@click.command()
@click.option("--dry-run", is_flag=True, help="Count what would go, per type; delete nothing.")
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(RECORD_TYPES),
    help="Only this record type (repeatable).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, MAX_BATCH_SIZE),
    help="Rows per transaction (default: the policy's batch_size).",
)
@click.pass_context
@reported
def purge(ctx, dry_run, only, batch_size) -> None:
    """Delete every record past its retention period (actions/retention.yml).

    Types: debriefs (with answers, revisions, concerns, visits, unused cases),
    supervision_sessions (notes, outcomes, actions), chat_events (the tracker store),
    agenda_files, deactivated_people (erased as `erase` does) and audit_log. Deletes in
    batches, one transaction each, and writes one audit row per type (counts only).
    """
    policy = _policy()
    with ProgressDisplay() as progress:
        report = retention.purge(
            actor_id(ctx),
            dry_run=dry_run,
            only=only,
            batch_size=batch_size,
            policy=policy,
            progress=progress,
        )
    click.echo(output.purge_table(report))


@click.command()
@click.argument("person")
@click.option("--confirm", is_flag=True, help="Really erase: it cannot be undone.")
@click.pass_context
@reported
def erase(ctx, person, confirm) -> None:
    """Erase PERSON's data (a username or id), on their request.

    Removes their debriefs (answers, revisions, concerns), cases, their own supervision
    notes and the notes they wrote as a supervisor, their chat identities and chat
    transcripts, and their name, username, email and external id. Kept, without anything
    identifying: agreed actions someone else needs (an action they owned stays, owned by
    "an erased person"), and the audit log, including a row for this erasure.
    """
    if not confirm:
        preview = retention.erasure_preview(actor_id(ctx), person)
        click.echo(output.erasure_summary(preview))
        fail(
            "erasing cannot be undone, so nothing was erased: check the counts above, "
            "then run again with --confirm",
            EXIT_INVALID,
        )
    click.echo(output.erasure_summary(retention.erase(actor_id(ctx), person)))


def _write_private(path: Path, text: str) -> None:
    """Create ``path`` (never overwrite), readable by this user only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


@click.command("export")
@click.argument("person")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The JSON file to write (must not exist; made readable by you only).",
)
@click.pass_context
@reported
def export_(ctx, person, out) -> None:
    """Export everything held about PERSON as JSON (subject access): their records,
    supervision, the audit rows about them (who read their records) and their chats.

    A person may export their own data (--as THEM); anyone else's needs an
    administrator. The export is audited.
    """
    if not out.parent.is_dir():
        fail(f"no such directory: {out.parent}", EXIT_INVALID)
    if out.exists():
        fail(f"{out} exists; give a new file name", EXIT_INVALID)
    data = subject_access.export_person_data(actor_id(ctx), person)
    _write_private(out, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    click.echo(
        f"wrote {out}: {len(data['debriefs'])} debriefs, "
        f"{len(data['supervision']['sessions'])} supervision sessions, "
        f"{len(data['audit_log_about_you'])} audit rows, {len(data['chat_events'])} chat events"
    )


def register(group: click.Group) -> None:
    for command in (purge, erase, export_):
        group.add_command(command)
