"""The REST, socket.io and web connectors on a real server (tests/channels/channel_server.py:
our connectors, Rasa's ``register``, an echo bot instead of a model).

Identity comes from the verified token only: a sender, session id or metadata sent by
the client never changes who the user is or whose replies they get.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import socketio
from sqlalchemy import insert

from actions.identity.config import DEV_AUDIENCE, DEV_ISSUER
from actions.identity.tokens import ensure_dev_secret, issue_dev_token
from actions.store import db
from actions.store.models import Person
from channels import common
from devtools.servers import PROJECT_ROOT, free_port
from tests.channels.channel_server import SILENT

RATE_LIMIT = 5
MAX_CHARS = 1000


class Server:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.secret_file = workdir / "secret.key"
        self.database_url = f"sqlite:///{workdir / 'people.db'}"
        self.secret = ensure_dev_secret(self.secret_file)
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISION_")}
        env.update(
            SUPERVISION_DEV_SIGNIN="1",
            SUPERVISION_DEV_SECRET_FILE=str(self.secret_file),
            SUPERVISION_DATABASE_URL=self.database_url,
            SUPERVISION_RATE_LIMIT_MESSAGES=str(RATE_LIMIT),
            SUPERVISION_RATE_LIMIT_SECONDS="60",
            SUPERVISION_MAX_MESSAGE_CHARS=str(MAX_CHARS),
            SUPERVISION_TOKEN_LEEWAY_SECONDS="0",
            SUPERVISION_CORS_ORIGINS="https://intranet.example.org",
            PYTHONWARNINGS="ignore",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
        )
        return env

    def start(self) -> Server:
        subprocess.run(
            [sys.executable, "-m", "actions.store", "migrate"],
            cwd=PROJECT_ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
        )
        self.log = open(self.workdir / "server.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.channels.channel_server", "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            env=self.env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/webhooks/rest/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError((self.workdir / "server.log").read_text(errors="replace")[-3000:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def token(self, subject: str, role: str = "worker", minutes: float = 30) -> str:
        return issue_dev_token(self.secret, subject, role=role, minutes=minutes)[0]

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict, object]:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(
            self.url + path, data=body, headers=all_headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, dict(response.headers), _json(raw)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), _json(error.read())

    def post_message(self, token: str | None, payload: object) -> tuple[int, dict, object]:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.request("POST", "/webhooks/rest/webhook", body, token)

    def received(self) -> list[dict]:
        return self.request("GET", "/test/messages")[2]


def _json(raw: bytes):
    try:
        return json.loads(raw.decode() or "null")
    except ValueError:
        return raw.decode(errors="replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = Server(tmp_path_factory.mktemp("channels")).start()
    yield started
    started.stop()


def new_user() -> str:
    return f"person-{uuid.uuid4().hex[:10]}"


# --- REST ------------------------------------------------------------------------------


def test_rest_needs_a_token(server):
    status, headers, body = server.post_message(None, {"sender": "alice", "message": "hi"})
    assert status == 401
    assert headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert body["message"] == "Please sign in first."


@pytest.mark.parametrize(
    "token, reason",
    [
        ("not-a-token", "malformed"),
        ("Basic abc", "malformed"),
    ],
)
def test_rest_refuses_bad_tokens(server, token, reason):
    status, _, body = server.post_message(token, {"message": "hi"})
    assert status == 401
    assert body["error"] == reason


def test_rest_refuses_expired_and_foreign_tokens(server):
    expired = issue_dev_token(server.secret, new_user(), now=time.time() - 7200)[0]
    assert server.post_message(expired, {"message": "hi"})[2]["error"] == "expired"
    forged = issue_dev_token("f" * 64, new_user())[0]
    assert server.post_message(forged, {"message": "hi"})[2]["error"] == "bad_signature"


def test_rest_ignores_the_sender_and_metadata_in_the_body(server):
    alice, bob = new_user(), new_user()
    status, _, replies = server.post_message(
        server.token(alice),
        {
            "sender": bob,
            "message": "hello there",
            "metadata": {"identity": {"subject": bob, "role": "administrator"}},
        },
    )
    assert status == 200
    assert replies[0]["recipient_id"] == alice
    assert replies[0]["text"] == f"Echo for {alice}: hello there"
    [message] = [m for m in server.received() if m["text"] == "hello there"]
    assert message["sender_id"] == alice
    assert message["input_channel"] == "rest"
    assert message["metadata"] == {
        "identity": {"subject": alice, "role": "worker", "issuer": DEV_ISSUER, "name": None}
    }
    assert not [m for m in server.received() if m["sender_id"] == bob]


@pytest.mark.parametrize(
    "body",
    [
        b"{this is not json",
        b"",
        b"[1, 2]",
        b'"just a string"',
        b'{"text": "no message key"}',
        b'{"message": 42}',
        b'{"message": null}',
        b"\xff\xfe\xfa",
    ],
)
def test_rest_malformed_requests_get_400(server, body):
    status, _, answer = server.post_message(server.token(new_user()), body)
    assert status == 400
    assert answer["error"] == "malformed"


def test_rest_wrong_method_is_a_4xx(server):
    assert 400 <= server.request("GET", "/webhooks/rest/webhook", token="x")[0] < 500


def test_rest_too_long_message_gets_413_and_a_plain_message(server):
    token = server.token(new_user())
    assert server.post_message(token, {"message": "x" * MAX_CHARS})[0] == 200
    status, _, body = server.post_message(token, {"message": "x" * (MAX_CHARS + 1)})
    assert status == 413
    assert "longer than I can take" in body["message"]
    assert "x" * 20 not in body["message"], "what was typed is never echoed back"


def test_rest_rate_limit_per_user(server):
    alice, bob = new_user(), new_user()
    for _ in range(RATE_LIMIT):
        assert server.post_message(server.token(alice), {"message": "hi"})[0] == 200
    status, headers, body = server.post_message(server.token(alice), {"message": "hi"})
    assert status == 429
    assert int(headers["Retry-After"]) > 0
    assert "faster than I can read" in body["message"]
    assert server.post_message(server.token(bob), {"message": "hi"})[0] == 200, "per user"


def test_rest_history_is_the_users_own(server):
    alice, bob = new_user(), new_user()
    server.post_message(server.token(alice), {"message": "alice's secret", "sender": bob})
    server.post_message(server.token(bob), {"message": "/affirm"})
    _, _, mine = server.request("GET", "/webhooks/rest/history", token=server.token(alice))
    texts = [m["text"] for m in mine["messages"]]
    assert texts[0] == "alice's secret"
    _, _, theirs = server.request("GET", "/webhooks/rest/history", token=server.token(bob))
    assert "alice's secret" not in json.dumps(theirs)
    assert theirs["messages"][0] == {"from": "user", "text": "/affirm"}
    assert theirs["messages"][1]["quick_replies"][0]["title"] == "Yes"
    assert server.request("GET", "/webhooks/rest/history")[0] == 401


# --- socket.io -------------------------------------------------------------------------


class Client:
    """A socket.io client (websocket transport) that records every event it receives."""

    def __init__(self, server: Server, origin: str | None = None) -> None:
        self.server = server
        # websocket-client sends the Origin header itself (the server's own by default).
        extra = {"origin": origin} if origin else {}
        self.sio = socketio.Client(reconnection=False, websocket_extra_options=extra)
        self.events: list[tuple[str, object]] = []
        self.sio.on("*", self._record)
        self.sio.on("connect_error", lambda data=None: self._record("connect_error", data))

    def _record(self, event, data=None):
        self.events.append((event, data))

    def connect(self, token: str | None) -> Client:
        self.sio.connect(
            self.server.url,
            auth={"token": token} if token is not None else None,
            transports=["websocket"],
            socketio_path="/socket.io",
            wait_timeout=5,
        )
        return self

    def emit(self, event: str, data: object) -> None:
        self.sio.emit(event, data)

    def of(self, event: str) -> list:
        return [data for name, data in self.events if name == event]

    def wait_for(self, event: str, count: int = 1, timeout: float = 5) -> list:
        deadline = time.monotonic() + timeout
        while len(self.of(event)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.of(event)

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


@pytest.fixture()
def clients(server):
    opened: list[Client] = []

    def open_client(token: str | None, origin: str | None = None) -> Client:
        client = Client(server, origin)
        opened.append(client)
        return client.connect(token)

    yield open_client
    for client in opened:
        client.close()


def test_socketio_refuses_a_connection_without_a_valid_token(server):
    expired = issue_dev_token(server.secret, new_user(), now=time.time() - 7200)[0]
    cases = [
        (None, "missing"),
        ("garbage", "malformed"),
        (issue_dev_token("f" * 64, new_user())[0], "bad_signature"),
        (expired, "expired"),
    ]
    for token, reason in cases:
        client = Client(server)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(token)
        # What the browser client sees as ``error.message`` and ``error.data``.
        [error] = client.of("connect_error")
        assert error["data"]["reason"] == reason
        assert "sign in" in error["message"].lower()


def test_socketio_session_id_of_another_user_changes_nothing(clients, server):
    alice, bob = new_user(), new_user()
    alice_tab = clients(server.token(alice))
    bob_tab = clients(server.token(bob))
    # Bob claims Alice's conversation every way the stock channel would honour.
    bob_tab.emit("session_request", {"session_id": alice})
    bob_tab.emit(
        "user_uttered",
        {
            "message": "bob speaking",
            "session_id": alice,
            "sender": alice,
            "metadata": {"identity": {"subject": alice}},
        },
    )
    [reply] = bob_tab.wait_for("bot_uttered")
    [confirm] = bob_tab.wait_for("session_confirm")
    alice_tab.emit("user_uttered", {"message": "alice speaking"})
    [alice_reply] = alice_tab.wait_for("bot_uttered")
    time.sleep(0.5)

    assert reply["text"] == f"Echo for {bob}: bob speaking"
    assert reply["quick_replies"][0] == {
        "content_type": "text",
        "title": "Yes",
        "payload": "/affirm",
    }
    assert confirm["session_id"] == bob
    assert alice_reply["text"] == f"Echo for {alice}: alice speaking"
    assert len(alice_tab.of("bot_uttered")) == 1, "Alice hears nothing of Bob's"
    assert len(bob_tab.of("bot_uttered")) == 1, "Bob hears nothing of Alice's"
    [bob_message] = [m for m in server.received() if m["text"] == "bob speaking"]
    assert bob_message["sender_id"] == bob
    assert bob_message["input_channel"] == "socketio"
    assert bob_message["metadata"]["identity"]["subject"] == bob


def test_socketio_message_with_another_users_token_is_refused(clients, server):
    alice, bob = new_user(), new_user()
    bob_tab = clients(server.token(bob))
    bob_tab.emit("user_uttered", {"message": "as alice", "token": server.token(alice)})
    [error] = bob_tab.wait_for("auth_error")
    time.sleep(0.3)
    assert error["reason"] == "subject_changed"
    assert not bob_tab.sio.connected, "the socket is closed"
    assert not [m for m in server.received() if m["text"] == "as alice"]


def test_socketio_every_message_is_checked_so_an_expired_token_stops(clients, server):
    user = new_user()
    tab = clients(server.token(user, minutes=2 / 60))
    tab.emit("user_uttered", {"message": "in time"})
    tab.wait_for("bot_uttered")
    time.sleep(2.5)
    tab.emit("user_uttered", {"message": "too late"})
    [error] = tab.wait_for("auth_error")
    assert error["reason"] == "expired"
    texts = [m["text"] for m in server.received() if m["sender_id"] == user]
    assert texts == ["in time"]


def test_socketio_a_users_tabs_share_the_conversation(clients, server):
    user, other = new_user(), new_user()
    first = clients(server.token(user))
    second = clients(server.token(user))
    stranger = clients(server.token(other))
    first.emit("user_uttered", {"message": "from the first tab"})
    second.wait_for("bot_uttered")
    history = stranger.sio.call("history_request", {}, timeout=5)
    own = second.sio.call("history_request", {}, timeout=5)
    time.sleep(0.3)
    assert second.of("user_echo") == [{"text": "from the first tab"}]
    assert first.of("user_echo") == [], "no echo to the tab that sent it"
    assert second.of("bot_uttered")[0]["text"] == f"Echo for {user}: from the first tab"
    assert stranger.of("bot_uttered") == [] and stranger.of("user_echo") == []
    assert history["messages"] == []
    assert [m["text"] for m in own["messages"]][0] == "from the first tab"


def test_socketio_limits_and_malformed_messages_get_plain_notices(clients, server):
    user = new_user()
    tab = clients(server.token(user))
    tab.emit("user_uttered", {"message": "x" * (MAX_CHARS + 1)})
    tab.emit("user_uttered", {"message": ["not", "text"]})
    tab.emit("user_uttered", "just a string")
    for n in range(RATE_LIMIT + 1):
        tab.emit("user_uttered", {"message": f"message {n}"})
    tab.wait_for("bot_uttered", count=3 + RATE_LIMIT + 1)
    notices = [m.get("notice") for m in tab.of("bot_uttered") if m.get("notice")]
    assert notices == ["too_long", "malformed", "malformed", "rate_limited"]
    assert tab.sio.connected, "a bad message does not end the session"
    texts = [m["text"] for m in server.received() if m["sender_id"] == user]
    assert texts == [f"message {n}" for n in range(RATE_LIMIT)]


def test_rest_says_send_it_again_when_the_bot_said_nothing(server):
    status, _, body = server.post_message(server.token(new_user()), {"message": SILENT})
    assert status == 200
    assert [m["text"] for m in body] == [common.NO_REPLY]


def test_socketio_says_send_it_again_when_the_bot_said_nothing(clients, server):
    tab = clients(server.token(new_user()))
    tab.emit("user_uttered", {"message": SILENT})
    tab.wait_for("bot_uttered")
    assert [m["text"] for m in tab.of("bot_uttered")] == [common.NO_REPLY]


def test_socketio_refuses_other_origins(clients, server):
    clients(server.token(new_user()), origin="https://intranet.example.org")
    clients(server.token(new_user()), origin=server.url)
    with pytest.raises(socketio.exceptions.ConnectionError):
        clients(server.token(new_user()), origin="https://evil.example")


# --- web page and development sign-in ------------------------------------------------


@pytest.fixture(scope="module")
def people(server):
    rows = [
        {"id": str(uuid.uuid4()), "display_name": "Ada Worker", "role": "worker", "active": True},
        {"id": str(uuid.uuid4()), "display_name": "Gone Person", "role": "worker", "active": False},
    ]
    from actions.store.models import utc_now

    with db.session_scope(server.database_url) as session:
        session.execute(insert(Person), [{**row, "created_at": utc_now()} for row in rows])
    return rows


def test_page_is_served_with_a_strict_content_security_policy(server):
    with urllib.request.urlopen(f"{server.url}/chat/") as response:
        page = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert '<label for="message">Your message</label>' in page
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for path in ("/chat/../credentials.yml", "/chat/%2e%2e/credentials.yml", "/chat/nothing.js"):
        assert server.request("GET", path)[0] == 404


def test_dev_signin_lists_active_people_and_issues_a_token(server, people):
    active, inactive = people
    status, headers, listed = server.request("GET", "/chat/api/people")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    names = [p["name"] for p in listed["people"]]
    assert "Ada Worker" in names and "Gone Person" not in names

    body = json.dumps({"person_id": active["id"]}).encode()
    status, _, signed = server.request("POST", "/chat/api/signin", body)
    assert status == 200
    assert signed["subject"] == active["id"] and signed["role"] == "worker"
    # The token works on the channels, as that person.
    _, _, replies = server.post_message(signed["token"], {"message": "hi"})
    assert replies[0]["recipient_id"] == active["id"]
    import jwt

    claims = jwt.decode(signed["token"], options={"verify_signature": False})
    assert claims["iss"] == DEV_ISSUER and claims["aud"] == DEV_AUDIENCE
    assert claims["exp"] - claims["iat"] <= 30 * 60


def test_dev_signin_refuses_inactive_unknown_malformed_and_remote(server, people):
    _, inactive = people
    signin = "/chat/api/signin"
    as_json = lambda value: json.dumps(value).encode()  # noqa: E731
    assert server.request("POST", signin, as_json({"person_id": inactive["id"]}))[0] == 404
    assert server.request("POST", signin, as_json({"person_id": "nobody"}))[0] == 404
    assert server.request("POST", signin, b"{nope")[0] == 400
    assert server.request("POST", signin, as_json(["x"]))[0] == 400
    assert server.request("POST", signin, as_json({"person_id": 7}))[0] == 400
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert server.request("POST", signin, b"person_id=x", headers=form)[0] == 415
    relayed = {"X-Forwarded-For": "203.0.113.7"}
    assert server.request("GET", "/chat/api/people", headers=relayed)[0] == 403
