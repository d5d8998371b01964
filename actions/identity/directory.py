"""Who may use the development sign-in: the active people in the database.

A plain read of the ``people`` table; nothing is written. Used only when
``SUPERVISION_DEV_SIGNIN`` is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from actions.store import db
from actions.store.models import Person

MAX_LISTED = 200


@dataclass(frozen=True)
class PersonEntry:
    id: str
    name: str
    role: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "role": self.role}


def _entry(
    person_id: str, display_name: str | None, username: str | None, role: str
) -> PersonEntry:
    name = display_name or username or f"Person {person_id[:8]}"
    return PersonEntry(id=person_id, name=name, role=role)


COLUMNS = (Person.id, Person.display_name, Person.username, Person.role)


def active_people(url: str | None = None) -> list[PersonEntry]:
    """Active people, by name (at most MAX_LISTED)."""
    query = (
        select(*COLUMNS)
        .where(Person.active.is_(True))
        .order_by(Person.display_name, Person.id)
        .limit(MAX_LISTED)
    )
    with db.get_engine(url).connect() as connection:
        return [_entry(*row) for row in connection.execute(query)]


def active_person(person_id: str, url: str | None = None) -> PersonEntry | None:
    """The active person with this id, or None."""
    query = select(*COLUMNS).where(Person.id == person_id, Person.active.is_(True))
    with db.get_engine(url).connect() as connection:
        row = connection.execute(query).first()
    return _entry(*row) if row else None
