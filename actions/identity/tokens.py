"""Issuing (development only) and verifying the signed tokens that say who a user is.

A token is trusted only when its signature, expiry, issuer and audience all check out
against one configured issuer, and it names a subject. The subject becomes the chat
sender id; the role comes from the token's claims. Nothing a client sends besides the
token changes either.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from actions.identity.config import DEV_AUDIENCE, DEV_ISSUER, IdentityConfig, OidcConfig
from actions.store.models import ROLES

# The roles of people in the store (listed there least privileged first), most first.
ROLES_BY_PRIVILEGE = tuple(reversed(ROLES))
MAX_SUBJECT_CHARS = 255
MAX_TOKEN_CHARS = 8192
MAX_NAME_CHARS = 200
# A subject is an opaque id: printable, no whitespace or control characters.
SUBJECT_RE = re.compile(r"[^\s\x00-\x1f\x7f-\x9f]{1,255}")
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud"]


class TokenError(Exception):
    """A token that cannot be trusted. ``reason`` is a short code safe to show a client:
    missing, malformed, expired, bad_signature, wrong_issuer, wrong_audience,
    missing_claim, bad_subject, bad_role, keys_unavailable."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Identity:
    """Who a verified token says the user is."""

    subject: str
    role: str
    issuer: str
    expires_at: int
    name: str | None = None

    def as_metadata(self) -> dict[str, Any]:
        """What the chat channels pass on to the bot (never the token itself)."""
        return {
            "subject": self.subject,
            "role": self.role,
            "issuer": self.issuer,
            "name": self.name,
        }


# --- the development secret ------------------------------------------------------------


def ensure_dev_secret(path: Path) -> str:
    """The development signing secret at ``path``, made (mode 600) the first time."""
    path = Path(path)
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    if not path.parent.exists():
        # A folder of its own is made private; an existing one is left as it is.
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _read_secret(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        # A file being written by another process: wait briefly for it.
        for _ in range(20):
            time.sleep(0.05)
            secret = path.read_text(encoding="ascii").strip()
            if len(secret) >= 32:
                break
        else:
            raise ValueError(f"the secret in {path} is too short (at least 32 characters)")
    return secret


def issue_dev_token(
    secret: str,
    subject: str,
    role: str = "worker",
    name: str | None = None,
    minutes: int = 30,
    now: float | None = None,
) -> tuple[str, int]:
    """A development token (HS256) for ``subject``; returns the token and its expiry
    (seconds since the epoch). For the dev sign-in and tests only."""
    _check_subject(subject)
    if role not in ROLES_BY_PRIVILEGE:
        raise ValueError(f"unknown role {role!r}")
    issued = int(now if now is not None else time.time())
    expires = issued + int(minutes * 60)
    claims: dict[str, Any] = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": subject,
        "role": role,
        "iat": issued,
        "nbf": issued,
        "exp": expires,
        "jti": secrets.token_hex(8),
    }
    if name:
        claims["name"] = name[:MAX_NAME_CHARS]
    return jwt.encode(claims, secret, algorithm="HS256"), expires


# --- verification ------------------------------------------------------------------------


def _check_subject(subject: Any) -> str:
    if not isinstance(subject, str) or not SUBJECT_RE.fullmatch(subject):
        raise TokenError("bad_subject", "the subject must be 1-255 printable characters")
    return subject


@dataclass(frozen=True)
class _Issuer:
    issuer: str
    audience: str
    algorithms: tuple[str, ...]
    subject_claim: str
    role_claim: str
    name_claim: str
    default_role: str | None  # None: the role claim is required (development tokens)


class TokenVerifier:
    """Checks tokens against every configured issuer (development and/or OIDC)."""

    def __init__(
        self,
        config: IdentityConfig,
        dev_secret: str | None = None,
        jwks_client: jwt.PyJWKClient | None = None,
    ) -> None:
        self.leeway = config.leeway_seconds
        self._issuers: dict[str, _Issuer] = {}
        self._dev_secret: str | None = None
        self._oidc: OidcConfig | None = config.oidc
        self._jwks: jwt.PyJWKClient | None = None
        if config.dev_signin:
            self._dev_secret = dev_secret or ensure_dev_secret(config.dev_secret_file)
            self._issuers[DEV_ISSUER] = _Issuer(
                issuer=DEV_ISSUER,
                audience=DEV_AUDIENCE,
                algorithms=("HS256",),
                subject_claim="sub",
                role_claim="role",
                name_claim="name",
                default_role=None,
            )
        if config.oidc is not None:
            oidc = config.oidc
            self._jwks = jwks_client or jwt.PyJWKClient(
                oidc.jwks_url, cache_keys=True, lifespan=300, timeout=10
            )
            self._issuers[oidc.issuer] = _Issuer(
                issuer=oidc.issuer,
                audience=oidc.audience,
                algorithms=oidc.algorithms,
                subject_claim=oidc.subject_claim,
                role_claim=oidc.role_claim,
                name_claim=oidc.name_claim,
                default_role=oidc.default_role,
            )

    @property
    def dev_secret(self) -> str | None:
        """The development signing secret, when development tokens are trusted."""
        return self._dev_secret

    @property
    def configured(self) -> bool:
        return bool(self._issuers)

    @property
    def uses_network(self) -> bool:
        """True when verifying may fetch the provider's keys (run it off the event loop)."""
        return self._jwks is not None

    def verify(self, token: Any) -> Identity:
        if not self._issuers:
            raise TokenError("not_configured", "no token issuer is configured")
        if not isinstance(token, str) or not token.strip():
            raise TokenError("missing", "no token given")
        token = token.strip()
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenError("malformed", "token too long")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise TokenError("malformed", str(error)) from error
        issuer_name = unverified.get("iss")
        issuer = self._issuers.get(issuer_name) if isinstance(issuer_name, str) else None
        if issuer is None:
            raise TokenError("wrong_issuer", "the token's issuer is not trusted")
        algorithm = header.get("alg")
        if algorithm not in issuer.algorithms:
            raise TokenError("bad_signature", f"algorithm {algorithm!r} is not accepted")
        key = self._key_for(issuer, token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=list(issuer.algorithms),
                audience=issuer.audience,
                issuer=issuer.issuer,
                leeway=self.leeway,
                options={"require": [*REQUIRED_CLAIMS, issuer.subject_claim]},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenError("expired", "the token has expired") from error
        except jwt.InvalidAudienceError as error:
            raise TokenError("wrong_audience", str(error)) from error
        except jwt.InvalidIssuerError as error:
            raise TokenError("wrong_issuer", str(error)) from error
        except jwt.MissingRequiredClaimError as error:
            raise TokenError("missing_claim", str(error)) from error
        except jwt.InvalidSignatureError as error:
            raise TokenError("bad_signature", "the signature does not match") from error
        except jwt.ImmatureSignatureError as error:
            raise TokenError("not_yet_valid", str(error)) from error
        except jwt.PyJWTError as error:
            raise TokenError("malformed", str(error)) from error
        return self._identity(issuer, claims)

    def _key_for(self, issuer: _Issuer, token: str) -> Any:
        if issuer.issuer == DEV_ISSUER and self._dev_secret is not None:
            return self._dev_secret
        assert self._jwks is not None
        try:
            return self._jwks.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as error:
            raise TokenError("keys_unavailable", str(error)) from error
        except jwt.PyJWKClientError as error:
            raise TokenError("bad_signature", str(error)) from error
        except jwt.PyJWTError as error:
            raise TokenError("malformed", str(error)) from error

    def _identity(self, issuer: _Issuer, claims: dict[str, Any]) -> Identity:
        subject = _check_subject(claims.get(issuer.subject_claim))
        role = _role_from(claims.get(issuer.role_claim), issuer.default_role)
        name = claims.get(issuer.name_claim)
        name = name[:MAX_NAME_CHARS] if isinstance(name, str) and name.strip() else None
        return Identity(
            subject=subject,
            role=role,
            issuer=issuer.issuer,
            expires_at=int(claims["exp"]),
            name=name,
        )


def _role_from(value: Any, default: str | None) -> str:
    """The most privileged known role in a claim (a string or a list of strings)."""
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    known = {v for v in values if isinstance(v, str)}
    for role in ROLES_BY_PRIVILEGE:
        if role in known:
            return role
    if default is None:
        raise TokenError("bad_role", "the token names no known role")
    return default
