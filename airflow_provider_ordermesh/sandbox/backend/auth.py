"""Bearer tokens: client-credentials and password logins, refresh tokens, lifetimes and expiry.

Tokens live in real (monotonic) time, not virtual time, and outlive a reset of the sandbox
state, so a client's cached token keeps working from one test to the next. ``expire_all``
invalidates every access token at once; refresh tokens stay valid, as a real session would.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from airflow_provider_ordermesh.sandbox.backend.errors import Unauthorized


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: float
    refresh_token: str | None = None


@dataclass(frozen=True)
class _Grant:
    principal: str
    issued_at: float
    expires_at: float


class TokenStore:
    """Issues and checks tokens for the credentials in the sandbox's config."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self._config = config
        self._clock = clock
        self._rng = Random(f"{config.seed}:tokens")
        self._access: dict[str, _Grant] = {}
        self._refresh: dict[str, str] = {}

    def reconfigure(self, config: SandboxConfig) -> None:
        """New credentials and lifetime apply from the next token on."""
        self._config = config

    def issue_client_token(self, client_id: str, client_secret: str) -> IssuedToken:
        """A client-credentials token (no refresh token, as in production)."""
        if not (
            _same(client_id, self._config.client_id) and _same(client_secret, self._config.client_secret)
        ):
            raise Unauthorized("invalid client id or client secret")
        return self._issue(client_id, with_refresh=False)

    def login(self, username: str, password: str) -> IssuedToken:
        """A password-login token with a refresh token."""
        if not (_same(username, self._config.username) and _same(password, self._config.password)):
            raise Unauthorized("invalid username or password")
        return self._issue(username, with_refresh=True)

    def refresh(self, refresh_token: str) -> IssuedToken:
        """A new token pair for a refresh token, which is used up."""
        principal = self._refresh.pop(refresh_token, None)
        if principal is None:
            raise Unauthorized("invalid or used refresh token")
        return self._issue(principal, with_refresh=True)

    def authenticate(self, authorization: str | None) -> str:
        """The principal behind an ``Authorization: Bearer ...`` header, or a 401."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("missing bearer token: send 'Authorization: Bearer <accessToken>'")
        grant = self._access.get(token)
        if grant is None or grant.expires_at <= self._clock():
            self._access.pop(token, None)
            raise Unauthorized("invalid or expired access token")
        return grant.principal

    def expire_all(self) -> int:
        """Invalidate every access token now; returns how many there were."""
        return self.expire_older_than(0.0)

    def expire_older_than(self, seconds: float) -> int:
        """Invalidate the access tokens issued at least ``seconds`` ago; returns how many."""
        cutoff = self._clock() - seconds
        old = [token for token, grant in self._access.items() if grant.issued_at <= cutoff]
        for token in old:
            del self._access[token]
        return len(old)

    def _issue(self, principal: str, *, with_refresh: bool) -> IssuedToken:
        lifetime = self._config.token_lifetime_seconds
        access_token = self._new_token()
        now = self._clock()
        self._access[access_token] = _Grant(principal, now, now + lifetime)
        refresh_token = self._new_token() if with_refresh else None
        if refresh_token is not None:
            self._refresh[refresh_token] = principal
        return IssuedToken(access_token, lifetime, refresh_token)

    def _new_token(self) -> str:
        return f"sbx_{self._rng.getrandbits(192):048x}"


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
