"""Credentials and the per-process token cache.

Two ways to get a token, as the API offers them: client credentials (``POST
/user/v1/clients/token``, 24 h, the production method) and a password login that also returns a
refresh token (dev and test). Tokens are cached per process and per identity, shared by every
client and thread, and replaced shortly before they expire; a 401 drops the cached token once.
Secrets are ``SecretStr`` throughout, so no repr, log line or error message can show them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from pydantic import SecretStr

from airflow_provider_ordermesh.client.errors import AuthenticationError, ConfigurationError
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.models.auth import (
    ClientTokenRequest,
    LoginRequest,
    RefreshRequest,
    TokenResponse,
)


def _token(data: object) -> TokenResponse:
    return TokenResponse.model_validate(data)


_FINGERPRINT_KEY = os.urandom(32)
"""This process's key for secret fingerprints: random, never stored or shown anywhere."""


def secret_fingerprint(secret: SecretStr) -> str:
    """A keyed hash (HMAC-SHA256 under a per-process random key) that tells two secrets apart.

    It keys the token cache, so that a wrong or rotated secret never reuses a token fetched with
    the right one. It is not the secret, cannot be checked against a guess outside this process,
    and is itself kept out of every repr, log line and message.
    """
    return hmac.new(_FINGERPRINT_KEY, secret.get_secret_value().encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ClientCredentials:
    """A service client's id and secret (Portal, Merchants, Authentication, Create Client)."""

    client_id: str
    client_secret: SecretStr = field(repr=False)
    kind = "client_credentials"

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret.get_secret_value():
            raise ConfigurationError(
                "client credentials need both a client id (login) and a secret (password)"
            )

    @property
    def identity(self) -> str:
        """Who this is, for the token cache: the client id and a fingerprint of the secret."""
        return f"client:{self.client_id}:{secret_fingerprint(self.client_secret)}"

    def token_operation(self) -> Operation[TokenResponse]:
        """The client-credentials token request (``auth.client_token``), the secret in its body."""
        body = ClientTokenRequest(client_id=self.client_id, client_secret=self.client_secret).to_api()
        return Operation.of("auth.client_token", _token, body=body)


@dataclass(frozen=True)
class PasswordCredentials:
    """A portal user's name and password: for development and tests only, as the API docs advise."""

    username: str
    password: SecretStr = field(repr=False)
    kind = "password"

    def __post_init__(self) -> None:
        if not self.username or not self.password.get_secret_value():
            raise ConfigurationError("password login needs both a username (login) and a password")

    @property
    def identity(self) -> str:
        """Who this is, for the token cache: the username and a fingerprint of the password."""
        return f"user:{self.username}:{secret_fingerprint(self.password)}"

    def token_operation(self) -> Operation[TokenResponse]:
        """The password login request (``auth.login``), whose answer also carries a refresh token."""
        body = LoginRequest(username=self.username, password=self.password).to_api()
        return Operation.of("auth.login", _token, body=body)


Credentials = ClientCredentials | PasswordCredentials


@dataclass
class _CachedToken:
    access: SecretStr
    expires_at: float
    refresh: SecretStr | None = None


class TokenCache:
    """Valid tokens of one identity at one base URL, shared by all clients of this process.

    The identity includes a fingerprint of the secret (``secret_fingerprint``): a connection
    with the same client id but another secret gets its own cache, so it must log in itself.
    """

    _registry: dict[tuple[str, str], TokenCache] = {}
    _registry_lock = threading.Lock()

    def __init__(self) -> None:
        """An empty cache; ``for_identity`` hands out the shared one, ``TokenManager.isolate`` a private one."""
        self.lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._token: _CachedToken | None = None

    def async_lock(self) -> asyncio.Lock:
        """The lock that makes the coroutines of the running event loop share one token request."""
        return self._async_locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())

    @classmethod
    def for_identity(cls, base_url: str, identity: str) -> TokenCache:
        """The process's one cache for this identity at this base URL, created on first use."""
        with cls._registry_lock:
            return cls._registry.setdefault((base_url, identity), cls())

    @classmethod
    def clear_all(cls) -> None:
        """Forget every cached token (tests, and users rotating a secret in a long-lived process)."""
        with cls._registry_lock:
            cls._registry.clear()

    def valid(self, now: float, margin: float) -> str | None:
        """The cached access token if it is still valid ``margin`` seconds after ``now``, else None."""
        token = self._token
        if token is not None and now < token.expires_at - margin:
            return token.access.get_secret_value()
        return None

    def store(self, answer: TokenResponse, now: float) -> str:
        """Cache a token answer received at ``now`` (with its refresh token, if any); returns the access token."""
        self._token = _CachedToken(answer.access_token, now + answer.expires_in, answer.refresh_token)
        return answer.access_token.get_secret_value()

    def invalidate(self, refused: str | None) -> None:
        """Drop the token if it is still the one the API refused (another thread may have renewed it)."""
        token = self._token
        if token is not None and (refused is None or token.access.get_secret_value() == refused):
            self._token = _CachedToken(SecretStr(""), 0.0, token.refresh)

    def refresh_operation(self) -> Operation[TokenResponse] | None:
        """The request that trades the cached refresh token for a new token; None without one."""
        token = self._token
        if token is None or token.refresh is None:
            return None
        return Operation.of("auth.refresh", _token, body=RefreshRequest(refresh_token=token.refresh).to_api())

    def forget_refresh(self) -> None:
        """Drop the refresh token (the API refused it), so the next renewal is a full login."""
        if self._token is not None:
            self._token.refresh = None


class TokenManager:
    """Hands out a valid token for one client, fetching one only when the cache has none."""

    def __init__(
        self,
        credentials: Credentials,
        base_url: str,
        *,
        on_new_token: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
        refresh_margin: float = 300.0,
    ):
        """``on_new_token`` is called with every token fetched (the hook masks it in logs); a token
        counts as expired ``refresh_margin`` seconds before its expiry by ``clock``."""
        self.credentials = credentials
        self.cache = TokenCache.for_identity(base_url, credentials.identity)
        self.on_new_token = on_new_token
        self.clock = clock
        self.refresh_margin = refresh_margin

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.credentials.kind!r})"

    def isolate(self) -> None:
        """Use a private, empty cache from now on: the next token comes from a full login with the
        credentials (``test_connection`` proves the secret this way, never a cached token)."""
        self.cache = TokenCache()

    def current(self) -> str | None:
        """A cached token that is not about to expire, or None when one must be fetched."""
        return self.cache.valid(self.clock(), self.refresh_margin)

    def next_operations(self) -> list[Operation[TokenResponse]]:
        """What to try, in order, to get a new token: a refresh if possible, then a full login."""
        refresh = self.cache.refresh_operation()
        return ([refresh] if refresh else []) + [self.credentials.token_operation()]

    def accept(self, answer: TokenResponse) -> str:
        """Cache a fresh token answer and tell ``on_new_token``; returns the access token."""
        token = self.cache.store(answer, self.clock())
        if self.on_new_token:
            self.on_new_token(token)
        return token

    def fetch(self, run: Callable[[Operation[TokenResponse]], TokenResponse]) -> str:
        """A valid token, fetched under the cache's lock so that threads share one request."""
        with self.cache.lock:
            token = self.current()
            if token:
                return token
            return self.accept(self._first_that_works(run))

    def _first_that_works(self, run: Callable[[Operation[TokenResponse]], TokenResponse]) -> TokenResponse:
        *refreshes, login = self.next_operations()
        for refresh in refreshes:
            try:
                return run(refresh)
            except AuthenticationError:
                self.cache.forget_refresh()
        return run(login)

    async def afetch(self, run: Callable[[Operation[TokenResponse]], Awaitable[TokenResponse]]) -> str:
        """The async twin of ``fetch``: one token request per identity and event loop."""
        async with self.cache.async_lock():
            token = self.current()
            if token:
                return token
            *refreshes, login = self.next_operations()
            for refresh in refreshes:
                try:
                    return self.accept(await run(refresh))
                except AuthenticationError:
                    self.cache.forget_refresh()
            return self.accept(await run(login))

    def invalidate(self, refused: str | None) -> None:
        """Forget the cached token the API refused (401), unless another caller already replaced it."""
        self.cache.invalidate(refused)
