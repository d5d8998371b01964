"""The web chat page (``web/``) and, for development only, a simple sign-in.

    GET  /chat/                 the page (web/index.html) and its files
    GET  /chat/api/config       what the page needs to know (is the dev sign-in on?)
    GET  /chat/api/people       dev sign-in: the active people in the database
    POST /chat/api/signin       dev sign-in: {"person_id": ...} -> a short-lived token

The sign-in routes exist only when ``SUPERVISION_DEV_SIGNIN`` is on (``make run`` sets
it) and answer only requests from this machine: anyone who can reach them can be
anyone in the database. In production the token comes from the organisation's identity
provider (OIDC) and these routes answer 404.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import mimetypes
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.identity import directory
from actions.identity.tokens import issue_dev_token
from actions.settings import PROJECT_ROOT
from channels import common

logger = logging.getLogger(__name__)

WEB_DIR = PROJECT_ROOT / "web"
SERVED_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
API_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}


def web_files(root: Path = WEB_DIR) -> dict[str, Path]:
    """Every servable file under ``root`` by its relative URL path (nothing else is)."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix in SERVED_TYPES and not path.name.startswith(".")
    }


def is_local(request: Request) -> bool:
    """A request from this machine, not relayed by a proxy."""
    if any(h in request.headers for h in ("x-forwarded-for", "forwarded", "x-real-ip")):
        return False
    try:
        return ipaddress.ip_address(request.ip).is_loopback
    except ValueError:
        return False


def api_error(status: int, code: str, message: str) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status, headers=API_HEADERS)


class WebInput(InputChannel):
    """Serves the chat page; sends no messages itself (the page uses socket.io)."""

    @classmethod
    def name(cls) -> str:
        return "web"

    def url_prefix(self) -> str:
        return "/chat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web = Blueprint("supervision_web", __name__)
        files = web_files()

        @web.route("", methods=["GET"], strict_slashes=True)
        async def bare(request: Request) -> HTTPResponse:
            return response.redirect(request.path + "/")

        @web.route("/", methods=["GET"], strict_slashes=True)
        async def index(_: Request) -> HTTPResponse:
            return serve("index.html")

        @web.route("/api/config", methods=["GET"])
        async def config(_: Request) -> HTTPResponse:
            settings = common.config()
            return response.json(
                {
                    "dev_signin": settings.dev_signin,
                    "max_message_chars": settings.max_message_chars,
                    "socketio_path": "/socket.io",
                },
                headers=API_HEADERS,
            )

        @web.route("/api/people", methods=["GET"])
        async def people(request: Request) -> HTTPResponse:
            refused = self._dev_signin_refused(request)
            if refused:
                return refused
            entries = await asyncio.to_thread(directory.active_people)
            return response.json({"people": [e.as_json() for e in entries]}, headers=API_HEADERS)

        @web.route("/api/signin", methods=["POST"])
        async def signin(request: Request) -> HTTPResponse:
            refused = self._dev_signin_refused(request)
            if refused:
                return refused
            # JSON only: a cross-site form cannot send it without a (refused) preflight.
            if not (request.content_type or "").startswith("application/json"):
                return api_error(415, "unsupported_media_type", "Send JSON.")
            try:
                payload = json.loads((request.body or b"").decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return api_error(400, "malformed", "That request could not be read.")
            person_id = payload.get("person_id") if isinstance(payload, dict) else None
            if not isinstance(person_id, str) or not 0 < len(person_id) <= 255:
                return api_error(400, "malformed", "Choose who you are.")
            person = await asyncio.to_thread(directory.active_person, person_id)
            if person is None:
                return api_error(404, "unknown_person", "That person is not active here.")
            settings = common.config()
            secret = common.get_verifier().dev_secret
            if secret is None:
                return api_error(404, "not_found", "Not found.")
            token, expires_at = issue_dev_token(
                secret,
                person.id,
                role=person.role,
                name=person.name,
                minutes=settings.dev_token_minutes,
            )
            logger.info("Development sign-in for person %s", person.id)
            return response.json(
                {
                    "token": token,
                    "expires_at": expires_at,
                    "subject": person.id,
                    "name": person.name,
                    "role": person.role,
                    "development_only": True,
                },
                headers=API_HEADERS,
            )

        @web.route("/<name:path>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            return serve(name)

        def serve(name: str) -> HTTPResponse:
            path = files.get(name)
            if path is None:
                return response.text("Not found.", status=404, headers=SECURITY_HEADERS)
            content_type = SERVED_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
            headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
            return response.raw(path.read_bytes(), content_type=content_type, headers=headers)

        return web

    @staticmethod
    def _dev_signin_refused(request: Request) -> HTTPResponse | None:
        if not common.config().dev_signin:
            return api_error(404, "not_found", "Not found.")
        if not is_local(request):
            return api_error(403, "forbidden", "The development sign-in answers this machine only.")
        return None
