"""socket.io channel that checks a signed token on connect and on every message.

The client connects with ``auth: {token}`` (or an ``Authorization: Bearer`` header) and
sends ``user_uttered`` events ``{"message": "...", "token": "..."}``; a message without a
token is checked against the connect-time token again (so an expired token stops
working). The sender id is the token's subject and the socket joins one room derived
from it, so a user only ever posts into, and hears the replies of, their own
conversation; a ``session_id`` or ``metadata`` sent by the client is ignored. All tabs
of one user share the conversation.

Events to the client: ``bot_uttered`` (the bot's words; a plain ``notice`` when a
message was refused for length, rate or form), ``user_echo`` (the user's own message,
to their other tabs), ``session_confirm`` and ``auth_error`` (then disconnect).
``history_request`` is answered (as an acknowledgement) with the user's own current
conversation.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import socketio
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.identity.tokens import Identity, TokenError
from channels import common

logger = logging.getLogger(__name__)


# The largest socket.io packet read: the longest message in UTF-8 and room for a token.
def _max_packet_bytes() -> int:
    return common.max_body_bytes()


class SocketBlueprint(Blueprint):
    """A blueprint that attaches the socket.io server to the app and remembers the app
    (for reading a user's own conversation)."""

    def __init__(self, sio: socketio.AsyncServer, socketio_path: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ctx.sio = sio
        self.ctx.socketio_path = socketio_path
        self.ctx.app = None

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        self.ctx.sio.attach(app, self.ctx.socketio_path)
        self.ctx.app = app
        super().register(app, options)


class RoomOutput(OutputChannel):
    """Sends the bot's messages to one room only (a verified user's), whatever
    ``recipient_id`` Rasa passes; ``room=None`` derives the room from the recipient
    (for messages Rasa itself starts, e.g. via the HTTP API, where it is the sender id
    of the stored conversation)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def __init__(self, sio: socketio.AsyncServer, bot_message_evt: str, room: str | None):
        self.sio = sio
        self.bot_message_evt = bot_message_evt
        self.room = room
        self.sent_anything = False

    def _room(self, recipient_id: str) -> str:
        return self.room or common.room_for(recipient_id)

    async def _send(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent_anything = True
        await self.sio.emit(self.bot_message_evt, message, room=self._room(recipient_id))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in common.bot_message_parts(text, None):
            await self._send(recipient_id, part)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        for part in common.bot_message_parts(text, buttons):
            await self._send(recipient_id, part)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, {"attachment": {"type": "image", "payload": {"src": image}}})

    async def send_attachment(  # type: ignore[override]
        self, recipient_id: str, attachment: Any, **kwargs: Any
    ) -> None:
        await self._send(recipient_id, {"attachment": attachment})

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        for element in elements:
            await self._send(
                recipient_id,
                {
                    "attachment": {
                        "type": "template",
                        "payload": {"template_type": "generic", "elements": element},
                    }
                },
            )

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        # Never let a custom payload choose the room.
        await self._send(recipient_id, {"custom": json_message})


class SecureSocketIOInput(InputChannel):
    """socket.io input channel whose sender and room come from a verified token."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        common.get_verifier()  # a misconfiguration fails at start, not at first message
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        socketio_path: str = "/socket.io",
    ) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.socketio_path = socketio_path
        self.sio: socketio.AsyncServer | None = None

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return None
        return RoomOutput(self.sio, self.bot_message_evt, room=None)

    @staticmethod
    def _origin_allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        """Same-origin, or one of SUPERVISION_CORS_ORIGINS. Clients that send no Origin
        (not browsers) are let through: they still need a token."""
        if not origin:
            return True
        if origin in common.config().cors_origins:
            return True
        host = environ.get("HTTP_HOST")
        scheme = environ.get("wsgi.url_scheme", "http")
        return bool(host) and origin in (f"{scheme}://{host}", f"https://{host}")

    def _server(self) -> socketio.AsyncServer:
        queue = common.config().socketio_message_queue
        manager = socketio.AsyncRedisManager(queue) if queue else None
        return socketio.AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self._origin_allowed,
            max_http_buffer_size=_max_packet_bytes(),
            client_manager=manager,
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = self._server()
        self.sio = sio
        blueprint = SocketBlueprint(sio, self.socketio_path, "secure_socketio_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def refuse(sid: str, failure: TokenError) -> None:
            logger.info("socket.io user refused: %s", failure.reason)
            await sio.emit(
                "auth_error",
                {"reason": failure.reason, "message": common.auth_failure_message(failure)},
                to=sid,
            )
            await sio.disconnect(sid)

        async def notice(sid: str, code: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text, "notice": code}, to=sid)

        async def identity_for(sid: str, data: Any) -> Identity | None:
            """The verified user behind an event, or None (the socket is then closed)."""
            try:
                session = await sio.get_session(sid)
            except KeyError:
                await sio.disconnect(sid)
                return None
            connected: Identity = session["identity"]
            token = data.get("token") if isinstance(data, dict) else None
            if not isinstance(token, str) or not token:
                token = session["token"]
            try:
                identity = await common.verify_token(token)
            except TokenError as failure:
                await refuse(sid, failure)
                return None
            if identity.subject != connected.subject or identity.issuer != connected.issuer:
                await refuse(sid, TokenError("subject_changed", "a different user's token"))
                return None
            if token != session["token"]:
                session["token"] = token
                session["identity"] = identity
                await sio.save_session(sid, session)
            return identity

        @sio.on("connect")
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
            token = auth.get("token") if isinstance(auth, dict) else None
            if not token:
                token = common.bearer_token(environ.get("HTTP_AUTHORIZATION"))
            try:
                identity = await common.verify_token(token)
            except TokenError as failure:
                logger.info("socket.io connection refused: %s", failure.reason)
                message = common.auth_failure_message(failure)
                raise socketio.exceptions.ConnectionRefusedError(
                    message, {"reason": failure.reason, "message": message}
                ) from None
            await sio.save_session(sid, {"identity": identity, "token": token})
            await sio.enter_room(sid, common.room_for(common.sender_id_for(identity)))

        @sio.on("disconnect")
        async def disconnect(sid: str, *args: Any) -> None:
            logger.debug("socket.io client %s disconnected", sid)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            # A client-chosen session_id is ignored: the conversation is the user's own.
            identity = await identity_for(sid, data)
            if identity is None:
                return
            await sio.emit(
                "session_confirm",
                {
                    "session_id": common.sender_id_for(identity),
                    "name": identity.name,
                    "role": identity.role,
                },
                to=sid,
            )

        @sio.on("history_request")
        async def history_request(sid: str, data: Any = None) -> dict[str, Any]:
            identity = await identity_for(sid, data)
            if identity is None:
                return {"messages": [], "error": "auth"}
            if not common.get_rate_limiter().allow(f"history:{identity.subject}"):
                return {"messages": [], "error": "rate_limited", "message": common.RATE_LIMITED}
            app = blueprint.ctx.app
            messages = await common.conversation_history(app, common.sender_id_for(identity))
            return {"messages": messages, "name": identity.name, "role": identity.role}

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any = None) -> None:
            identity = await identity_for(sid, data)
            if identity is None:
                return
            sender_id = common.sender_id_for(identity)
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                await notice(sid, "malformed", common.MALFORMED)
                return
            if len(text) > common.config().max_message_chars:
                await notice(sid, "too_long", common.too_long_message())
                return
            if not common.get_rate_limiter().allow(sender_id):
                await notice(sid, "rate_limited", common.RATE_LIMITED)
                return
            room = common.room_for(sender_id)
            # The user's other tabs show what was said here.
            await sio.emit("user_echo", {"text": text}, room=room, skip_sid=sid)
            output = RoomOutput(sio, self.bot_message_evt, room=room)
            await on_new_message(
                UserMessage(
                    text,
                    output,
                    sender_id,
                    input_channel=self.name(),
                    metadata=common.message_metadata(identity),
                )
            )
            if not output.sent_anything:
                await output.send_text_message(sender_id, common.NO_REPLY)

        return blueprint
