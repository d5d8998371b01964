"""REST channel that takes the sender from a verified token, never from the body.

    POST /webhooks/rest/webhook   Authorization: Bearer <token>   {"message": "hi"}
    GET  /webhooks/rest/history   Authorization: Bearer <token>   the user's own messages
    GET  /webhooks/rest/          health

A ``sender`` (or ``metadata``) in the body is ignored: the conversation is the token
subject's. Answers: 200 with the bot's messages; 400 malformed body; 401 no or bad
token; 413 message too long; 429 too many messages (all with a plain ``message``).
"""

from __future__ import annotations

import json
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.identity.tokens import Identity, TokenError
from channels import common

logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}


def error(status: int, code: str, message: str, **headers: str) -> HTTPResponse:
    return response.json(
        {"error": code, "message": message}, status=status, headers={**NO_STORE, **headers}
    )


class SecureRestInput(InputChannel):
    """REST input channel whose sender is the verified token's subject."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        common.get_verifier()  # a misconfiguration fails at start, not at first message
        return cls()

    async def authenticate(self, request: Request) -> Identity | HTTPResponse:
        token = common.bearer_token(request.headers.get("authorization"))
        if token is None:
            return error(
                401,
                "unauthorised",
                common.NOT_SIGNED_IN,
                **{"WWW-Authenticate": 'Bearer realm="supervision"'},
            )
        try:
            return await common.verify_token(token)
        except TokenError as failure:
            logger.info("REST request refused: %s", failure.reason)
            if failure.reason == "keys_unavailable":
                return error(503, failure.reason, common.auth_failure_message(failure))
            return error(
                401,
                failure.reason,
                common.auth_failure_message(failure),
                **{"WWW-Authenticate": 'Bearer realm="supervision", error="invalid_token"'},
            )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("secure_rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            identity = await self.authenticate(request)
            if isinstance(identity, HTTPResponse):
                return identity
            sender_id = common.sender_id_for(identity)
            messages = await common.conversation_history(request.app, sender_id)
            return response.json({"messages": messages}, headers=NO_STORE)

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            identity = await self.authenticate(request)
            if isinstance(identity, HTTPResponse):
                return identity
            sender_id = common.sender_id_for(identity)

            body = request.body or b""
            if len(body) > common.max_body_bytes():
                return error(413, "too_long", common.too_long_message())
            try:
                payload = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return error(400, "malformed", common.MALFORMED)
            if not isinstance(payload, dict) or not isinstance(payload.get("message"), str):
                return error(400, "malformed", common.MALFORMED)
            text = payload["message"]
            if len(text) > common.config().max_message_chars:
                return error(413, "too_long", common.too_long_message())

            limiter = common.get_rate_limiter()
            if not limiter.allow(sender_id):
                return error(
                    429,
                    "rate_limited",
                    common.RATE_LIMITED,
                    **{"Retry-After": str(limiter.retry_after(sender_id))},
                )

            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=common.message_metadata(identity),
                    )
                )
            except CancelledError:
                logger.error("Message handling timed out for a REST message.")
            except Exception:  # noqa: BLE001 - as Rasa's REST channel: log, answer what we have
                logger.exception("An exception occurred while handling a REST message.")
            if not collector.messages:
                collector.messages.append({"recipient_id": sender_id, "text": common.NO_REPLY})
            return response.json(collector.messages, headers=NO_STORE)

        return rest
