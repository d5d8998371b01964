"""Who is writing: from a chat's (channel, sender id) to a person.

1. a chat identity already paired with a person;
2. else a person whose id or external id is the sender id (token-verified channels put
   the verified person id, or the Azure AD object id, in the sender id);
3. else, only when ``SUPERVISION_AUTO_ENROL`` is true (the default), a new worker.

A deactivated person is refused (``PersonDeactivated``), and so is an unknown sender
when auto-enrolment is off (``UnknownSender``). ``who`` is the one-transaction form the
actions use: the person as a ``PersonRef``, or None when refused.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from actions.services.access import PersonRef
from actions.settings import get_settings
from actions.store import people, repository
from actions.store.db import session_scope
from actions.store.models import Person
from actions.store.repository import InvalidValue, StoreError

logger = logging.getLogger(__name__)


class IdentityRefused(StoreError, PermissionError):
    """The sender may not use the assistant."""


class PersonDeactivated(IdentityRefused):
    pass


class UnknownSender(IdentityRefused):
    pass


def require_active(person: Person) -> Person:
    if not person.active:
        raise PersonDeactivated(f"person {person.id} is deactivated")
    return person


def resolve_person(
    session: Session, channel: str, sender_id: str, enrol: bool | None = None
) -> Person:
    """The active person behind (channel, sender_id); see the module's docstring.
    ``enrol=False`` never enrols (an unknown sender is ``UnknownSender``); by default
    the ``SUPERVISION_AUTO_ENROL`` setting decides."""
    for name, value in (("channel", channel), ("sender_id", sender_id)):
        if not isinstance(value, str) or not value.strip():
            raise InvalidValue(f"{name} must be a non-empty string")
    person = repository.find_person_by_sender(session, channel, sender_id)
    if person is None:
        person = people.find_by_id_or_external_id(session, sender_id)
    if person is None:
        if not (get_settings().auto_enrol if enrol is None else enrol):
            logger.warning("Unknown %s sender refused (auto-enrolment is off)", channel)
            raise UnknownSender(f"no person for this {channel} sender")
        person = repository.get_or_create_person_for_sender(session, channel, sender_id)
    return require_active(person)


def who(channel: str, sender_id: str, enrol: bool | None = None) -> PersonRef | None:
    """The active person behind this chat, in one transaction; None when the sender is
    refused (deactivated, or unknown with auto-enrolment off). An empty channel or
    sender id is ``InvalidValue``."""
    try:
        with session_scope() as session:
            return PersonRef.of(resolve_person(session, channel, sender_id, enrol))
    except IdentityRefused as refused:
        logger.info("chat sender refused: %s", type(refused).__name__)
        return None
