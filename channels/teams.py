"""Microsoft Teams: Rasa's Bot Framework connector, verified and made fit for Teams.

Rasa's stock ``botframework`` connector (``rasa.core.channels.botframework``) falls short
in five ways that matter here; ``TeamsInput`` and ``TeamsOutput`` change exactly those:

* Inbound tokens. The stock connector checks the signature and the audience only. Here
  every activity's ``Authorization: Bearer`` token is checked as Microsoft's Bot Connector
  authentication requires: RS256 signature with a key from the OpenID metadata's
  ``jwks_uri`` (cached for a day, fetched again for an unknown key id), issuer
  ``https://api.botframework.com``, audience = the bot's app id, expiry with five minutes'
  clock skew, the ``serviceurl`` claim equal to the activity's ``serviceUrl`` (so replies,
  which carry our own token, go only where Microsoft said), and the signing key endorsed
  for the activity's ``channelId``. Failures answer 401 (token) or 403 (token not for this
  activity), malformed JSON 400; never a 5xx. Nothing is fetched at start-up (the stock
  connector downloads keys, blocking, in its constructor).
* Outbound tokens come from the app's own tenant when ``tenant_id`` is set (single-tenant
  apps cannot use the ``botframework.com`` tenant) and are cached per channel instance
  until shortly before they expire. HTTP is asynchronous (aiohttp), not ``requests``.
* Buttons. The stock connector puts Rasa's ``{"title", "payload"}`` dicts into the hero
  card as they are, which Teams neither renders nor clicks. Here they become card actions:
  ``messageBack`` for intent payloads (``/affirm``: the chat shows the title, the bot gets
  the payload) and ``imBack`` for plain-text payloads; at most six per card.
* Identity. The sender id is the user's Azure AD object id (``from.aadObjectId``,
  lower case), not the Teams-specific ``29:…`` id; metadata carries ``aad_object_id``,
  ``tenant_id`` and ``user_name``. An activity without an object id (Web Chat, Direct
  Line, the emulator) or, for a single-tenant app, from another tenant is refused with a
  plain reply and never reaches Rasa.
* Empty messages (a file or picture only) get a plain reply instead of an empty turn;
  attachments are not passed on.

The only network calls are ``http_get_json``, ``http_post_form`` and ``http_post_json``
below; tests replace those three and nothing else.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import aiohttp
import jwt
from jwt.algorithms import RSAAlgorithm
from rasa.core.channels.botframework import BotFramework, BotFrameworkInput
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

# --- Microsoft's published values ---------------------------------------------------------

OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_CONNECTOR_ISSUER = "https://api.botframework.com"
BOT_CONNECTOR_SCOPE = "https://api.botframework.com/.default"
# Multi-tenant bots get outbound tokens from the botframework.com tenant, single-tenant
# bots from their own tenant.
TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
MULTI_TENANT = "botframework.com"
SIGNING_ALGORITHMS = ("RS256",)
SERVICE_URL_CLAIM = "serviceurl"
CLOCK_SKEW_SECONDS = 300
HERO_CARD = "application/vnd.microsoft.card.hero"
HERO_CARD_MAX_BUTTONS = 6

# --- our caching choices ---------------------------------------------------------------------

KEYS_TTL_SECONDS = 24 * 3600
# An unknown key id (or a failed fetch) triggers at most one fetch per this interval, so
# forged tokens with random key ids cannot make us hammer Microsoft's endpoints.
KEYS_MIN_REFETCH_SECONDS = 60
# Fetch a new outbound token this long before the old one expires.
TOKEN_RENEW_MARGIN_SECONDS = 300
HTTP_TIMEOUT_SECONDS = 10

BEARER = re.compile(r"Bearer\s+(\S+)", re.IGNORECASE)
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TENANT = re.compile(r"[0-9A-Za-z][0-9A-Za-z.-]{0,253}")
# Authorities that are not one tenant: client credentials cannot use them.
NOT_A_TENANT = {"common", "organizations", "consumers"}

NOT_SIGNED_IN_REPLY = (
    "Sorry, I can only talk to people signed in to Microsoft Teams with a work account "
    "of the organisation that runs this service."
)
TEXT_ONLY_REPLY = "I can only read typed messages. Please type your answer."


class TeamsHttpError(Exception):
    """Microsoft's endpoint answered with an error or something unusable."""


class TeamsAuthError(Exception):
    """A request that must be rejected; ``status`` is 401 or 403, ``reason`` is for logs."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


NETWORK_ERRORS = (TeamsHttpError, aiohttp.ClientError, asyncio.TimeoutError, ValueError)


# --- the network boundary (tests replace these three) -------------------------------------


def _timeout() -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=HTTP_TIMEOUT_SECONDS)


async def http_get_json(url: str) -> Any:
    """GET a JSON document (OpenID metadata, signing keys)."""
    async with aiohttp.ClientSession(timeout=_timeout()) as session, session.get(url) as resp:
        if resp.status != 200:
            raise TeamsHttpError(f"GET {url} answered {resp.status}")
        return await resp.json(content_type=None)


async def http_post_form(url: str, form: dict[str, str]) -> Any:
    """POST a form and return the JSON answer (the OAuth token endpoint)."""
    async with (
        aiohttp.ClientSession(timeout=_timeout()) as session,
        session.post(url, data=form) as resp,
    ):
        if resp.status != 200:
            body = (await resp.text())[:300]
            raise TeamsHttpError(f"POST {url} answered {resp.status}: {body}")
        return await resp.json(content_type=None)


async def http_post_json(url: str, payload: dict[str, Any], headers: dict[str, str]) -> None:
    """POST an activity to the Bot Connector."""
    async with (
        aiohttp.ClientSession(timeout=_timeout()) as session,
        session.post(url, json=payload, headers=headers) as resp,
    ):
        if resp.status >= 300:
            body = (await resp.text())[:300]
            raise TeamsHttpError(f"POST {url} answered {resp.status}: {body}")


# --- inbound: the Bot Connector's token ------------------------------------------------------


@dataclass(frozen=True)
class VerifiedToken:
    claims: dict[str, Any]
    endorsements: frozenset[str]


class BotConnectorVerifier:
    """Checks the Bot Connector's JWT on an activity sent to the bot."""

    def __init__(
        self,
        app_id: str,
        *,
        metadata_url: str = OPENID_METADATA_URL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_id = app_id
        self.metadata_url = metadata_url
        self._clock = clock
        self._keys: dict[str, dict[str, Any]] = {}
        self._keys_fetched_at: float | None = None
        self._last_attempt: float | None = None

    async def _fetch_keys(self) -> None:
        metadata = await http_get_json(self.metadata_url)
        jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
        if not isinstance(jwks_uri, str) or not jwks_uri.startswith("https://"):
            raise TeamsHttpError("the OpenID metadata has no https jwks_uri")
        jwks = await http_get_json(jwks_uri)
        listed = jwks.get("keys") if isinstance(jwks, dict) else None
        keys = {
            key["kid"]: key
            for key in listed or []
            if isinstance(key, dict) and isinstance(key.get("kid"), str)
        }
        if not keys:
            raise TeamsHttpError(f"{jwks_uri} lists no signing keys")
        self._keys = keys
        self._keys_fetched_at = self._clock()

    async def _signing_key(self, kid: str) -> dict[str, Any]:
        now = self._clock()
        stale = self._keys_fetched_at is None or now - self._keys_fetched_at > KEYS_TTL_SECONDS
        last = self._last_attempt
        may_fetch = last is None or now - last >= KEYS_MIN_REFETCH_SECONDS
        if (stale or kid not in self._keys) and may_fetch:
            self._last_attempt = now
            try:
                await self._fetch_keys()
            except NETWORK_ERRORS as error:
                # Keep the keys we have (if any); the next attempt waits for the interval.
                logger.error("Could not fetch the Bot Connector's signing keys: %s", error)
        key = self._keys.get(kid)
        if key is None:
            raise TeamsAuthError(HTTPStatus.UNAUTHORIZED, f"token signed with unknown key {kid!r}")
        return key

    async def verify(self, authorization: str | None) -> VerifiedToken:
        """Check signature, issuer, audience and lifetime; raise ``TeamsAuthError``."""
        if not authorization:
            raise TeamsAuthError(HTTPStatus.UNAUTHORIZED, "no Authorization header")
        match = BEARER.fullmatch(authorization.strip())
        if not match:
            raise TeamsAuthError(HTTPStatus.UNAUTHORIZED, "Authorization is not a Bearer token")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TeamsAuthError(HTTPStatus.UNAUTHORIZED, f"not a JWT: {error}") from None
        if header.get("alg") not in SIGNING_ALGORITHMS:
            raise TeamsAuthError(HTTPStatus.UNAUTHORIZED, f"algorithm {header.get('alg')!r}")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise TeamsAuthError(HTTPStatus.UNAUTHORIZED, "token names no key id")
        jwk = await self._signing_key(kid)
        try:
            if jwk.get("kty") != "RSA":
                raise jwt.InvalidKeyError(f"key {kid!r} is not an RSA key")
            public_key = RSAAlgorithm.from_jwk(jwk)
            claims = jwt.decode(
                token,
                key=public_key,
                algorithms=list(SIGNING_ALGORITHMS),
                audience=self.app_id,
                issuer=BOT_CONNECTOR_ISSUER,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
            reason = f"{type(error).__name__}: {error}"
            raise TeamsAuthError(HTTPStatus.UNAUTHORIZED, reason) from None
        endorsements = jwk.get("endorsements")
        return VerifiedToken(
            claims=claims,
            endorsements=frozenset(e for e in endorsements or [] if isinstance(e, str))
            if isinstance(endorsements, list)
            else frozenset(),
        )

    @staticmethod
    def check_activity(token: VerifiedToken, activity: dict[str, Any]) -> None:
        """The token must be for this activity: its service URL and its channel."""
        claimed = token.claims.get(SERVICE_URL_CLAIM)
        if not isinstance(claimed, str) or not claimed or claimed != activity.get("serviceUrl"):
            raise TeamsAuthError(HTTPStatus.FORBIDDEN, "serviceUrl does not match the token")
        channel_id = activity.get("channelId")
        if not isinstance(channel_id, str) or channel_id not in token.endorsements:
            raise TeamsAuthError(
                HTTPStatus.FORBIDDEN, f"signing key not endorsed for channel {channel_id!r}"
            )


# --- outbound: the bot's own token -----------------------------------------------------------


def token_url_for(tenant_id: str | None) -> str:
    return TOKEN_URL.format(tenant=tenant_id or MULTI_TENANT)


class BotConnectorTokenProvider:
    """Client-credentials tokens for calling the Bot Connector, cached until near expiry."""

    def __init__(
        self,
        app_id: str,
        app_password: str,
        tenant_id: str | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_id = app_id
        self._app_password = app_password
        self.token_url = token_url_for(tenant_id)
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0

    async def access_token(self) -> str:
        if self._token is not None and self._clock() < self._renew_at:
            return self._token
        answer = await http_post_form(
            self.token_url,
            {
                "grant_type": "client_credentials",
                "client_id": self.app_id,
                "client_secret": self._app_password,
                "scope": BOT_CONNECTOR_SCOPE,
            },
        )
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise TeamsHttpError(f"{self.token_url} returned no access_token")
        expires_in = int(answer.get("expires_in", 0))
        self._token = token
        self._renew_at = self._clock() + max(0, expires_in - TOKEN_RENEW_MARGIN_SECONDS)
        return token


# --- buttons -----------------------------------------------------------------------------------


def card_action(button: dict[str, Any]) -> dict[str, Any]:
    """A Rasa button as a Teams card action that Teams renders and clicks."""
    title = str(button.get("title") or button.get("payload") or "")
    url = button.get("url")
    if isinstance(url, str) and url.startswith("https://"):
        return {"type": "openUrl", "title": title, "value": url}
    payload = button.get("payload")
    payload = title if payload is None else str(payload)
    if payload.startswith("/"):
        # An intent payload: show the title in the chat, send the payload to the bot.
        return {
            "type": "messageBack",
            "title": title,
            "displayText": title,
            "text": payload,
            "value": {"payload": payload},
        }
    return {"type": "imBack", "title": title, "value": payload}


def hero_cards(text: str, buttons: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hero card attachments: the text and the first six buttons, then six per card."""
    actions = [card_action(b) for b in buttons]
    cards = []
    for start in range(0, max(len(actions), 1), HERO_CARD_MAX_BUTTONS):
        content: dict[str, Any] = {"buttons": actions[start : start + HERO_CARD_MAX_BUTTONS]}
        if start == 0:
            content["text"] = text
        cards.append({"contentType": HERO_CARD, "content": content})
    return cards


# --- the output channel --------------------------------------------------------------------


class TeamsOutput(BotFramework):
    """Sends the bot's messages to one Teams conversation."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    def __init__(
        self,
        tokens: BotConnectorTokenProvider,
        conversation: dict[str, Any],
        bot: dict[str, Any],
        service_url: str,
    ) -> None:
        # The password stays in the token provider.
        super().__init__(tokens.app_id, "", conversation, bot, service_url)
        self.tokens = tokens

    async def _get_headers(self) -> dict[str, str] | None:
        try:
            token = await self.tokens.access_token()
        except NETWORK_ERRORS as error:
            logger.error("No Bot Connector token from %s: %s", self.tokens.token_url, error)
            return None
        return {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def prepare_message(self, recipient_id: str, message_data: dict[str, Any]) -> dict[str, Any]:
        # Unlike the stock connector, no activity-feed alert for every message.
        data: dict[str, Any] = {
            "type": "message",
            "recipient": {"id": recipient_id},
            "from": self.bot,
            "text": "",
        }
        data.update(message_data)
        return data

    async def send(self, message_data: dict[str, Any]) -> None:
        conversation_id = self.conversation.get("id")
        if not isinstance(conversation_id, str) or not conversation_id:
            logger.error("A Teams message was not sent: the activity named no conversation.")
            return
        url = f"{self.global_uri}conversations/{quote(conversation_id, safe='')}/activities"
        headers = await self._get_headers()
        if headers is None:
            logger.error("A Teams message was not sent: no token.")
            return
        try:
            await http_post_json(url, message_data, headers)
        except NETWORK_ERRORS as error:
            logger.error("A Teams message could not be sent: %s", error)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        if not buttons:
            await self.send_text_message(recipient_id, text)
            return
        message = {"attachmentLayout": "list", "attachments": hero_cards(text, buttons)}
        await self.send(self.prepare_message(recipient_id, message))


# --- the input channel ----------------------------------------------------------------------


def _obj(value: Any) -> dict[str, Any]:
    """A JSON object from the activity, or an empty one if it is something else."""
    return value if isinstance(value, dict) else {}


def _tenant_of(activity: dict[str, Any]) -> str | None:
    tenant = _obj(activity.get("conversation")).get("tenantId")
    if not tenant:
        tenant = _obj(_obj(activity.get("channelData")).get("tenant")).get("id")
    return tenant.lower() if isinstance(tenant, str) and tenant else None


def _user_text(activity: dict[str, Any]) -> str:
    """The words the user sent, without the bot's own @mention."""
    text = activity.get("text") if isinstance(activity.get("text"), str) else ""
    recipient_id = _obj(activity.get("recipient")).get("id")
    entities = activity.get("entities")
    for entity in entities if isinstance(entities, list) else []:
        if (
            isinstance(entity, dict)
            and entity.get("type") == "mention"
            and _obj(entity.get("mentioned")).get("id") == recipient_id
            and isinstance(entity.get("text"), str)
        ):
            text = text.replace(entity["text"], " ")
    text = text.strip()
    value = activity.get("value")
    if not text and isinstance(value, dict) and isinstance(value.get("payload"), str):
        text = value["payload"].strip()  # a messageBack click that carried no text
    return text


class TeamsInput(BotFrameworkInput):
    """Receives Teams activities at ``/webhooks/teams/webhook``."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        app_id = str(credentials.get("app_id") or "").strip()
        app_password = str(credentials.get("app_password") or "")
        tenant_id = str(credentials.get("tenant_id") or "").strip() or None
        if not app_id or not app_password:
            raise RasaException("The teams channel needs app_id and app_password.")
        return cls(app_id, app_password, tenant_id)

    def __init__(
        self,
        app_id: str,
        app_password: str,
        tenant_id: str | None = None,
        *,
        openid_metadata_url: str = OPENID_METADATA_URL,
    ) -> None:
        # BotFrameworkInput.__init__ is not called on purpose: it downloads the signing
        # keys (blocking) at construction. Keys are fetched on the first activity instead.
        if tenant_id is not None and (
            not TENANT.fullmatch(tenant_id) or tenant_id.lower() in NOT_A_TENANT
        ):
            raise RasaException(
                f"tenant_id {tenant_id!r} is not one tenant: give the directory (tenant) id "
                "of a single-tenant app, or leave it empty for a multi-tenant app."
            )
        self.app_id = app_id
        self.app_password = app_password
        self.tenant_id = tenant_id.lower() if tenant_id else None
        self.verifier = BotConnectorVerifier(app_id, metadata_url=openid_metadata_url)
        self.tokens = BotConnectorTokenProvider(app_id, app_password, self.tenant_id)

    def _output_for(self, activity: dict[str, Any]) -> TeamsOutput:
        return TeamsOutput(
            self.tokens,
            _obj(activity.get("conversation")),
            _obj(activity.get("recipient")),
            activity["serviceUrl"],
        )

    def _refusal(self, activity: dict[str, Any]) -> str | None:
        """Why this (verified) message may not reach Rasa, or None."""
        aad_object_id = str(_obj(activity.get("from")).get("aadObjectId") or "").lower()
        if not GUID.fullmatch(aad_object_id):
            return "no Azure AD object id"
        if self.tenant_id and _tenant_of(activity) != self.tenant_id:
            return "another tenant"
        return None

    async def _reply(self, activity: dict[str, Any], text: str) -> None:
        recipient_id = str(_obj(activity.get("from")).get("id", ""))
        await self._output_for(activity).send_text_message(recipient_id, text)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        teams_webhook = Blueprint("teams_webhook", __name__)

        @teams_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @teams_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            try:
                token = await self.verifier.verify(request.headers.get("Authorization"))
            except TeamsAuthError as error:
                return _rejected(error)
            except Exception as error:  # noqa: BLE001 - never a 5xx for a bad token
                logger.exception("Unexpected error while checking a Teams token")
                return _rejected(TeamsAuthError(HTTPStatus.UNAUTHORIZED, str(error)))
            try:
                activity = json.loads(request.body or b"")
            except ValueError:
                activity = None
            if not isinstance(activity, dict):
                return response.text("Expected a JSON activity.", status=HTTPStatus.BAD_REQUEST)
            try:
                self.verifier.check_activity(token, activity)
            except TeamsAuthError as error:
                return _rejected(error)

            if activity.get("type") != "message":
                logger.debug("Teams activity of type %r ignored.", activity.get("type"))
                return response.text("")

            refusal = self._refusal(activity)
            text = _user_text(activity)
            if refusal or not text:
                if refusal:
                    logger.warning(
                        "Teams message from channel %r refused: %s.",
                        activity.get("channelId"),
                        refusal,
                    )
                await self._reply(activity, NOT_SIGNED_IN_REPLY if refusal else TEXT_ONLY_REPLY)
                return response.text("")

            sender = _obj(activity.get("from"))
            aad_object_id = str(sender["aadObjectId"]).lower()
            message = UserMessage(
                text=text,
                output_channel=self._output_for(activity),
                sender_id=aad_object_id,
                input_channel=self.name(),
                message_id=activity.get("id"),
                metadata={
                    "aad_object_id": aad_object_id,
                    "tenant_id": _tenant_of(activity),
                    "user_name": sender.get("name")
                    if isinstance(sender.get("name"), str)
                    else None,
                },
            )
            try:
                await on_new_message(message)
            except Exception:  # noqa: BLE001 - a retry by the connector would not help
                logger.exception("Error while handling a Teams message")
            return response.text("")

        return teams_webhook


def _rejected(error: TeamsAuthError) -> HTTPResponse:
    logger.warning("Teams request rejected (%s): %s", int(error.status), error.reason)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == HTTPStatus.UNAUTHORIZED else {}
    return response.text(error.status.phrase, status=error.status, headers=headers)
