"""A wrong secret never passes (issue 11, finding 3): the token cache key carries a keyed
fingerprint of the secret, and ``test_connection()`` always authenticates afresh."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from airflow_provider_ordermesh.client import AuthenticationError
from airflow_provider_ordermesh.client.auth import ClientCredentials, TokenCache, secret_fingerprint
from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

pytestmark = pytest.mark.sandbox

WRONG = "not-the-secret-5Qw"


def _point_at(sandbox: Any, monkeypatch: pytest.MonkeyPatch, conn_id: str, secret: str | None = None) -> None:
    text = sandbox.connection_json()
    if secret is not None:
        text = text.replace(sandbox.client_secret, secret)
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", text)


def test_a_wrong_secret_does_not_reuse_the_token_a_good_secret_fetched(sandbox, monkeypatch):
    _point_at(sandbox, monkeypatch, "good")
    _point_at(sandbox, monkeypatch, "bad", WRONG)
    with OrderMeshHook("good").client as good:
        good.orders.list_page(page=1, page_size=1)  # a token for this client id is now cached

    with OrderMeshHook("bad").client as bad, pytest.raises(AuthenticationError) as refused:
        bad.orders.list_page(page=1, page_size=1)

    assert refused.value.status == 401 and WRONG not in str(refused.value)


def test_test_connection_after_a_good_token_still_reports_a_wrong_secret(sandbox, monkeypatch):
    _point_at(sandbox, monkeypatch, "good")
    _point_at(sandbox, monkeypatch, "edited", WRONG)
    assert OrderMeshHook("good").test_connection()[0]

    ok, message = OrderMeshHook("edited").test_connection()

    assert not ok and "401" in message and WRONG not in message


def test_test_connection_logs_in_although_a_valid_token_is_cached(sandbox, monkeypatch):
    _point_at(sandbox, monkeypatch, "ordermesh_default")
    hook = OrderMeshHook()
    hook.client.orders.list_page(page=1, page_size=1)
    issued = sandbox.stats()["tokensIssued"]

    assert hook.test_connection()[0]
    assert sandbox.stats()["tokensIssued"] == issued + 1


def test_the_fingerprint_is_keyed_and_stays_out_of_reprs_and_logs(sandbox, monkeypatch, caplog):
    from pydantic import SecretStr

    secret = sandbox.client_secret
    fingerprint = secret_fingerprint(SecretStr(secret))
    assert fingerprint != secret_fingerprint(SecretStr(WRONG)) and secret not in fingerprint
    assert fingerprint != __import__("hashlib").sha256(secret.encode()).hexdigest(), (
        "an unkeyed hash is guessable"
    )
    _point_at(sandbox, monkeypatch, "ordermesh_default")
    caplog.set_level(logging.DEBUG)
    hook = OrderMeshHook()
    hook.client.orders.list_page(page=1, page_size=1)

    shown = [
        repr(hook),
        repr(hook.client),
        repr(hook.client.tokens),
        repr(ClientCredentials("id", SecretStr(secret))),
        caplog.text,
        *map(repr, TokenCache._registry.values()),
    ]
    assert not [text for text in shown if fingerprint in text or fingerprint[:16] in text]
