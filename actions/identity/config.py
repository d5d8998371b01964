"""Sign-in, token and chat-channel settings, read from the environment in one place.

Like ``actions.settings``, values are read when ``get_identity_config()`` is first
called, so tests can set the environment and then call ``get_identity_config.cache_clear()``.

Two kinds of token are trusted, each only when configured:

- **development** (``SUPERVISION_DEV_SIGNIN=1``, set by ``make run``): HS256 tokens that
  the dev sign-in issues for people in the database, signed with a random secret kept in
  ``var/secrets/`` (never committed). Never turn this on in production.
- **the organisation's identity provider** (OIDC): RS256 (or the listed algorithms)
  tokens checked against the provider's published keys (JWKS), issuer and audience.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from actions.settings import PROJECT_ROOT

DEV_ISSUER = "urn:supervision:dev-signin"
DEV_AUDIENCE = "supervision-assistant"
DEFAULT_DEV_SECRET_FILE = PROJECT_ROOT / "var" / "secrets" / "dev_token.key"
TRUE_WORDS = {"1", "true", "yes", "on"}


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in TRUE_WORDS


def _int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from error
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {number}")
    return number


def _words(name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return tuple(part for part in value.replace(",", " ").split() if part)


@dataclass(frozen=True)
class OidcConfig:
    """The organisation's identity provider (OpenID Connect)."""

    issuer: str
    jwks_url: str
    audience: str
    algorithms: tuple[str, ...] = ("RS256",)
    subject_claim: str = "sub"
    role_claim: str = "roles"
    name_claim: str = "name"
    default_role: str = "worker"


@dataclass(frozen=True)
class IdentityConfig:
    dev_signin: bool
    dev_secret_file: Path
    dev_token_minutes: int
    oidc: OidcConfig | None
    leeway_seconds: int
    # Chat channel limits.
    max_message_chars: int
    rate_limit_messages: int
    rate_limit_seconds: int
    # Origins (scheme://host:port) allowed to call the channels from a browser, besides
    # the server's own origin.
    cors_origins: tuple[str, ...]
    # Optional message queue (redis://...) so that several Rasa instances can reach
    # every socket of a user.
    socketio_message_queue: str | None


def _oidc_from_env() -> OidcConfig | None:
    issuer = os.environ.get("SUPERVISION_OIDC_ISSUER", "").strip()
    jwks_url = os.environ.get("SUPERVISION_OIDC_JWKS_URL", "").strip()
    audience = os.environ.get("SUPERVISION_OIDC_AUDIENCE", "").strip()
    if not (issuer or jwks_url or audience):
        return None
    missing = [
        name
        for name, value in (
            ("SUPERVISION_OIDC_ISSUER", issuer),
            ("SUPERVISION_OIDC_JWKS_URL", jwks_url),
            ("SUPERVISION_OIDC_AUDIENCE", audience),
        )
        if not value
    ]
    if missing:
        raise ValueError(f"OIDC is half configured: set {', '.join(missing)} as well")
    algorithms = _words("SUPERVISION_OIDC_ALGORITHMS", ("RS256",))
    if any(alg.upper().startswith("HS") or alg.lower() == "none" for alg in algorithms):
        raise ValueError("SUPERVISION_OIDC_ALGORITHMS must list public-key algorithms only")
    return OidcConfig(
        issuer=issuer,
        jwks_url=jwks_url,
        audience=audience,
        algorithms=algorithms,
        subject_claim=os.environ.get("SUPERVISION_OIDC_SUBJECT_CLAIM", "").strip() or "sub",
        role_claim=os.environ.get("SUPERVISION_OIDC_ROLE_CLAIM", "").strip() or "roles",
        name_claim=os.environ.get("SUPERVISION_OIDC_NAME_CLAIM", "").strip() or "name",
        default_role=os.environ.get("SUPERVISION_OIDC_DEFAULT_ROLE", "").strip() or "worker",
    )


@lru_cache(maxsize=1)
def get_identity_config() -> IdentityConfig:
    secret_file = os.environ.get("SUPERVISION_DEV_SECRET_FILE", "").strip()
    queue = os.environ.get("SUPERVISION_SOCKETIO_MESSAGE_QUEUE", "").strip()
    return IdentityConfig(
        dev_signin=_flag("SUPERVISION_DEV_SIGNIN"),
        dev_secret_file=Path(secret_file) if secret_file else DEFAULT_DEV_SECRET_FILE,
        dev_token_minutes=_int("SUPERVISION_DEV_TOKEN_MINUTES", 30),
        oidc=_oidc_from_env(),
        leeway_seconds=_int("SUPERVISION_TOKEN_LEEWAY_SECONDS", 30, minimum=0),
        max_message_chars=_int("SUPERVISION_MAX_MESSAGE_CHARS", 20_000),
        rate_limit_messages=_int("SUPERVISION_RATE_LIMIT_MESSAGES", 30),
        rate_limit_seconds=_int("SUPERVISION_RATE_LIMIT_SECONDS", 60),
        cors_origins=_words("SUPERVISION_CORS_ORIGINS"),
        socketio_message_queue=queue or None,
    )
