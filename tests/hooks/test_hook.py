"""``OrderMeshHook``: reading ``ordermesh`` connections (JSON, URI, legacy extras), building clients,
masking tokens, and ``test_connection()``."""

from __future__ import annotations

import logging
from typing import Any
from unittest import mock

import httpx
import pytest
import requests
from client.api_mock import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    MERCHANT_ID,
    ORDER_ID,
    PASSWORD,
    TOKEN,
    USERNAME,
    api_calls,
    calls,
    contains_secret,
    register,
    token_answer,
)
from hooks.conftest import ConnectionSetter

from airflow_provider_ordermesh.client import (
    AsyncOrderMeshClient,
    ClientCredentials,
    ConfigurationError,
    OrderMeshClient,
    PasswordCredentials,
    Timeout,
)
from airflow_provider_ordermesh.client.transport import AsyncTransport
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_HOST, DEFAULT_PORTAL_URL
from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook
from airflow_provider_ordermesh.models import ShipmentStatuses

ORDER = {"order": {"id": ORDER_ID}}


def settings_of(client: OrderMeshClient | AsyncOrderMeshClient) -> dict[str, Any]:
    return {
        "base_url": client.base_url,
        "credentials": type(client.tokens.credentials),
        "max_retries": client.retry_policy.max_retries,
        "read_timeout": client.timeout.read,
        "verify": client.verify,
    }


# --- reading the connection -------------------------------------------------------------------


def test_json_connection_with_every_extra(set_connection: ConnectionSetter, tmp_path: Any) -> None:
    bundle = tmp_path / "ordermesh.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    set_connection(
        {
            "conn_type": "ordermesh",
            "host": "https://api.dev.ordermesh.io",
            "login": CLIENT_ID,
            "password": CLIENT_SECRET,
            "extra": {
                "auth_type": "client_credentials",
                "merchant_id": MERCHANT_ID,
                "portal_url": "https://portal.dev.ordermesh.io/",
                "timeout": 30,
                "max_retries": 2,
                "verify": str(bundle),
            },
        }
    )
    hook = OrderMeshHook()

    assert settings_of(hook.get_conn()) == {
        "base_url": "https://api.dev.ordermesh.io",
        "credentials": ClientCredentials,
        "max_retries": 2,
        "read_timeout": 30.0,
        "verify": str(bundle),
    }
    assert hook.get_conn().tokens.credentials.client_id == CLIENT_ID  # type: ignore[union-attr]
    assert hook.merchant_id == MERCHANT_ID
    assert hook.portal_url == "https://portal.dev.ordermesh.io"


def test_uri_connection(set_connection: ConnectionSetter) -> None:
    set_connection(
        f"ordermesh://{USERNAME.replace('@', '%40')}:{PASSWORD}@api.stg.ordermesh.io"
        f"?auth_type=password&merchant_id={MERCHANT_ID}&max_retries=1&timeout=15"
    )
    hook = OrderMeshHook()

    assert settings_of(hook.get_conn()) == {
        "base_url": "https://api.stg.ordermesh.io",
        "credentials": PasswordCredentials,
        "max_retries": 1,
        "read_timeout": 15.0,
        "verify": True,
    }
    credentials = hook.get_conn().tokens.credentials
    assert isinstance(credentials, PasswordCredentials)
    assert (credentials.username, credentials.password.get_secret_value()) == (USERNAME, PASSWORD)
    assert hook.merchant_id == MERCHANT_ID


@pytest.mark.parametrize(
    "connection",
    [
        "ordermesh://cid:secret-1@127.0.0.1:8080/http",
        {"conn_type": "ordermesh", "host": "http://127.0.0.1:8080", "login": "cid", "password": "secret-1"},
        {
            "conn_type": "ordermesh",
            "host": "127.0.0.1",
            "port": 8080,
            "schema": "http",
            "login": "cid",
            "password": "secret-1",
        },
    ],
    ids=["uri-with-schema", "json-host-url", "json-host-port-schema"],
)
def test_a_local_sandbox_over_plain_http(set_connection: ConnectionSetter, connection: Any) -> None:
    set_connection(connection)
    assert OrderMeshHook().get_conn().base_url == "http://127.0.0.1:8080"


def test_defaults(set_connection: ConnectionSetter) -> None:
    set_connection({"conn_type": "ordermesh", "login": CLIENT_ID, "password": CLIENT_SECRET})
    hook = OrderMeshHook()

    assert DEFAULT_HOST == "https://api.ordermesh.io"
    assert settings_of(hook.get_conn()) == {
        "base_url": DEFAULT_HOST,
        "credentials": ClientCredentials,
        "max_retries": 5,
        "read_timeout": 60.0,
        "verify": True,
    }
    assert hook.portal_url == DEFAULT_PORTAL_URL
    assert hook.merchant_id is None
    assert hook.shipment_statuses == ShipmentStatuses()


def test_legacy_prefixed_extras(set_connection: ConnectionSetter) -> None:
    set_connection(
        {
            "conn_type": "ordermesh",
            "host": BASE_URL,
            "login": USERNAME,
            "password": PASSWORD,
            "extra": {
                "extra__ordermesh__auth_type": "password",
                "extra__ordermesh__merchant_id": MERCHANT_ID,
                "extra__ordermesh__max_retries": "3",
                "extra__ordermesh__timeout": "20",
            },
        }
    )
    hook = OrderMeshHook()
    assert settings_of(hook.get_conn())["credentials"] is PasswordCredentials
    assert settings_of(hook.get_conn())["max_retries"] == 3
    assert settings_of(hook.get_conn())["read_timeout"] == 20.0
    assert hook.merchant_id == MERCHANT_ID


def test_plain_extras_win_over_legacy_ones(set_connection: ConnectionSetter) -> None:
    set_connection(
        {
            "conn_type": "ordermesh",
            "login": CLIENT_ID,
            "password": CLIENT_SECRET,
            "extra": {"max_retries": 1, "extra__ordermesh__max_retries": 9},
        }
    )
    assert OrderMeshHook().get_conn().retry_policy.max_retries == 1


@pytest.mark.parametrize(
    ("value", "verify"), [(False, False), ("false", False), ("true", True), ("0", False)]
)
def test_verify_extra(set_connection: ConnectionSetter, value: Any, verify: bool) -> None:
    set_connection(
        {"conn_type": "ordermesh", "login": CLIENT_ID, "password": CLIENT_SECRET, "extra": {"verify": value}}
    )
    assert OrderMeshHook().get_conn().verify is verify


def test_plain_http_to_a_remote_host_needs_the_extra(set_connection: ConnectionSetter) -> None:
    conn = {
        "conn_type": "ordermesh",
        "host": "http://ordermesh.internal",
        "login": CLIENT_ID,
        "password": CLIENT_SECRET,
    }
    set_connection(conn)
    with pytest.raises(ConfigurationError, match="plain http"):
        OrderMeshHook().get_conn()

    set_connection({**conn, "extra": {"allow_insecure_http": "true"}})
    assert OrderMeshHook().get_conn().base_url == "http://ordermesh.internal"


@pytest.mark.parametrize(
    "overrides",
    ['{"8": "OnHold", "4": "Dispatched"}', {"8": "OnHold", "4": "Dispatched"}],
    ids=["json-text", "object"],
)
def test_shipment_status_overrides(set_connection: ConnectionSetter, overrides: Any) -> None:
    set_connection(
        {
            "conn_type": "ordermesh",
            "login": CLIENT_ID,
            "password": CLIENT_SECRET,
            "extra": {"shipment_statuses": overrides},
        }
    )
    statuses = OrderMeshHook().shipment_statuses
    assert (statuses.code("onhold"), statuses.name(4)) == (8, "Dispatched")


@pytest.mark.parametrize(
    ("connection", "problem"),
    [
        ({"conn_type": "ordermesh", "login": CLIENT_ID}, "needs a login"),
        ({"conn_type": "ordermesh", "password": CLIENT_SECRET}, "needs a login"),
        (
            {
                "conn_type": "ordermesh",
                "login": CLIENT_ID,
                "password": CLIENT_SECRET,
                "extra": {"auth_type": "oauth"},
            },
            "auth_type 'oauth'",
        ),
    ],
    ids=["no-password", "no-login", "unknown-auth-type"],
)
def test_incomplete_connections_are_configuration_errors(
    set_connection: ConnectionSetter, connection: dict[str, Any], problem: str
) -> None:
    set_connection(connection)
    with pytest.raises(ConfigurationError, match=problem) as caught:
        OrderMeshHook().get_conn()
    assert "ordermesh_default" in str(caught.value)


def test_another_connection_id(set_connection: ConnectionSetter) -> None:
    set_connection(
        {
            "conn_type": "ordermesh",
            "host": "https://api.dev.ordermesh.io",
            "login": CLIENT_ID,
            "password": CLIENT_SECRET,
        },
        conn_id="ordermesh_dev",
    )
    hook = OrderMeshHook(ordermesh_conn_id="ordermesh_dev")
    assert hook.get_conn().base_url == "https://api.dev.ordermesh.io"


def test_client_options_override_the_connection(default_connection: dict[str, Any]) -> None:
    client = OrderMeshHook(max_retries=0, timeout=Timeout(connect=1, read=2)).get_conn()
    assert client.retry_policy.max_retries == 0
    assert client.timeout == Timeout(connect=1, read=2)


def test_the_client_is_built_once(default_connection: dict[str, Any]) -> None:
    hook = OrderMeshHook()
    assert hook.get_conn() is hook.get_conn() is hook.client


# --- secrets ----------------------------------------------------------------------------------


def test_the_token_and_the_secret_are_masked(default_connection: dict[str, Any], api: Any) -> None:
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, json=ORDER)
    with mock.patch("airflow_provider_ordermesh.hooks.ordermesh.mask_secret") as mask_secret:
        OrderMeshHook().get_conn().orders.get(ORDER_ID)

    masked = [c.args[0] for c in mask_secret.call_args_list]
    assert TOKEN in masked
    assert CLIENT_SECRET in masked


def test_nothing_secret_in_reprs_or_logs(
    default_connection: dict[str, Any], api: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[{"status_code": 401, "json": {"statusCode": 401}}, {"json": ORDER}],
    )
    register(api, "orders.list", status_code=403, json={"statusCode": 403})
    hook = OrderMeshHook()
    hook.get_conn().orders.get(ORDER_ID)
    ok, message = hook.test_connection()
    assert not ok

    assert contains_secret([repr(hook), str(hook), repr(hook.get_conn()), message, caplog.text]) == []


# --- test_connection --------------------------------------------------------------------------


def test_test_connection_success(default_connection: dict[str, Any], api: Any) -> None:
    register(api, "orders.list", json={"orders": [], "page": 1, "pageSize": 1, "totalCount": 0})

    assert OrderMeshHook().test_connection() == (True, f"Connected to OrderMesh at {BASE_URL}")

    [listed] = calls(api, "orders.list")
    assert listed.method == "GET", "read-only"
    assert listed.timeout == (5, 10), "bounded in time"


@pytest.mark.parametrize(
    ("endpoint", "answer", "expected"),
    [
        (
            "auth.client_token",
            {"status_code": 401, "json": {"statusCode": 401, "message": "invalid client"}},
            "401 to POST /user/v1/clients/token: invalid client",
        ),
        (
            "orders.list",
            {"status_code": 403, "json": {"statusCode": 403, "message": "no access"}},
            "403 to GET /v1/orders: no access",
        ),
        ("orders.list", {"status_code": 503, "json": {"statusCode": 503}}, "503 to GET /v1/orders"),
        ("orders.list", {"exc": requests.exceptions.ConnectTimeout}, "GET /v1/orders: connect timeout"),
    ],
    ids=["bad-credentials", "forbidden", "unavailable", "unreachable"],
)
def test_test_connection_failure(
    default_connection: dict[str, Any], api: Any, endpoint: str, answer: dict[str, Any], expected: str
) -> None:
    register(api, "orders.list", json={"orders": []})
    register(api, endpoint, **answer)

    ok, message = OrderMeshHook().test_connection()

    assert not ok
    assert expected in message
    assert len(api_calls(api)) <= 1, "no retries: the UI waits for the answer"
    assert len(calls(api, "auth.client_token")) == 1


def test_test_connection_reports_a_bad_connection(set_connection: ConnectionSetter) -> None:
    set_connection(
        {
            "conn_type": "ordermesh",
            "host": "http://ordermesh.internal",
            "login": CLIENT_ID,
            "password": CLIENT_SECRET,
        }
    )
    ok, message = OrderMeshHook().test_connection()
    assert not ok and "plain http" in message


# --- async ------------------------------------------------------------------------------------


async def test_get_async_client_inside_asyncio(default_connection: dict[str, Any]) -> None:
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.startswith("/user/"):
            return httpx.Response(200, json=token_answer(TOKEN))
        return httpx.Response(200, json=ORDER)

    transport = AsyncTransport(timeout=Timeout(), transport=httpx.MockTransport(handle))
    with mock.patch("airflow_provider_ordermesh.hooks.ordermesh.mask_secret") as mask_secret:
        client = await OrderMeshHook(transport=transport).get_async_client()
        order = await client.orders.get(ORDER_ID)
    await transport.aclose()

    assert isinstance(client, AsyncOrderMeshClient)
    assert settings_of(client) == {
        "base_url": BASE_URL,
        "credentials": ClientCredentials,
        "max_retries": 5,
        "read_timeout": 60.0,
        "verify": True,
    }
    assert order.id == ORDER_ID
    assert [r.url.path for r in sent] == ["/user/v1/clients/token", f"/v1/orders/{ORDER_ID}"]
    mask_secret.assert_called_with(TOKEN)
