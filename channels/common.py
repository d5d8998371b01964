"""What the chat connectors share: who the user is (from a verified token only), the
limits on message length and rate, the plain words said when a limit is hit, and a
user's own conversation history.

The sender id of a conversation is the verified token's subject, and a socket.io room
is derived from it; nothing a client sends (a ``sender``, ``session_id`` or
``metadata``) changes either.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from actions.identity.config import IdentityConfig, get_identity_config
from actions.identity.tokens import Identity, TokenError, TokenVerifier

logger = logging.getLogger(__name__)

# Plain words for the user when a message cannot be taken. Never echo what they typed.
TOO_LONG = (
    "That message is longer than I can take in one go ({limit:,} characters). Could you "
    "send it in two or three parts? Nothing has been lost."
)
RATE_LIMITED = (
    "You're sending messages faster than I can read them. Please wait a moment, then "
    "send that again. Nothing has been lost."
)
MALFORMED = "I couldn't read that message. Please type it again."
# Said when handling a message produced no reply (e.g. the action server was restarting):
# Rasa logs the failed action and carries on, so silence is the only sign.
NO_REPLY = (
    "Sorry, I couldn't take that in just now. Nothing you've said is lost: please send it "
    "again in a moment."
)
SIGN_IN_AGAIN = (
    "Your sign-in has run out or is not valid. Please sign in again; your answers so far are saved."
)
NOT_SIGNED_IN = "Please sign in first."
SIGN_IN_UNAVAILABLE = "Sign-in is not available just now. Please try again in a few minutes."

HISTORY_LIMIT = 300


# --- identity ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def get_verifier() -> TokenVerifier:
    verifier = TokenVerifier(get_identity_config())
    if not verifier.configured:
        logger.warning(
            "No token issuer is configured (SUPERVISION_DEV_SIGNIN or SUPERVISION_OIDC_*): "
            "every chat request will be refused."
        )
    return verifier


def reset_for_tests() -> None:
    """Forget the cached configuration, verifier and rate counts."""
    get_identity_config.cache_clear()
    get_verifier.cache_clear()
    get_rate_limiter.cache_clear()


async def verify_token(token: Any) -> Identity:
    """The identity a token proves; raises TokenError. Off the event loop when checking
    may fetch the identity provider's keys."""
    verifier = get_verifier()
    if verifier.uses_network:
        return await asyncio.to_thread(verifier.verify, token)
    return verifier.verify(token)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def sender_id_for(identity: Identity) -> str:
    """The conversation (tracker) id of a verified user: the token's subject."""
    return identity.subject


def room_for(sender_id: str) -> str:
    """The socket.io room a user's replies go to, derived from the verified sender id."""
    return f"user:{sender_id}"


def message_metadata(identity: Identity) -> dict[str, Any]:
    """The metadata the bot receives with a message: the verified identity only."""
    return {"identity": identity.as_metadata()}


def auth_failure_message(error: TokenError) -> str:
    if error.reason == "keys_unavailable":
        return SIGN_IN_UNAVAILABLE
    if error.reason == "missing":
        return NOT_SIGNED_IN
    return SIGN_IN_AGAIN


# --- limits --------------------------------------------------------------------------


class RateLimiter:
    """At most ``limit`` messages per ``window`` seconds for each key (sliding window)."""

    def __init__(self, limit: int, window: float, clock=time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._checks = 0

    def allow(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            self._checks += 1
            if self._checks % 1000 == 0:
                self._forget_idle(now)
            times = self._seen.setdefault(key, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True

    def retry_after(self, key: str) -> int:
        with self._lock:
            times = self._seen.get(key)
            if not times:
                return 0
            return max(1, int(self.window - (self._clock() - times[0])) + 1)

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, t in self._seen.items() if not t or now - t[-1] >= self.window]
        for key in idle:
            del self._seen[key]


@lru_cache(maxsize=1)
def get_rate_limiter() -> RateLimiter:
    config = get_identity_config()
    return RateLimiter(config.rate_limit_messages, config.rate_limit_seconds)


def config() -> IdentityConfig:
    return get_identity_config()


def too_long_message() -> str:
    return TOO_LONG.format(limit=config().max_message_chars)


def max_body_bytes() -> int:
    """The largest request body worth reading: the longest message in UTF-8, and room."""
    return config().max_message_chars * 4 + 16_384


# --- the user's own conversation -----------------------------------------------------


def bot_message_parts(text: str | None, buttons: Iterable[dict] | None) -> list[dict]:
    """A bot text as the widget shows it: one part per paragraph, buttons on the last
    (the same split as Rasa's socket.io channel)."""
    text = (text or "").strip()
    parts: list[dict[str, Any]] = [{"text": part} for part in text.split("\n\n") if part]
    buttons = [
        {"content_type": "text", "title": str(b.get("title", "")), "payload": str(b["payload"])}
        for b in (buttons or [])
        if isinstance(b, dict) and b.get("payload") is not None
    ]
    if buttons:
        if not parts:
            parts = [{"text": ""}]
        parts[-1]["quick_replies"] = buttons
    return parts


async def conversation_history(app: Any, sender_id: str) -> list[dict[str, Any]]:
    """The current session of ``sender_id``'s conversation as the widget shows it:
    ``{"from": "user"|"bot", "text": ..., "quick_replies": [...]}``. A button's payload
    is shown as the button's title."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return []
    tracker = await store.retrieve(sender_id)
    if tracker is None:
        return []
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in tracker.events:
        kind = getattr(event, "type_name", "")
        if kind == "session_started":
            messages, titles = [], {}
        elif kind == "user":
            text = event.text or ""
            messages.append({"from": "user", "text": titles.get(text, text)})
        elif kind == "bot":
            buttons = (event.data or {}).get("buttons") or []
            parts = bot_message_parts(event.text, buttons)
            messages.extend({"from": "bot", **part} for part in parts)
            if buttons:
                titles = {
                    str(b["payload"]): str(b.get("title", ""))
                    for b in buttons
                    if isinstance(b, dict) and b.get("payload") is not None
                }
    return messages[-HISTORY_LIMIT:]
