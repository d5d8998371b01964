"""Subject access: everything held about one person, as JSON-ready data
(``actions.store.export.subject_access`` plus their chat transcripts).

A person may export their own data; only an administrator may export someone else's.
``actor_id`` None is the command line (the server's user). Every export writes an audit
row about the person, so it shows in their next export and in the audit log.
"""

from __future__ import annotations

from typing import Any

from actions.services.access import acting_person, require_administrator
from actions.store import audit, export, people
from actions.store.db import session_scope
from actions.store.retention import sender_ids


def export_person_data(actor_id: str | None, handle: str) -> dict[str, Any]:
    """The subject-access export of the person with this username (or id)."""
    with session_scope() as s:
        person = people.get_by_handle(s, handle)
        if actor_id is not None and acting_person(s, actor_id).id != person.id:
            require_administrator(s, actor_id)
        data = export.subject_access(s, person.id)
        conversations = sender_ids(s, person)
        audit.record(s, actor_id, person.id, "data:export")
    data["chat_events"] = export.chat_events(conversations)
    return data
