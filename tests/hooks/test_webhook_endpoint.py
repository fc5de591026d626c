"""A webhook endpoint's connection: what it may hold, and a clear error naming the setting when it cannot work."""

from __future__ import annotations

import base64

import pytest

from airflow_provider_ordermesh.client import ConfigurationError
from airflow_provider_ordermesh.hooks import webhook_endpoint
from airflow_provider_ordermesh.hooks.webhook_endpoint import (
    DEFAULT_TOLERANCE_SECONDS,
    conn_id_for,
    endpoint_from,
    load_endpoint,
)

KEY = b"k" * 24
SECRET = "whsec_" + base64.b64encode(KEY).decode()


def test_tokens_secrets_and_host_are_read_from_the_connection() -> None:
    endpoint = endpoint_from(
        "shop", password="tok-a, tok-b", host="http://127.0.0.1:8080", extra={"signing_secrets": [SECRET]}
    )
    assert endpoint.tokens == (b"tok-a", b"tok-b")
    assert endpoint.signing_keys == (KEY,)
    assert endpoint.api_url == "http://127.0.0.1:8080"
    assert endpoint.tolerance_seconds == DEFAULT_TOLERANCE_SECONDS


def test_secrets_never_show_in_the_repr() -> None:
    endpoint = endpoint_from("shop", password="tok-visible?", host=None, extra={"signing_secrets": SECRET})
    assert "tok-visible" not in repr(endpoint)
    assert SECRET not in repr(endpoint) and repr(KEY) not in repr(endpoint)


@pytest.mark.parametrize(
    ("password", "extra", "names"),
    [
        (None, {}, "neither a token"),
        ("", {"signing_secrets": []}, "neither a token"),
        ("t", {"signing_secrets": ["whsec_!!!"]}, "signing secret #1"),
        (
            "t",
            {"signing_secrets": [SECRET, "whsec_" + base64.b64encode(b"short").decode()]},
            "signing secret #2",
        ),
        ("t", {"signing_secrets": {"a": SECRET}}, "'signing_secrets' must be a list"),
        ("t", {"tolerance_seconds": 0}, "'tolerance_seconds'"),
        ("t", {"tolerance_seconds": "five minutes"}, "'tolerance_seconds'"),
        ("t", {"tolerance_seconds": 86_400}, "'tolerance_seconds'"),
    ],
)
def test_a_setting_that_cannot_work_is_named_with_its_connection(password, extra, names) -> None:
    with pytest.raises(ConfigurationError, match=names) as raised:
        endpoint_from("shop", password=password, host=None, extra=extra)
    assert conn_id_for("shop") in str(raised.value)
    assert "!!!" not in str(raised.value)  # the secret's value is never quoted


@pytest.mark.parametrize("name", ["", "Shop", "../etc", "a" * 64, "shop/x", "shop?x"])
def test_a_name_that_cannot_be_an_endpoint_is_not_looked_up(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_lookup(conn_id: str) -> None:
        raise AssertionError(f"looked up {conn_id}")

    monkeypatch.setattr(webhook_endpoint, "server_connection", no_lookup)
    assert load_endpoint(name) is None
