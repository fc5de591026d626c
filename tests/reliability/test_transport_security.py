"""Transport security from the Airflow connection down: https for remote hosts, TLS verification on.

The client's own rules are tested in tests/client; here they are proved through the path users
take: an ``ordermesh`` connection, the hook, an operator or a trigger. The API is mocked at the
``requests`` adapter (requests-mock), which also records the ``verify`` each request was sent with.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

import pytest
import requests_mock
from client.api_mock import register, register_token
from operators.context import run_op

from airflow_provider_ordermesh.client import ConfigurationError
from airflow_provider_ordermesh.client.auth import TokenCache
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook
from airflow_provider_ordermesh.operators.orders import OrderMeshSearchOrdersOperator
from airflow_provider_ordermesh.triggers.status import OrderMeshShipmentStatusTrigger

if TYPE_CHECKING:
    import httpx

REMOTE = "api.ordermesh.test"
ORDERS_PAGE = {"orders": [], "page": 1, "pageSize": 100, "totalCount": 0}


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[requests_mock.Mocker]:
    """The mocked API: a request to anything not registered fails the test.

    ``requests`` swaps ``verify=True`` for the CA bundle named by ``REQUESTS_CA_BUNDLE`` or
    ``CURL_CA_BUNDLE`` (still verifying); without them, the adapter sees exactly what the client sent.
    """
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with requests_mock.Mocker(case_sensitive=True) as mock:
        yield mock


@pytest.fixture
def connection(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Define ``ordermesh_default`` with this host (and extras)."""

    def define(host: str, **extra: Any) -> None:
        conn = {
            "conn_type": "ordermesh",
            "host": host,
            "login": "svc-client",
            "password": "svc-secret",
            "extra": extra,
        }
        monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", json.dumps(conn))

    return define


def search() -> OrderMeshSearchOrdersOperator:
    return OrderMeshSearchOrdersOperator(
        task_id="search", filters={"status": ["Open"]}, hook_params={"max_retries": 0}
    )


def serve_search(api: requests_mock.Mocker, base_url: str) -> None:
    register_token(api, base_url=base_url)
    register(api, "orders.search", base_url=base_url, json=ORDERS_PAGE)


# --- plain http --------------------------------------------------------------------------------


@pytest.mark.parametrize("host", [f"http://{REMOTE}", "http://10.0.0.5:8080", "http://ordermesh.internal"])
def test_plain_http_to_a_remote_host_is_refused_through_the_hook_and_operators_before_any_request(
    api, connection, host
):
    connection(host)

    with pytest.raises(ConfigurationError, match="refusing plain http"):
        OrderMeshHook().get_conn()
    with pytest.raises(AirflowFailException, match="refusing plain http"):  # a retry cannot fix a setting
        run_op(search())
    assert api.call_count == 0


def test_the_connection_schema_field_cannot_turn_a_remote_host_into_plain_http(api, monkeypatch):
    conn = {"conn_type": "ordermesh", "host": REMOTE, "schema": "http", "login": "svc", "password": "secret"}
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", json.dumps(conn))

    with pytest.raises(AirflowFailException, match="refusing plain http"):  # a retry cannot fix a setting
        run_op(search())
    assert api.call_count == 0


async def test_a_trigger_refuses_plain_http_with_an_error_event_and_sends_nothing(api, connection):
    connection(f"http://{REMOTE}")
    trigger = OrderMeshShipmentStatusTrigger(
        shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b23"],
        target_statuses=[4],
        end_time=time.time() + 60,
        hook_params={"max_retries": 0},
    )

    event = await trigger.run().__anext__()

    assert event.payload["status"] == "error" and "refusing plain http" in event.payload["message"]
    assert api.call_count == 0


@pytest.mark.parametrize("allowed", [True, "true"])
def test_plain_http_to_a_remote_host_works_when_the_connection_explicitly_allows_it(api, connection, allowed):
    connection(f"http://{REMOTE}", allow_insecure_http=allowed)
    serve_search(api, f"http://{REMOTE}")

    result, _ = run_op(search())

    assert result == []
    assert [request.scheme for request in api.request_history] == ["http", "http"]


@pytest.mark.parametrize("host", ["http://127.0.0.1:8080", "http://localhost:8080"])
def test_plain_http_to_loopback_needs_no_permission(api, connection, host):
    connection(host)
    serve_search(api, host)

    assert run_op(search())[0] == []


# --- https and TLS verification ----------------------------------------------------------------


@pytest.mark.parametrize("host", [REMOTE, f"https://{REMOTE}"])
def test_a_host_without_a_scheme_gets_https_and_every_request_verifies_tls(api, connection, host):
    connection(host)
    serve_search(api, f"https://{REMOTE}")

    run_op(search())

    assert [(r.scheme, r.verify) for r in api.request_history] == [("https", True), ("https", True)]


@pytest.mark.parametrize(
    ("setting", "verify"), [("company-ca.pem", "company-ca.pem"), (False, False), ("false", False)]
)
def test_tls_verification_changes_only_when_the_connection_says_so(
    api, connection, setting, verify, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "company-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")  # a CA bundle must exist
    connection(f"https://{REMOTE}", verify=setting)
    serve_search(api, f"https://{REMOTE}")

    run_op(search())

    assert {r.verify for r in api.request_history} == {verify}


async def test_the_async_client_of_triggers_verifies_tls_by_default(connection):
    connection(f"https://{REMOTE}")
    TokenCache.clear_all()

    client = await OrderMeshHook().get_async_client()

    assert client.base_url == f"https://{REMOTE}" and client.verify is True
    # httpx builds its TLS context from ``verify``: certificates and host names are checked.
    transport = cast("httpx.AsyncHTTPTransport", client.transport._client._transport)  # no mock given
    context = transport._pool._ssl_context
    assert context is not None
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname is True
