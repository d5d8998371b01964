"""The Teams connector driven with recorded Bot Framework activities.

Only the network boundary is replaced: ``http_get_json`` (Microsoft's OpenID metadata and
signing keys), ``http_post_form`` (the token endpoint) and ``http_post_json`` (the Bot
Connector that receives the bot's replies). Tokens are real RS256 JWTs signed with a key
pair made here; the connector's Sanic blueprint is mounted by Rasa's own ``register`` and
called through ASGI, so requests take the same path as under ``rasa run``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from rasa.core.channels.channel import UserMessage, register
from rasa.shared.exceptions import RasaException
from sanic import Sanic
from sanic.touchup import TouchUp

from channels import teams

FIXTURES = Path(__file__).parent / "fixtures" / "teams"
APP_ID = "5b1e2f3a-7c4d-4e8f-9a0b-1c2d3e4f5a6b"
TENANT_ID = "0c7d6e5f-4a3b-4c2d-8e1f-9a0b1c2d3e4f"
AAD_OBJECT_ID = "8a9b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
JWKS_URI = "https://login.botframework.com/v1/.well-known/keys"
KID = "test-key-1"
WEBHOOK = "/webhooks/teams/webhook"


def activity(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(private_key: rsa.RSAPrivateKey, kid: str, endorsements: list[str]) -> dict:
    jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    jwk.update({"kid": kid, "use": "sig", "endorsements": endorsements})
    return jwk


def make_token(private_key: rsa.RSAPrivateKey, kid: str = KID, **overrides: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "serviceurl": SERVICE_URL,
        "nbf": now - 10,
        "exp": now + 3600,
        "iss": teams.BOT_CONNECTOR_ISSUER,
        "aud": APP_ID,
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": kid})


class FakeMicrosoft:
    """Microsoft's endpoints as the connector sees them through the three HTTP functions."""

    def __init__(self, keys: list[dict]) -> None:
        self.keys = keys
        self.gets: list[str] = []
        self.token_requests: list[tuple[str, dict]] = []
        self.sent: list[tuple[str, dict, dict]] = []
        self.token_counter = 0

    async def get_json(self, url: str) -> Any:
        self.gets.append(url)
        if url == teams.OPENID_METADATA_URL:
            return {
                "issuer": "https://api.botframework.com",
                "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": JWKS_URI,
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        if url == JWKS_URI:
            return {"keys": copy.deepcopy(self.keys)}
        raise teams.TeamsHttpError(f"unexpected GET {url}")

    async def post_form(self, url: str, form: dict) -> Any:
        self.token_requests.append((url, dict(form)))
        self.token_counter += 1
        return {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": f"outbound-token-{self.token_counter}",
        }

    async def post_json(self, url: str, payload: dict, headers: dict) -> None:
        self.sent.append((url, payload, headers))


@pytest.fixture
def microsoft(monkeypatch: pytest.MonkeyPatch, signing_key: rsa.RSAPrivateKey) -> FakeMicrosoft:
    fake = FakeMicrosoft([public_jwk(signing_key, KID, ["msteams", "webchat", "skype"])])
    monkeypatch.setattr(teams, "http_get_json", fake.get_json)
    monkeypatch.setattr(teams, "http_post_form", fake.post_form)
    monkeypatch.setattr(teams, "http_post_json", fake.post_json)
    return fake


# --- a Rasa-like server around the channel, called through ASGI ------------------------------


class FakeAgent:
    """Stands in for Rasa's agent: records each message, optionally answers it."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []
        self.responses: list[dict[str, Any]] = []

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        for bot_message in self.responses:
            await message.output_channel.send_response(message.sender_id, dict(bot_message))


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let each test start its own Sanic app, as sanic-testing does, and tidy up after.

    At start-up Sanic rewrites some of its own methods ("touch-up"), which works once a
    process unless ``test_mode`` keeps the originals; they are put back afterwards so
    that other tests can start a server normally.
    """
    monkeypatch.setattr(Sanic, "test_mode", True)
    yield
    for target, method_name in TouchUp._registry:
        original = target.__dict__.get(f"_{method_name}")
        if original is not None:
            setattr(target, method_name, original)
            delattr(target, f"_{method_name}")


class Server:
    def __init__(self, channel: teams.TeamsInput) -> None:
        self.channel = channel
        self.agent = FakeAgent()
        self.app = Sanic(f"teams_test_{uuid.uuid4().hex}")
        self.app.ctx.agent = self.agent
        register([channel], self.app, route="/webhooks/")
        self._started = False

    async def _asgi(self, scope: dict, messages: list[dict]) -> list[dict]:
        sent: list[dict] = []

        async def receive() -> dict:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        await self.app(scope, receive, send)
        return sent

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if not self._started:
            # What Sanic's ASGI lifespan start-up does. (Called directly: in Sanic 21.12 a
            # lifespan scope falls through to request handling after start-up.)
            await self.app._startup()
            self._started = True
        raw_headers = [(b"host", b"bot.example.org"), (b"content-type", b"application/json")]
        raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "https",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": raw_headers,
            "client": ("52.112.0.10", 443),
            "server": ("bot.example.org", 443),
        }
        sent = await self._asgi(scope, [{"type": "http.request", "body": body, "more_body": False}])
        start = next(m for m in sent if m["type"] == "http.response.start")
        payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return start["status"], payload

    def post(self, body: dict | bytes, token: str | None) -> tuple[int, bytes]:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return asyncio.run(self.request("POST", WEBHOOK, raw, headers))


def make_server(**credentials: Any) -> Server:
    creds = {"app_id": APP_ID, "app_password": "not-a-real-secret", **credentials}
    return Server(teams.TeamsInput.from_credentials(creds))


# --- inbound: accepted ----------------------------------------------------------------------


def test_valid_token_passes_the_message_to_rasa(microsoft, signing_key):
    server = make_server()
    status, _ = server.post(activity("message_text"), make_token(signing_key))
    assert status == 200
    [message] = server.agent.messages
    assert message.text == "I need to debrief"
    assert message.sender_id == AAD_OBJECT_ID  # lower-cased from the activity
    assert message.input_channel == "teams"
    assert message.message_id == "1715678467354"
    assert message.metadata == {
        "aad_object_id": AAD_OBJECT_ID,
        "tenant_id": TENANT_ID,
        "user_name": "Sam Example",
    }
    assert microsoft.gets == [teams.OPENID_METADATA_URL, JWKS_URI]


def test_keys_are_cached_between_activities(microsoft, signing_key):
    server = make_server()
    for name in ("message_text", "message_imback"):
        assert server.post(activity(name), make_token(signing_key))[0] == 200
    assert len(server.agent.messages) == 2
    assert microsoft.gets == [teams.OPENID_METADATA_URL, JWKS_URI]


def test_imback_click_arrives_as_the_buttons_value(microsoft, signing_key):
    server = make_server()
    assert server.post(activity("message_imback"), make_token(signing_key))[0] == 200
    assert server.agent.messages[0].text == "not sure"


def test_messageback_click_arrives_as_the_intent_payload(microsoft, signing_key):
    server = make_server()
    assert server.post(activity("message_messageback"), make_token(signing_key))[0] == 200
    assert server.agent.messages[0].text == '/inform{"choice": "unannounced"}'


def test_messageback_with_only_a_value_uses_the_payload(microsoft, signing_key):
    server = make_server()
    body = activity("message_messageback")
    body["text"] = ""
    assert server.post(body, make_token(signing_key))[0] == 200
    assert server.agent.messages[0].text == '/inform{"choice": "unannounced"}'


def test_the_bots_own_mention_is_removed(microsoft, signing_key):
    server = make_server()
    body = activity("message_text")
    body["text"] = "<at>Reflective supervision</at> I need to debrief"
    body["entities"].append(
        {
            "type": "mention",
            "text": "<at>Reflective supervision</at>",
            "mentioned": {"id": body["recipient"]["id"], "name": "Reflective supervision"},
        }
    )
    assert server.post(body, make_token(signing_key))[0] == 200
    assert server.agent.messages[0].text == "I need to debrief"


def test_conversation_update_is_accepted_but_not_a_message(microsoft, signing_key):
    server = make_server()
    status, _ = server.post(activity("conversation_update"), make_token(signing_key))
    assert status == 200
    assert server.agent.messages == []
    assert microsoft.sent == []


def test_a_rotated_key_is_fetched_when_its_id_is_unknown(microsoft, signing_key, other_key):
    clock = [1000.0]
    server = make_server()
    server.channel.verifier._clock = lambda: clock[0]
    assert server.post(activity("message_text"), make_token(signing_key))[0] == 200
    microsoft.keys.append(public_jwk(other_key, "rotated-key", ["msteams"]))
    clock[0] += teams.KEYS_MIN_REFETCH_SECONDS
    assert server.post(activity("message_text"), make_token(other_key, kid="rotated-key"))[0] == 200
    assert microsoft.gets.count(JWKS_URI) == 2


def test_keys_are_fetched_again_after_a_day(microsoft, signing_key):
    clock = [1000.0]
    server = make_server()
    server.channel.verifier._clock = lambda: clock[0]
    server.post(activity("message_text"), make_token(signing_key))
    clock[0] += teams.KEYS_TTL_SECONDS + 1
    server.post(activity("message_text"), make_token(signing_key))
    assert microsoft.gets.count(JWKS_URI) == 2
    assert len(server.agent.messages) == 2


# --- inbound: rejected ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iss": "https://sts.windows.net/0c7d6e5f-4a3b-4c2d-8e1f-9a0b1c2d3e4f/"}, "InvalidIssuer"),
        ({"iss": "https://api.botframework.com.example.org"}, "InvalidIssuer"),
        ({"iss": None}, "MissingRequiredClaim"),
        ({"aud": "11111111-2222-4333-8444-555555555555"}, "InvalidAudience"),
        ({"aud": None}, "MissingRequiredClaim"),
        ({"exp": -teams.CLOCK_SKEW_SECONDS - 60}, "ExpiredSignature"),
        ({"exp": None}, "MissingRequiredClaim"),
        ({"nbf": teams.CLOCK_SKEW_SECONDS + 60}, "ImmatureSignature"),
    ],
)
def test_bad_claims_are_unauthorized(microsoft, signing_key, caplog, overrides, reason):
    # exp and nbf are given as seconds from now (parameters are made at collection time)
    now = int(time.time())
    overrides = {
        k: now + v if k in ("exp", "nbf") and v is not None else v for k, v in overrides.items()
    }
    server = make_server()
    status, _ = server.post(activity("message_text"), make_token(signing_key, **overrides))
    assert status == 401
    assert reason in caplog.text
    assert server.agent.messages == []


def test_expiry_within_the_clock_skew_is_accepted(microsoft, signing_key):
    server = make_server()
    token = make_token(signing_key, exp=int(time.time()) - 60)
    assert server.post(activity("message_text"), token)[0] == 200


def test_service_url_mismatch_is_forbidden(microsoft, signing_key):
    server = make_server()
    body = activity("message_text")
    body["serviceUrl"] = "https://attacker.example.net/"
    status, _ = server.post(body, make_token(signing_key))
    assert status == 403
    assert server.agent.messages == []
    assert microsoft.sent == []  # and our outbound token never went to that address


def test_token_without_service_url_claim_is_forbidden(microsoft, signing_key):
    server = make_server()
    status, _ = server.post(activity("message_text"), make_token(signing_key, serviceurl=None))
    assert status == 403


def test_key_not_endorsed_for_the_channel_is_forbidden(microsoft, signing_key):
    microsoft.keys[0]["endorsements"] = ["skype"]
    server = make_server()
    assert server.post(activity("message_text"), make_token(signing_key))[0] == 403


def test_unknown_key_is_unauthorized(microsoft, signing_key, other_key, caplog):
    server = make_server()
    status, _ = server.post(activity("message_text"), make_token(other_key, kid="not-listed"))
    assert status == 401
    assert "unknown key 'not-listed'" in caplog.text
    assert server.agent.messages == []


def test_token_signed_by_another_key_under_a_known_id_is_unauthorized(microsoft, other_key, caplog):
    server = make_server()
    assert server.post(activity("message_text"), make_token(other_key))[0] == 401
    assert "InvalidSignatureError" in caplog.text


def test_unsigned_and_symmetric_tokens_are_unauthorized(microsoft):
    server = make_server()
    claims = {"iss": teams.BOT_CONNECTOR_ISSUER, "aud": APP_ID, "serviceurl": SERVICE_URL}
    claims["exp"] = int(time.time()) + 600
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": KID})
    hs256 = jwt.encode(claims, "a-shared-secret-long-enough-for-hs256!", algorithm="HS256")
    for token in (unsigned, hs256):
        assert server.post(activity("message_text"), token)[0] == 401


@pytest.mark.parametrize("header", [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer not.a.jwt"])
def test_missing_or_malformed_authorization_is_unauthorized(microsoft, header):
    server = make_server()
    headers = {"Authorization": header} if header is not None else {}
    status, _ = asyncio.run(
        server.request("POST", WEBHOOK, json.dumps(activity("message_text")).encode(), headers)
    )
    assert status == 401
    assert server.agent.messages == []


def test_keys_unavailable_is_unauthorized_not_a_server_error(microsoft, signing_key, monkeypatch):
    async def down(url: str) -> Any:
        raise teams.TeamsHttpError("503 from Microsoft")

    monkeypatch.setattr(teams, "http_get_json", down)
    server = make_server()
    assert server.post(activity("message_text"), make_token(signing_key))[0] == 401


def test_malformed_json_is_a_bad_request(microsoft, signing_key):
    server = make_server()
    assert server.post(b"{not json", make_token(signing_key))[0] == 400
    assert server.post(b"[1, 2]", make_token(signing_key))[0] == 400


@pytest.mark.parametrize(
    "changes",
    [
        {"from": "not an object", "conversation": None},
        {"entities": {"type": "mention"}, "recipient": [], "channelData": "x"},
        {"text": 42, "value": ["x"]},
        {"from": {"aadObjectId": "not-a-guid"}},
    ],
)
def test_odd_activity_shapes_never_cause_a_server_error(microsoft, signing_key, changes):
    body = {**activity("message_text"), **changes}
    assert make_server().post(body, make_token(signing_key))[0] == 200


def test_malformed_json_without_a_token_is_unauthorized(microsoft):
    assert make_server().post(b"{not json", None)[0] == 401


# --- identity ----------------------------------------------------------------------------------


def test_message_without_an_aad_object_id_is_refused_with_a_reply(microsoft, signing_key):
    server = make_server()
    body = activity("webchat_message")
    token = make_token(signing_key, serviceurl=body["serviceUrl"])
    status, _ = server.post(body, token)
    assert status == 200
    assert server.agent.messages == []
    [(url, payload, _)] = microsoft.sent
    assert url.startswith("https://webchat.botframework.com/v3/conversations/")
    assert payload["text"] == teams.NOT_SIGNED_IN_REPLY


def test_single_tenant_app_refuses_other_tenants(microsoft, signing_key):
    server = make_server(tenant_id=TENANT_ID)
    body = activity("message_text")
    body["conversation"]["tenantId"] = "99999999-8888-4777-8666-555555555555"
    body["channelData"]["tenant"]["id"] = "99999999-8888-4777-8666-555555555555"
    assert server.post(body, make_token(signing_key))[0] == 200
    assert server.agent.messages == []
    assert microsoft.sent[0][1]["text"] == teams.NOT_SIGNED_IN_REPLY


def test_single_tenant_app_accepts_its_own_tenant(microsoft, signing_key):
    server = make_server(tenant_id=TENANT_ID.upper())
    assert server.post(activity("message_text"), make_token(signing_key))[0] == 200
    assert [m.sender_id for m in server.agent.messages] == [AAD_OBJECT_ID]


def test_a_message_without_text_gets_a_plain_reply(microsoft, signing_key):
    server = make_server()
    body = activity("message_text")
    body["text"] = ""
    body["attachments"] = [{"contentType": "image/*", "contentUrl": "https://example.org/x"}]
    assert server.post(body, make_token(signing_key))[0] == 200
    assert server.agent.messages == []
    assert microsoft.sent[0][1]["text"] == teams.TEXT_ONLY_REPLY


# --- outbound ----------------------------------------------------------------------------------

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def test_buttons_become_a_hero_card_teams_can_click(microsoft, signing_key):
    server = make_server()
    server.agent.responses = [
        {"text": "Did you see the child on their own?", "buttons": YES_NO},
        {"text": "How sure are you?", "buttons": [{"title": "Not sure", "payload": "not sure"}]},
    ]
    assert server.post(activity("message_text"), make_token(signing_key))[0] == 200
    [(url, first, headers), (_, second, _)] = microsoft.sent
    conversation = activity("message_text")["conversation"]["id"]
    assert url == (
        "https://smba.trafficmanager.net/emea/v3/conversations/"
        + conversation.replace(":", "%3A")
        + "/activities"
    )
    assert headers["Authorization"] == "Bearer outbound-token-1"
    assert first["type"] == "message"
    assert first["from"] == activity("message_text")["recipient"]
    assert "channelData" not in first  # no activity-feed alert for every message
    [card] = first["attachments"]
    assert card["contentType"] == "application/vnd.microsoft.card.hero"
    assert card["content"]["text"] == "Did you see the child on their own?"
    assert card["content"]["buttons"] == [
        {
            "type": "messageBack",
            "title": "Yes",
            "displayText": "Yes",
            "text": "/affirm",
            "value": {"payload": "/affirm"},
        },
        {
            "type": "messageBack",
            "title": "No",
            "displayText": "No",
            "text": "/deny",
            "value": {"payload": "/deny"},
        },
    ]
    assert second["attachments"][0]["content"]["buttons"] == [
        {"type": "imBack", "title": "Not sure", "value": "not sure"}
    ]
    # one token for both messages
    assert len(microsoft.token_requests) == 1


def test_many_buttons_are_split_six_to_a_card():
    buttons = [{"title": str(n), "payload": f'/inform{{"choice": "{n}"}}'} for n in range(1, 11)]
    cards = teams.hero_cards("Pick one", buttons)
    assert [len(c["content"]["buttons"]) for c in cards] == [6, 4]
    assert cards[0]["content"]["text"] == "Pick one"
    assert "text" not in cards[1]["content"]


def test_quick_replies_and_plain_text(microsoft, signing_key):
    server = make_server()
    server.agent.responses = [
        {"text": "First part.\n\nSecond part."},
        {"text": "Carry on?", "quick_replies": YES_NO},
    ]
    server.post(activity("message_text"), make_token(signing_key))
    texts = [payload.get("text") for _, payload, _ in microsoft.sent]
    assert texts[:2] == ["First part.", "Second part."]
    assert microsoft.sent[2][1]["attachments"][0]["content"]["buttons"][0]["type"] == "messageBack"


def test_multi_tenant_tokens_come_from_botframework_com(microsoft, signing_key):
    server = make_server()
    server.agent.responses = [{"text": "Hello"}]
    server.post(activity("message_text"), make_token(signing_key))
    [(url, form)] = microsoft.token_requests
    assert url == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    assert form == {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": "not-a-real-secret",
        "scope": "https://api.botframework.com/.default",
    }


def test_single_tenant_tokens_come_from_the_apps_tenant(microsoft, signing_key):
    server = make_server(tenant_id=TENANT_ID)
    server.agent.responses = [{"text": "Hello"}]
    server.post(activity("message_text"), make_token(signing_key))
    [(url, _)] = microsoft.token_requests
    assert url == f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/token"


def test_outbound_token_is_cached_until_near_expiry(microsoft):
    clock = [0.0]
    provider = teams.BotConnectorTokenProvider(APP_ID, "pw", clock=lambda: clock[0])
    assert asyncio.run(provider.access_token()) == "outbound-token-1"
    clock[0] = 3599 - teams.TOKEN_RENEW_MARGIN_SECONDS - 1
    assert asyncio.run(provider.access_token()) == "outbound-token-1"
    clock[0] += 2
    assert asyncio.run(provider.access_token()) == "outbound-token-2"


def test_token_endpoint_failure_is_logged_not_raised(microsoft, signing_key, caplog, monkeypatch):
    async def refused(url: str, form: dict) -> Any:
        raise teams.TeamsHttpError("401 invalid_client")

    monkeypatch.setattr(teams, "http_post_form", refused)
    server = make_server()
    server.agent.responses = [{"text": "Hello"}]
    assert server.post(activity("message_text"), make_token(signing_key))[0] == 200
    assert microsoft.sent == []
    assert "no token" in caplog.text


# --- configuration ----------------------------------------------------------------------------


def test_credentials_are_required():
    with pytest.raises(RasaException):
        teams.TeamsInput.from_credentials(None)
    with pytest.raises(RasaException):
        teams.TeamsInput.from_credentials({"app_id": APP_ID, "app_password": ""})


@pytest.mark.parametrize("tenant", ["common", "organizations", "x/../evil", "a b"])
def test_tenant_must_be_one_tenant(tenant):
    with pytest.raises(RasaException):
        teams.TeamsInput.from_credentials(
            {"app_id": APP_ID, "app_password": "pw", "tenant_id": tenant}
        )


def test_empty_tenant_means_multi_tenant():
    channel = teams.TeamsInput.from_credentials(
        {"app_id": APP_ID, "app_password": "pw", "tenant_id": ""}
    )
    assert channel.tokens.token_url.endswith("/botframework.com/oauth2/v2.0/token")


def test_nothing_is_fetched_at_start_up(microsoft):
    server = make_server()
    assert asyncio.run(server.request("GET", "/webhooks/teams/"))[0] == 200
    assert microsoft.gets == []


def test_webhook_path_and_names():
    channel = teams.TeamsInput(APP_ID, "pw")
    assert channel.name() == "teams"
    assert channel.url_prefix() == "teams"
    assert teams.TeamsOutput.name() == "teams"


# --- the network boundary itself, against a local server ------------------------------------


def test_http_functions_against_a_local_server():
    from aiohttp import web

    received: dict[str, Any] = {}

    async def keys(request: web.Request) -> web.Response:
        return web.json_response({"keys": []})

    async def token(request: web.Request) -> web.Response:
        received["form"] = dict(await request.post())
        return web.json_response({"access_token": "t", "expires_in": 3599})

    async def activities(request: web.Request) -> web.Response:
        received["conversation"] = request.match_info["conversation"]
        received["auth"] = request.headers.get("Authorization")
        received["activity"] = await request.json()
        return web.json_response({"id": "1"}, status=201)

    async def refuse(request: web.Request) -> web.Response:
        return web.Response(status=403, text="no")

    async def scenario() -> None:
        app = web.Application()
        app.router.add_get("/keys", keys)
        app.router.add_post("/token", token)
        app.router.add_post("/v3/conversations/{conversation}/activities", activities)
        app.router.add_post("/refuse", refuse)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        try:
            assert await teams.http_get_json(f"{base}/keys") == {"keys": []}
            answer = await teams.http_post_form(f"{base}/token", {"client_id": "x"})
            assert answer["access_token"] == "t"
            await teams.http_post_json(
                f"{base}/v3/conversations/a%3A1/activities",
                {"type": "message"},
                {"Authorization": "Bearer t"},
            )
            with pytest.raises(teams.TeamsHttpError):
                await teams.http_post_json(f"{base}/refuse", {}, {})
            with pytest.raises(teams.TeamsHttpError):
                await teams.http_get_json(f"{base}/missing")
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
    assert received == {
        "form": {"client_id": "x"},
        "conversation": "a:1",
        "auth": "Bearer t",
        "activity": {"type": "message"},
    }


def test_rasa_loads_the_channel_from_a_credentials_file(tmp_path):
    from rasa.core.run import create_http_input_channels

    credentials = tmp_path / "credentials.yml"
    credentials.write_text(
        "channels.teams.TeamsInput:\n"
        f'  app_id: "{APP_ID}"\n'
        '  app_password: "not-a-real-secret"\n'
        f'  tenant_id: "{TENANT_ID}"\n'
    )
    [channel] = create_http_input_channels(None, str(credentials))
    assert isinstance(channel, teams.TeamsInput)
    assert channel.tokens.token_url == (
        f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/token"
    )
