"""A requests-mock stand-in for the OrderMesh API, shared by the client and hook tests.

Every URL is built from the endpoint table (``ENDPOINTS``), never typed here, so the tests
check the paths the client really uses. The credentials and tokens are distinctive strings
(``S3CR3T-...``) so that the secrets tests can search logs and messages for them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests_mock
from pydantic import SecretStr

from airflow_provider_ordermesh.client import (
    ClientCredentials,
    Credentials,
    OrderMeshClient,
    PasswordCredentials,
    RetryPolicy,
)
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS

BASE_URL = "https://api.ordermesh.test"

CLIENT_ID = "svc-client-42"
CLIENT_SECRET = "S3CR3T-client-7c1d9e"
USERNAME = "dev@merchant.test"
PASSWORD = "S3CR3T-password-4b8f2a"
TOKEN = "S3CR3T-token-first-0a1b2c"
TOKEN_2 = "S3CR3T-token-second-3d4e5f"
REFRESH_TOKEN = "S3CR3T-refresh-6a7b8c"
REFRESH_TOKEN_2 = "S3CR3T-refresh-9d0e1f"
SECRETS = (CLIENT_SECRET, PASSWORD, TOKEN, TOKEN_2, REFRESH_TOKEN, REFRESH_TOKEN_2)
"""Values that must never show in a log line, repr or error message."""

ORDER_ID = "65add270441de72442397b6e"
ORDER_ID_2 = "670e58fe7741035996cf7d20"
ITEM_ID = "65aac2a2441de72442397b63"
SHIPMENT_ID = "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"
PACKAGE_ID = "5ee0fab1-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
MERCHANT_ID = "b234ee56-7890-4f12-a123-4567890abcde"
TRANSFORMATION_ID = "c03ecd9c-1a2b-4c3d-9e8f-7a6b5c4d3e2f"

NO_JITTER = RetryPolicy(jitter=lambda ceiling: ceiling)
"""Backoff without randomness: waits of exactly 0.5, 1, 2, ... seconds (before any Retry-After)."""


def url(name: str, *, base_url: str = BASE_URL, **path_params: str) -> str:
    """The full URL of an endpoint, from the table."""
    return base_url + ENDPOINTS[name].format_path(**path_params)


def token_answer(
    token: str = TOKEN, *, expires_in: float = 86_400, refresh_token: str | None = None
) -> dict[str, Any]:
    """A token endpoint's JSON answer (camelCase, as the client reads it)."""
    answer: dict[str, Any] = {"accessToken": token, "expiresIn": expires_in, "tokenType": "Bearer"}
    if refresh_token:
        answer["refreshToken"] = refresh_token
    return answer


def register(
    mock: requests_mock.Mocker,
    name: str,
    *,
    base_url: str = BASE_URL,
    path_params: dict[str, str] | None = None,
    **response: Any,
) -> Any:
    """Answer one endpoint: ``response`` is requests-mock's (``json=``, ``status_code=``, or a list)."""
    endpoint = ENDPOINTS[name]
    return mock.register_uri(endpoint.method, url(name, base_url=base_url, **(path_params or {})), **response)


def register_token(
    mock: requests_mock.Mocker, *tokens: str, base_url: str = BASE_URL, expires_in: float = 86_400
) -> Any:
    """The client-credentials token endpoint, answering ``tokens`` in turn (the last one repeats)."""
    answers = [{"json": token_answer(t, expires_in=expires_in)} for t in (tokens or (TOKEN,))]
    return register(mock, "auth.client_token", base_url=base_url, response_list=answers)


def path_of(request: Any) -> str:
    """The request's path exactly as sent (requests-mock's own ``.path`` is lower-cased)."""
    return urlsplit(request.url).path


def query_of(request: Any) -> dict[str, list[str]]:
    """The request's query string as sent, case preserved."""
    return parse_qs(urlsplit(request.url).query, keep_blank_values=True)


def body_of(request: Any) -> Any:
    return json.loads(request.body) if request.body else None


def calls(mock: requests_mock.Mocker, name: str, **path_params: str) -> list[Any]:
    """The requests sent to one endpoint (with these path ids), in order."""
    endpoint = ENDPOINTS[name]
    path = endpoint.format_path(**path_params)
    return [r for r in mock.request_history if r.method == endpoint.method and path_of(r) == path]


def api_calls(mock: requests_mock.Mocker) -> list[Any]:
    """Every request except the token requests."""
    auth_paths = {e.path for e in ENDPOINTS.values() if e.name.startswith("auth.")}
    return [r for r in mock.request_history if path_of(r) not in auth_paths]


def bearer(request: Any) -> str | None:
    value = request.headers.get("Authorization")
    return value.removeprefix("Bearer ") if value else None


class Sleeps(list):
    """A ``sleep`` stand-in that records how long the client asked to wait, and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client_credentials() -> ClientCredentials:
    return ClientCredentials(CLIENT_ID, SecretStr(CLIENT_SECRET))


def password_credentials() -> PasswordCredentials:
    return PasswordCredentials(USERNAME, SecretStr(PASSWORD))


def make_client(
    *,
    credentials: Credentials | None = None,
    base_url: str = BASE_URL,
    sleep: Callable[[float], None] | None = None,
    **options: Any,
) -> OrderMeshClient:
    """A sync client for the mocked API; sleeps are recorded, never slept."""
    return OrderMeshClient(
        base_url,
        credentials or client_credentials(),
        sleep=sleep if sleep is not None else Sleeps(),
        **options,
    )


def contains_secret(texts: Iterable[str]) -> list[str]:
    """The secret values that appear in any of ``texts`` (empty when none leaked)."""
    joined = "\n".join(texts)
    return [secret for secret in SECRETS if secret in joined]
