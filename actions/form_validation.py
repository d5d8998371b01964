"""The base of every form validation here: the form's questions are decided by this
action server, never read from the domain Rasa sends.

Rasa sends its whole domain (about 77 kB of JSON) with every call to the action server
unless `enable_selective_domain` is set on the action endpoint; then it sends the domain
only to actions marked `send_domain: true`, and none of ours needs it. The SDK's
`FormValidationAction` reads the domain in two places: the default `required_slots`
(the form's slots listed in the domain) and `next_requested_slot`, which leaves the
next question to Rasa when `required_slots` gives the domain's list unchanged. With no
domain that comparison is with an empty list, so a form with nothing left to ask would
be asked its domain questions again instead of ending. Every form here says its own
questions from the tracker alone (`questions`), and this base always names the next one
itself: the same events whether the domain is sent or not (tests/actions run every
action with the domain Rasa sends it).
"""

from __future__ import annotations

from abc import abstractmethod

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict


class OwnQuestionsFormValidation(FormValidationAction):
    """A form validation whose `questions` (which subclasses give) decide what it asks;
    `requested_slot` is always set, to the first unanswered one or None."""

    # Abstract, so that the SDK's scan of `actions/` does not register this base itself.
    @abstractmethod
    def questions(self, tracker: Tracker) -> list[str]:
        """The form's questions (slot names), in order, from the tracker alone."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return self.questions(tracker)

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        unanswered = (name for name in self.questions(tracker) if tracker.slots.get(name) is None)
        return SlotSet(REQUESTED_SLOT, next(unanswered, None))
