"""Token verification (actions/identity): what is trusted and what is refused."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from actions.identity import config as identity_config
from actions.identity.config import DEV_AUDIENCE, DEV_ISSUER, IdentityConfig, OidcConfig
from actions.identity.tokens import (
    ROLES_BY_PRIVILEGE,
    TokenError,
    TokenVerifier,
    ensure_dev_secret,
    issue_dev_token,
)
from actions.store.models import ROLES

SECRET = "a" * 64


def base_config(tmp_path, **changes) -> IdentityConfig:
    config = IdentityConfig(
        dev_signin=True,
        dev_secret_file=tmp_path / "secret.key",
        dev_token_minutes=30,
        oidc=None,
        leeway_seconds=0,
        max_message_chars=20_000,
        rate_limit_messages=30,
        rate_limit_seconds=60,
        cors_origins=(),
        socketio_message_queue=None,
    )
    return replace(config, **changes)


@pytest.fixture()
def verifier(tmp_path) -> TokenVerifier:
    return TokenVerifier(base_config(tmp_path), dev_secret=SECRET)


def dev_claims(**changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": "person-1",
        "role": "worker",
        "iat": now,
        "exp": now + 600,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def reason(verifier: TokenVerifier, token) -> str:
    with pytest.raises(TokenError) as caught:
        verifier.verify(token)
    return caught.value.reason


def test_a_dev_token_gives_subject_role_and_name(verifier):
    token, expires = issue_dev_token(SECRET, "person-1", role="supervisor", name="Sam")
    identity = verifier.verify(token)
    assert identity.subject == "person-1"
    assert identity.role == "supervisor"
    assert identity.name == "Sam"
    assert identity.issuer == DEV_ISSUER
    assert identity.expires_at == expires
    assert verifier.verify(f"Bearer {token}") == identity
    assert "token" not in json.dumps(identity.as_metadata())


def test_bad_signature_is_refused(verifier):
    token = jwt.encode(dev_claims(), "b" * 64, algorithm="HS256")
    assert reason(verifier, token) == "bad_signature"


def test_tampered_payload_is_refused(verifier):
    token, _ = issue_dev_token(SECRET, "person-1")
    header, payload, signature = token.split(".")
    forged = jwt.encode(dev_claims(sub="person-2"), "x" * 64, algorithm="HS256").split(".")[1]
    assert reason(verifier, f"{header}.{forged}.{signature}") == "bad_signature"


def test_expired_token_is_refused(verifier):
    token, _ = issue_dev_token(SECRET, "person-1", now=time.time() - 3600, minutes=30)
    assert reason(verifier, token) == "expired"


def test_wrong_issuer_is_refused(verifier):
    token = jwt.encode(dev_claims(iss="https://evil.example"), SECRET, algorithm="HS256")
    assert reason(verifier, token) == "wrong_issuer"
    token = jwt.encode(dev_claims(iss=None), SECRET, algorithm="HS256")
    assert reason(verifier, token) == "wrong_issuer"


def test_wrong_audience_is_refused(verifier):
    token = jwt.encode(dev_claims(aud="another-app"), SECRET, algorithm="HS256")
    assert reason(verifier, token) == "wrong_audience"
    token = jwt.encode(dev_claims(aud=None), SECRET, algorithm="HS256")
    assert reason(verifier, token) == "missing_claim"


def test_missing_subject_is_refused(verifier):
    token = jwt.encode(dev_claims(sub=None), SECRET, algorithm="HS256")
    assert reason(verifier, token) == "missing_claim"


@pytest.mark.parametrize("subject", ["", "two words", "tab\there", "x" * 256])
def test_unusable_subject_is_refused(verifier, subject):
    token = jwt.encode(dev_claims(sub=subject), SECRET, algorithm="HS256")
    assert reason(verifier, token) in {"bad_subject", "malformed"}


def test_missing_expiry_is_refused(verifier):
    token = jwt.encode(dev_claims(exp=None), SECRET, algorithm="HS256")
    assert reason(verifier, token) == "missing_claim"


def test_alg_none_is_refused(verifier):
    unsigned = jwt.encode(dev_claims(), None, algorithm="none")
    assert reason(verifier, unsigned) == "bad_signature"


def test_other_hmac_algorithm_is_refused(verifier):
    token = jwt.encode(dev_claims(), SECRET, algorithm="HS512")
    assert reason(verifier, token) == "bad_signature"


def test_dev_token_without_a_known_role_is_refused(verifier):
    token = jwt.encode(dev_claims(role="superuser"), SECRET, algorithm="HS256")
    assert reason(verifier, token) == "bad_role"


@pytest.mark.parametrize("token", [None, "", "   ", "not-a-jwt", "a.b.c", 42, "x" * 9000])
def test_garbage_is_refused(verifier, token):
    assert reason(verifier, token) in {"missing", "malformed"}


def test_dev_tokens_are_not_trusted_unless_dev_signin_is_on(tmp_path):
    token, _ = issue_dev_token(SECRET, "person-1")
    off = TokenVerifier(base_config(tmp_path, dev_signin=False))
    assert not off.configured
    assert reason(off, token) == "not_configured"


def test_roles_match_the_store():
    assert set(ROLES_BY_PRIVILEGE) == set(ROLES)
    assert ROLES_BY_PRIVILEGE[-1] == "worker", "the least privileged role is last"


def test_dev_secret_is_made_once_and_private(tmp_path):
    path = tmp_path / "secrets" / "dev.key"
    first = ensure_dev_secret(path)
    assert len(first) == 64
    assert ensure_dev_secret(path) == first
    assert path.stat().st_mode & 0o777 == 0o600


def test_config_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SUPERVISION_DEV_SIGNIN", "1")
    monkeypatch.setenv("SUPERVISION_MAX_MESSAGE_CHARS", "500")
    monkeypatch.setenv("SUPERVISION_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("SUPERVISION_OIDC_ISSUER", "https://idp.example")
    monkeypatch.delenv("SUPERVISION_OIDC_JWKS_URL", raising=False)
    identity_config.get_identity_config.cache_clear()
    try:
        with pytest.raises(ValueError, match="SUPERVISION_OIDC_JWKS_URL"):
            identity_config.get_identity_config()
        monkeypatch.setenv("SUPERVISION_OIDC_JWKS_URL", "https://idp.example/keys")
        monkeypatch.setenv("SUPERVISION_OIDC_AUDIENCE", "api://supervision")
        monkeypatch.setenv("SUPERVISION_OIDC_ALGORITHMS", "HS256")
        with pytest.raises(ValueError, match="public-key"):
            identity_config.get_identity_config()
        monkeypatch.delenv("SUPERVISION_OIDC_ALGORITHMS")
        config = identity_config.get_identity_config()
        assert config.dev_signin and config.max_message_chars == 500
        assert config.cors_origins == ("https://a.example", "https://b.example")
        assert config.oidc.algorithms == ("RS256",)
    finally:
        identity_config.get_identity_config.cache_clear()


# --- OIDC: RS256 checked against the provider's keys (a JWKS served here) ---------------


ISSUER = "https://login.example.org/tenant/v2.0"
AUDIENCE = "api://supervision-assistant"


@pytest.fixture(scope="module")
def idp_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url(idp_key):
    jwk = RSAAlgorithm.to_jwk(idp_key.public_key(), as_dict=True)
    jwk.update({"kid": "key-1", "use": "sig", "alg": "RS256"})
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/keys"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def oidc_verifier(tmp_path, jwks_url) -> TokenVerifier:
    oidc = OidcConfig(issuer=ISSUER, jwks_url=jwks_url, audience=AUDIENCE, subject_claim="oid")
    return TokenVerifier(base_config(tmp_path, dev_signin=False, oidc=oidc))


def idp_token(key, kid="key-1", **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "pairwise-subject",
        "oid": "8a9b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "name": "Alex Worker",
        "roles": ["worker", "supervisor"],
        "iat": now,
        "exp": now + 600,
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def test_oidc_token_is_checked_against_the_providers_keys(oidc_verifier, idp_key):
    identity = oidc_verifier.verify(idp_token(idp_key))
    assert identity.subject == "8a9b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
    assert identity.role == "supervisor", "the most privileged known role"
    assert identity.name == "Alex Worker"
    assert oidc_verifier.verify(idp_token(idp_key, roles=None)).role == "worker"


def test_oidc_token_signed_by_another_key_is_refused(oidc_verifier):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert reason(oidc_verifier, idp_token(other)) == "bad_signature"
    assert reason(oidc_verifier, idp_token(other, kid="unknown")) == "bad_signature"


def test_oidc_claims_are_checked(oidc_verifier, idp_key):
    assert reason(oidc_verifier, idp_token(idp_key, aud="other")) == "wrong_audience"
    assert reason(oidc_verifier, idp_token(idp_key, exp=int(time.time()) - 60)) == "expired"
    assert reason(oidc_verifier, idp_token(idp_key, oid=None)) == "missing_claim"


def test_hs256_token_using_the_public_key_as_secret_is_refused(oidc_verifier, idp_key):
    """The algorithm-confusion attack: an HMAC token keyed with the provider's public key."""
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "oid": "x", "iat": now, "exp": now + 60}
    token = jwt.encode(claims, "public-key-bytes" * 4, algorithm="HS256", headers={"kid": "key-1"})
    assert reason(oidc_verifier, token) == "bad_signature"


def test_unreachable_keys_are_not_a_bad_token(tmp_path, idp_key):
    oidc = OidcConfig(issuer=ISSUER, jwks_url="http://127.0.0.1:9/keys", audience=AUDIENCE)
    verifier = TokenVerifier(base_config(tmp_path, dev_signin=False, oidc=oidc))
    assert reason(verifier, idp_token(idp_key)) == "keys_unavailable"
