"""Transport security: https for remote hosts, TLS verification on, a timeout on every request."""

from __future__ import annotations

from typing import Any

import pytest
from client.api_mock import ORDER_ID, client_credentials, make_client, register, register_token

from airflow_provider_ordermesh.client import DEFAULT_BASE_URL, ConfigurationError, Timeout

ORDER = {"order": {"id": ORDER_ID}}


@pytest.mark.parametrize(
    "base_url", ["http://api.ordermesh.io", "http://10.0.0.5:8080", "http://sandbox.internal"]
)
def test_plain_http_to_a_remote_host_is_refused(base_url: str) -> None:
    with pytest.raises(ConfigurationError, match="plain http"):
        make_client(base_url=base_url)


def test_plain_http_to_a_remote_host_when_explicitly_allowed(api: Any) -> None:
    base_url = "http://sandbox.internal:8080"
    register_token(api, base_url=base_url)
    register(api, "orders.get", base_url=base_url, path_params={"order_id": ORDER_ID}, json=ORDER)

    client = make_client(base_url=base_url, allow_insecure_http=True)
    client.orders.get(ORDER_ID)

    assert client.base_url == base_url
    assert api.last_request.url.startswith(base_url)


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:8080", "http://localhost:5000", "http://127.0.0.2", "http://[::1]:9000"]
)
def test_plain_http_to_loopback_is_allowed(base_url: str) -> None:
    assert make_client(base_url=base_url).base_url == base_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("https://api.ordermesh.io/", "https://api.ordermesh.io"),
        ("  https://api.dev.ordermesh.io  ", "https://api.dev.ordermesh.io"),
        ("api.stg.ordermesh.io", "https://api.stg.ordermesh.io"),
    ],
)
def test_base_url_is_normalised(given: str, used: str) -> None:
    assert make_client(base_url=given).base_url == used


def test_the_default_base_url_is_production() -> None:
    from airflow_provider_ordermesh.client import OrderMeshClient

    assert DEFAULT_BASE_URL == "https://api.ordermesh.io"
    assert OrderMeshClient(credentials=client_credentials()).base_url == DEFAULT_BASE_URL


@pytest.mark.parametrize(
    ("base_url", "problem"),
    [
        ("ftp://api.ordermesh.io", "not an http"),
        ("https://", "not an http"),
        ("https://user:pw@api.ordermesh.io", "credentials"),
    ],
)
def test_unusable_base_urls_are_refused(base_url: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        make_client(base_url=base_url)


def test_tls_is_verified_and_every_request_has_a_timeout(
    api: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests swaps verify=True for the bundle named by these variables; keep the value as sent
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, json=ORDER)
    client.orders.get(ORDER_ID)

    for sent in api.request_history:  # the token request and the call
        assert sent.verify is True
        assert sent.timeout == (Timeout().connect, Timeout().read)


def test_a_ca_bundle_and_timeouts_pass_through(api: Any) -> None:
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, json=ORDER)
    make_client(verify="/etc/ssl/ordermesh-ca.pem", timeout=(3, 7)).orders.get(ORDER_ID)
    assert api.last_request.verify == "/etc/ssl/ordermesh-ca.pem"
    assert api.last_request.timeout == (3.0, 7.0)


def test_a_single_timeout_bounds_connect_and_read(api: Any) -> None:
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, json=ORDER)
    make_client(timeout=30).orders.get(ORDER_ID)
    assert api.last_request.timeout == (10.0, 30.0)


def test_negative_max_retries_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="max_retries"):
        make_client(max_retries=-1)
