"""End to end, on the real servers: who a user is comes from their token only, the Rasa
HTTP API is not exposed, the action server listens on localhost only, and browsers from
other origins are refused."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
import socketio
from sqlalchemy import select

from actions.store import db
from actions.store.models import Debrief
from devtools.servers import BotServers

pytestmark = pytest.mark.e2e


def call(
    bot: BotServers,
    method: str,
    path: str,
    body: dict | None = None,
    token: str | None = None,
    headers: dict | None = None,
) -> tuple[int, dict, object]:
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        bot.rasa_url + path, data=data, headers=all_headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, dict(response.headers), json.loads(raw or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, dict(error.headers), json.loads(raw or b"null")
        except ValueError:
            return error.code, dict(error.headers), raw.decode(errors="replace")


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_rest_sender_comes_from_the_token_not_the_body(servers):
    alice, bob = f"alice-{uuid.uuid4().hex[:6]}", f"bob-{uuid.uuid4().hex[:6]}"
    assert (
        call(servers, "POST", "/webhooks/rest/webhook", {"sender": alice, "message": "hi"})[0]
        == 401
    )

    for message in ("start a debrief", "yes", "no", "CP-7070"):
        status, _, replies = call(
            servers,
            "POST",
            "/webhooks/rest/webhook",
            {"sender": bob, "message": message},
            token=servers.token_for(alice),
        )
        assert status == 200
        assert {r["recipient_id"] for r in replies} == {alice}

    with db.session_scope(servers.database_url) as session:
        senders = set(session.execute(select(Debrief.sender_id)).scalars())
    assert alice in senders and bob not in senders
    _, _, theirs = call(servers, "GET", "/webhooks/rest/history", token=servers.token_for(bob))
    assert theirs == {"messages": []}
    _, _, mine = call(servers, "GET", "/webhooks/rest/history", token=servers.token_for(alice))
    assert "CP-7070" in [m["text"] for m in mine["messages"]]


def test_rasa_http_api_is_not_exposed(servers):
    for path in ("/status", "/conversations/anyone/tracker", "/model/parse", "/version"):
        status = call(servers, "GET", path)[0]
        assert status in (404, 405), path
    status, _, _ = call(servers, "POST", "/conversations/anyone/tracker/events", {"event": "slot"})
    assert status in (404, 405)


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (Linux /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table, encoding="ascii").read().splitlines()[1:]  # noqa: SIM115
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_both_servers_listen_on_localhost_only(servers):
    for port in (servers.action_port, servers.rasa_port):
        addresses = listening_addresses(port)
        if not addresses:
            pytest.skip("/proc/net/tcp not readable here")
        # 0100007F is 127.0.0.1 in /proc's byte order.
        assert addresses == {"0100007F"}, (port, addresses)


def test_cors_answers_only_configured_origins(servers):
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    _, allowed, _ = call(
        servers,
        "OPTIONS",
        "/webhooks/rest/webhook",
        headers={"Origin": servers.rasa_url, **preflight},
    )
    assert allowed.get("Access-Control-Allow-Origin") == servers.rasa_url
    _, refused, _ = call(
        servers,
        "OPTIONS",
        "/webhooks/rest/webhook",
        headers={"Origin": "https://evil.example", **preflight},
    )
    assert "Access-Control-Allow-Origin" not in refused


class Tab:
    def __init__(self, bot: BotServers, subject: str) -> None:
        self.events: list[tuple[str, object]] = []
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", lambda event, data=None: self.events.append((event, data)))
        self.sio.connect(
            bot.rasa_url,
            auth={"token": bot.token_for(subject)},
            transports=["websocket"],
            wait_timeout=10,
        )

    def said(self) -> list[str]:
        return [d.get("text", "") for e, d in self.events if e == "bot_uttered"]

    def wait_until(self, predicate, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while not predicate(self.said()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.said()


def test_socketio_user_cannot_join_another_users_conversation(servers):
    alice, bob = f"alice-{uuid.uuid4().hex[:6]}", f"bob-{uuid.uuid4().hex[:6]}"
    alice_tab, bob_tab = Tab(servers, alice), Tab(servers, bob)
    try:
        alice_tab.sio.emit("user_uttered", {"message": "I need to debrief"})
        asked = alice_tab.wait_until(lambda said: any("safe right now" in t for t in said))
        assert any("safe right now" in t for t in asked)
        time.sleep(1)
        before = len(alice_tab.said())
        # Bob asks for Alice's session and writes "into" it.
        bob_tab.sio.emit("session_request", {"session_id": alice})
        bob_tab.sio.emit("user_uttered", {"message": "hello", "session_id": alice, "sender": alice})
        assert bob_tab.wait_until(lambda said: len(said) > 0), "Bob hears his own replies"
        time.sleep(2)
        assert len(alice_tab.said()) == before, "Alice's tab hears nothing of Bob's"
        history = bob_tab.sio.call("history_request", {}, timeout=10)
        assert "I need to debrief" not in json.dumps(history)
    finally:
        alice_tab.sio.disconnect()
        bob_tab.sio.disconnect()
