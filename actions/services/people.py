"""Managing people, teams and supervision (what ``python -m actions.people`` does).

Each call is one transaction. ``actor_id`` is the administrator doing it; None means the
command line, whose user already has the server (and its database) in hand. Every
change writes an audit row. Nothing here reads case content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.services.access import PersonRef, require_administrator
from actions.store import audit, people
from actions.store.db import session_scope
from actions.store.models import ChatIdentity, Person, SupervisorAssignment, TeamMember
from actions.store.repository import InvalidValue

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PersonView:
    id: str
    username: str | None
    display_name: str | None
    role: str
    email: str | None
    external_id: str | None
    active: bool
    deactivated_at: datetime | None
    teams: tuple[str, ...] = ()
    supervisor: str | None = None  # the current supervisor's name

    @property
    def name(self) -> str:
        return self.display_name or self.username or f"worker {self.id[:8]}"


@dataclass(frozen=True)
class AssignmentView:
    supervisor: str
    worker: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class PersonDetail:
    person: PersonView
    supervisees: tuple[str, ...]
    supervision_history: tuple[AssignmentView, ...]
    chat_identities: int


@dataclass(frozen=True)
class TeamView:
    name: str
    members: int


def _operator(s: Session, actor_id: str | None) -> str | None:
    return require_administrator(s, actor_id).id if actor_id is not None else None


def _view(s: Session, person: Person) -> PersonView:
    supervisor = people.current_supervisor(s, person.id)
    return PersonView(
        id=person.id,
        username=person.username,
        display_name=person.display_name,
        role=person.role,
        email=person.email,
        external_id=person.external_id,
        active=person.active,
        deactivated_at=person.deactivated_at,
        teams=tuple(people.team_names(s, [person.id])[person.id]),
        supervisor=PersonRef.of(supervisor).name if supervisor is not None else None,
    )


def _assignment_view(row: SupervisorAssignment) -> AssignmentView:
    return AssignmentView(
        supervisor=PersonRef.of(row.supervisor).name,
        worker=PersonRef.of(row.worker).name,
        started_at=row.started_at,
        ended_at=row.ended_at,
    )


def add_person(
    username: str,
    display_name: str,
    role: str = "worker",
    email: str | None = None,
    external_id: str | None = None,
    team: str | None = None,
    actor_id: str | None = None,
) -> PersonView:
    with session_scope() as s:
        actor = _operator(s, actor_id)
        person = people.create_person(s, username, display_name, role, email, external_id)
        if team is not None:
            people.add_member(s, people.get_team(s, team), person)
        audit.record(s, actor, person.id, "people:add", f"role={person.role}")
        return _view(s, person)


def add_team(name: str, actor_id: str | None = None) -> TeamView:
    with session_scope() as s:
        actor = _operator(s, actor_id)
        team = people.create_team(s, name)
        audit.record(s, actor, None, "teams:add", f"team={team.id}")
        return TeamView(team.name, 0)


def list_teams() -> list[TeamView]:
    with session_scope() as s:
        counts = dict(
            s.execute(select(TeamMember.team_id, func.count()).group_by(TeamMember.team_id)).all()
        )
        return [TeamView(team.name, counts.get(team.id, 0)) for team in people.list_teams(s)]


def join_team(handle: str, team: str, actor_id: str | None = None) -> PersonView:
    with session_scope() as s:
        actor = _operator(s, actor_id)
        person = people.get_by_handle(s, handle)
        found = people.get_team(s, team)
        people.add_member(s, found, person)
        audit.record(s, actor, person.id, "teams:join", f"team={found.id}")
        return _view(s, person)


def leave_team(handle: str, team: str, actor_id: str | None = None) -> PersonView:
    with session_scope() as s:
        actor = _operator(s, actor_id)
        person = people.get_by_handle(s, handle)
        found = people.get_team(s, team)
        if people.remove_member(s, found, person):
            audit.record(s, actor, person.id, "teams:leave", f"team={found.id}")
        return _view(s, person)


def assign_supervisor(supervisor: str, worker: str, actor_id: str | None = None) -> AssignmentView:
    """Make ``supervisor`` the current supervisor of ``worker`` (usernames or ids)."""
    with session_scope() as s:
        actor = _operator(s, actor_id)
        boss = people.get_by_handle(s, supervisor)
        supervisee = people.get_by_handle(s, worker)
        if not boss.active:
            raise InvalidValue(f"{PersonRef.of(boss).name} is deactivated")
        row = people.assign_supervisor(s, boss, supervisee)
        audit.record(s, actor, supervisee.id, "people:assign", f"supervisor={boss.id}")
        return _assignment_view(row)


def list_people(
    role: str | None = None, team: str | None = None, active_only: bool = False
) -> list[PersonView]:
    with session_scope() as s:
        found = people.list_people(s, role=role, team=team)
        return [_view(s, person) for person in found if person.active or not active_only]


def show_person(handle: str) -> PersonDetail:
    with session_scope() as s:
        person = people.get_by_handle(s, handle)
        identities = s.execute(
            select(func.count())
            .select_from(ChatIdentity)
            .where(ChatIdentity.person_id == person.id)
        ).scalar_one()
        return PersonDetail(
            person=_view(s, person),
            supervisees=tuple(
                PersonRef.of(each).name for each in people.current_supervisees(s, person.id)
            ),
            supervision_history=tuple(
                _assignment_view(row) for row in people.assignment_history(s, person.id)
            ),
            chat_identities=identities,
        )


def set_active(handle: str, active: bool, actor_id: str | None = None) -> PersonView:
    """Deactivate or reactivate someone; nothing of theirs is deleted."""
    with session_scope() as s:
        actor = _operator(s, actor_id)
        person = people.get_by_handle(s, handle)
        if person.active != active:
            people.set_active(s, person, active)
            action = "people:reactivate" if active else "people:deactivate"
            audit.record(s, actor, person.id, action)
        return _view(s, person)


def deactivate(handle: str, actor_id: str | None = None) -> PersonView:
    return set_active(handle, False, actor_id)


def reactivate(handle: str, actor_id: str | None = None) -> PersonView:
    return set_active(handle, True, actor_id)


def person_id(handle: str) -> str:
    """The id of the person with this username (or id)."""
    with session_scope() as s:
        return people.get_by_handle(s, handle).id
