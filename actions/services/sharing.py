"""The worker's choices about what their supervisor sees. Nothing is shared unless the
worker shares it: concerns (taken to supervision in the concern review), the note on a
concern, the answers to the ``for_supervision`` and impact questions, and a request to
talk about the impact of the work on them. Each call checks the debrief is the
worker's own and is one transaction.

In the chat, the end-of-debrief choices (bank questions ``share_answers`` and
``impact_talk``) are applied by ``debriefs.finish_debrief`` and a note added as context
by ``concern_review.share_with_note``, each inside that step's own transaction with the
same store functions; these calls are for changing one's mind later."""

from __future__ import annotations

from actions.services import access
from actions.store import sharing
from actions.store.db import session_scope
from actions.store.sharing import SHAREABLE_QUESTIONS

__all__ = [
    "SHAREABLE_QUESTIONS",
    "ask_to_talk_about_impact",
    "share_answer",
    "share_concern_note",
]


def share_answer(worker_id: str, debrief_id: str, question_id: str, shared: bool = True) -> None:
    """Share (or withdraw) the answer to one of ``SHAREABLE_QUESTIONS``."""
    with session_scope() as s:
        access.own_debrief(s, worker_id, debrief_id)
        sharing.share_answer(s, debrief_id, question_id, shared)


def share_concern_note(worker_id: str, concern_id: str, shared: bool = True) -> None:
    """Share the worker's note on a concern; a concern not yet shared is taken to
    supervision with it (the note means nothing without its concern). ``shared=False``
    withdraws the note only."""
    with session_scope() as s:
        concern = sharing.get_concern(s, concern_id)
        access.own_debrief(s, worker_id, concern.debrief_id)
        if shared:
            sharing.take_to_supervision_with_note(s, concern)
        else:
            sharing.share_concern_note(s, concern, shared=False)


def ask_to_talk_about_impact(worker_id: str, debrief_id: str, asked: bool = True) -> None:
    """Ask (or stop asking) to talk in supervision about the impact of the work on me."""
    with session_scope() as s:
        access.own_debrief(s, worker_id, debrief_id)
        sharing.request_impact_talk(s, debrief_id, asked)
