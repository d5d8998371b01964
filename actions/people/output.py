"""Plain-text output of the people command line (tables and details)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from actions.services.access import AuditRow
from actions.services.people import AssignmentView, PersonDetail, PersonView, TeamView
from actions.services.retention import ErasureReport, PurgeReport, TypeReport

NOTHING = "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, a rule under the headers."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else NOTHING


def people_table(people: Sequence[PersonView]) -> str:
    if not people:
        return "No one matches."
    rows = [
        [
            p.username or NOTHING,
            p.display_name or NOTHING,
            p.role,
            ", ".join(p.teams) or NOTHING,
            p.supervisor or NOTHING,
            "yes" if p.active else "no",
        ]
        for p in people
    ]
    return table(["USERNAME", "NAME", "ROLE", "TEAMS", "SUPERVISOR", "ACTIVE"], rows)


def teams_table(teams: Sequence[TeamView]) -> str:
    if not teams:
        return "No teams yet."
    return table(["TEAM", "MEMBERS"], [[t.name, str(t.members)] for t in teams])


def _assignment(row: AssignmentView) -> str:
    until = when(row.ended_at) if row.ended_at else "now"
    return f"  {row.supervisor} supervised {row.worker}: {when(row.started_at)} to {until}"


def person_details(detail: PersonDetail) -> str:
    p = detail.person
    lines = [
        f"username:        {p.username or NOTHING}",
        f"name:            {p.display_name or NOTHING}",
        f"id:              {p.id}",
        f"role:            {p.role}",
        f"email:           {p.email or NOTHING}",
        f"external id:     {p.external_id or NOTHING}",
        f"active:          {'yes' if p.active else 'no, since ' + when(p.deactivated_at)}",
        f"teams:           {', '.join(p.teams) or NOTHING}",
        f"supervisor:      {p.supervisor or NOTHING}",
        f"supervises:      {', '.join(detail.supervisees) or NOTHING}",
        f"chat identities: {detail.chat_identities}",
        "supervision history:",
    ]
    history = [_assignment(row) for row in detail.supervision_history]
    return "\n".join(lines + (history or [f"  {NOTHING}"]))


def audit_table(rows: Sequence[AuditRow]) -> str:
    if not rows:
        return "The audit log is empty."
    cells = [
        [when(r.at), r.actor, r.subject or NOTHING, r.action, r.detail or NOTHING] for r in rows
    ]
    return table(["WHEN", "WHO", "WHOSE RECORDS", "WHAT", "DETAIL"], cells)


def day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else NOTHING


def counts_text(counts: dict[str, int]) -> str:
    return " ".join(f"{key}={value}" for key, value in counts.items() if value) or NOTHING


def _purge_row(row: TypeReport) -> list[str]:
    return [
        row.record_type,
        str(row.period_days) if row.period_days is not None else "never",
        day(row.cutoff),
        str(row.count),
        day(row.oldest),
        row.note or counts_text(dict(row.includes)),
    ]


def purge_table(report: PurgeReport) -> str:
    count = "WOULD GO" if report.dry_run else "DELETED"
    headers = ["TYPE", "KEEP DAYS", "BEFORE", count, "OLDEST", "WITH"]
    lines = [
        f"Retention policy: {report.policy_source} (now {when(report.now)})",
        table(headers, [_purge_row(row) for row in report.types]),
    ]
    if report.dry_run:
        lines.append("Dry run: nothing was deleted.")
    return "\n".join(lines)


def erasure_summary(report: ErasureReport) -> str:
    what = "Erased" if report.erased else "Erasing would remove"
    return f"{what} ({report.name}, id {report.person_id}): {counts_text(dict(report.counts))}"
