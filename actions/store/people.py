"""People, teams and who supervises whom (store functions: take a session, never commit).

Nothing here checks permissions: ``actions.services.access`` does, before calling in.
Deactivating a person never deletes anything; a change of supervisor ends the current
assignment and starts a new one, so the history is kept.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.store.models import (
    ROLES,
    Person,
    SupervisorAssignment,
    Team,
    TeamMember,
    utc_now,
)
from actions.store.repository import InvalidValue, NotFound, PersonNotFound

logger = logging.getLogger(__name__)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SUPERVISOR_ROLES = ("supervisor",)
SUPERVISED_ROLES = ("worker", "supervisor")


class TeamNotFound(NotFound):
    pass


class AlreadyExists(InvalidValue):
    """A username, external id or team name that is taken."""


# --- people --------------------------------------------------------------------------


def normalise_username(username: str) -> str:
    cleaned = (username or "").strip().lower()
    if not USERNAME.match(cleaned):
        raise InvalidValue(
            f"username {username!r} must be 1-64 characters: letters, digits, '.', '_' or '-'"
        )
    return cleaned


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _check_email(email: str | None) -> str | None:
    email = _clean(email)
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise InvalidValue(f"email {email!r} does not look like an email address")
    return email


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidValue(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    return role


def find_by_username(s: Session, username: str) -> Person | None:
    query = select(Person).where(Person.username == username.strip().lower())
    return s.execute(query).scalars().one_or_none()


def find_by_id_or_external_id(s: Session, value: str) -> Person | None:
    """The person whose id or external id (a token's verified subject) is ``value``."""
    value = value.strip()
    person = s.get(Person, value)
    if person is not None:
        return person
    query = select(Person).where(Person.external_id == value)
    return s.execute(query).scalars().one_or_none()


def get_by_handle(s: Session, handle: str) -> Person:
    """A person by username (any case) or id."""
    person = find_by_username(s, handle) or s.get(Person, handle.strip())
    if person is None:
        raise PersonNotFound(f"no person with username or id {handle!r}")
    return person


def create_person(
    s: Session,
    username: str,
    display_name: str,
    role: str = "worker",
    email: str | None = None,
    external_id: str | None = None,
) -> Person:
    username = normalise_username(username)
    display_name = _clean(display_name)
    if display_name is None:
        raise InvalidValue("display name must not be empty")
    external_id = _clean(external_id)
    if find_by_username(s, username) is not None:
        raise AlreadyExists(f"username {username!r} is taken")
    if external_id and find_by_id_or_external_id(s, external_id) is not None:
        raise AlreadyExists(f"external id {external_id!r} belongs to someone else")
    person = Person(
        username=username,
        display_name=display_name,
        role=check_role(role),
        email=_check_email(email),
        external_id=external_id,
        active=True,
    )
    s.add(person)
    s.flush()
    logger.info("Person %s added (%s)", person.id, role)
    return person


def set_active(s: Session, person: Person, active: bool) -> Person:
    """Deactivate (keeping every record) or reactivate a person."""
    if person.active == active:
        return person
    person.active = active
    person.deactivated_at = None if active else utc_now()
    s.flush()
    logger.info("Person %s %s", person.id, "reactivated" if active else "deactivated")
    return person


def list_people(s: Session, role: str | None = None, team: str | None = None) -> list[Person]:
    query = select(Person).order_by(func.lower(Person.username), Person.created_at)
    if role is not None:
        query = query.where(Person.role == check_role(role))
    if team is not None:
        team_id = get_team(s, team).id
        query = query.join(TeamMember, TeamMember.person_id == Person.id).where(
            TeamMember.team_id == team_id
        )
    return list(s.execute(query).scalars())


# --- teams ---------------------------------------------------------------------------


def _find_team(s: Session, name: str) -> Team | None:
    query = select(Team).where(func.lower(Team.name) == name.strip().lower())
    return s.execute(query).scalars().one_or_none()


def get_team(s: Session, name: str) -> Team:
    team = _find_team(s, name)
    if team is None:
        raise TeamNotFound(f"no team called {name!r}")
    return team


def create_team(s: Session, name: str) -> Team:
    cleaned = _clean(name)
    if cleaned is None:
        raise InvalidValue("team name must not be empty")
    if _find_team(s, cleaned) is not None:
        raise AlreadyExists(f"team {cleaned!r} exists")
    team = Team(name=cleaned)
    s.add(team)
    s.flush()
    return team


def list_teams(s: Session) -> list[Team]:
    return list(s.execute(select(Team).order_by(func.lower(Team.name))).scalars())


def add_member(s: Session, team: Team, person: Person) -> TeamMember:
    """Put ``person`` in ``team``; already a member: nothing changes."""
    query = select(TeamMember).where(
        TeamMember.team_id == team.id, TeamMember.person_id == person.id
    )
    member = s.execute(query).scalars().one_or_none()
    if member is None:
        member = TeamMember(team_id=team.id, person_id=person.id)
        s.add(member)
        s.flush()
    return member


def remove_member(s: Session, team: Team, person: Person) -> bool:
    query = select(TeamMember).where(
        TeamMember.team_id == team.id, TeamMember.person_id == person.id
    )
    member = s.execute(query).scalars().one_or_none()
    if member is None:
        return False
    s.delete(member)
    s.flush()
    return True


def team_names(s: Session, person_ids: list[str]) -> dict[str, list[str]]:
    """Team names per person id (every id is a key)."""
    names: dict[str, list[str]] = {person_id: [] for person_id in person_ids}
    query = (
        select(TeamMember.person_id, Team.name)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.person_id.in_(person_ids))
        .order_by(Team.name)
    )
    for person_id, name in s.execute(query):
        names[person_id].append(name)
    return names


# --- supervision ---------------------------------------------------------------------


def current_assignment(s: Session, worker_id: str) -> SupervisorAssignment | None:
    query = select(SupervisorAssignment).where(
        SupervisorAssignment.worker_id == worker_id, SupervisorAssignment.ended_at.is_(None)
    )
    return s.execute(query).scalars().first()


def current_supervisor(s: Session, worker_id: str) -> Person | None:
    assignment = current_assignment(s, worker_id)
    return assignment.supervisor if assignment is not None else None


def is_current_supervisor(s: Session, supervisor_id: str, worker_id: str) -> bool:
    assignment = current_assignment(s, worker_id)
    return assignment is not None and assignment.supervisor_id == supervisor_id


def current_supervisees(s: Session, supervisor_id: str) -> list[Person]:
    query = (
        select(Person)
        .join(SupervisorAssignment, SupervisorAssignment.worker_id == Person.id)
        .where(
            SupervisorAssignment.supervisor_id == supervisor_id,
            SupervisorAssignment.ended_at.is_(None),
        )
        .order_by(func.lower(Person.display_name), Person.username)
    )
    return list(s.execute(query).scalars())


def assign_supervisor(
    s: Session, supervisor: Person, worker: Person, at: datetime | None = None
) -> SupervisorAssignment:
    """Make ``supervisor`` the worker's current supervisor, ending any other assignment."""
    if supervisor.id == worker.id:
        raise InvalidValue("a person cannot supervise themselves")
    if supervisor.role not in SUPERVISOR_ROLES:
        raise InvalidValue(f"{supervisor.username or supervisor.id} is not a supervisor")
    if worker.role not in SUPERVISED_ROLES:
        raise InvalidValue(f"{worker.username or worker.id} is an {worker.role}, not supervised")
    current = current_assignment(s, worker.id)
    if current is not None and current.supervisor_id == supervisor.id:
        return current
    at = at or utc_now()
    if current is not None:
        current.ended_at = at
    assignment = SupervisorAssignment(
        supervisor_id=supervisor.id, worker_id=worker.id, started_at=at
    )
    s.add(assignment)
    s.flush()
    logger.info("Person %s now supervises %s", supervisor.id, worker.id)
    return assignment


def end_supervision(s: Session, worker: Person, at: datetime | None = None) -> bool:
    current = current_assignment(s, worker.id)
    if current is None:
        return False
    current.ended_at = at or utc_now()
    s.flush()
    return True


def assignment_history(s: Session, worker_id: str) -> list[SupervisorAssignment]:
    query = (
        select(SupervisorAssignment)
        .where(SupervisorAssignment.worker_id == worker_id)
        .order_by(SupervisorAssignment.started_at)
    )
    return list(s.execute(query).scalars())
