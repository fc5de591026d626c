"""The hook and its clients against the local sandbox over real HTTP: the same retry, re-auth,
idempotency and secrecy rules as the mocked tests, now with sockets, urllib3 and httpx in the way.

The connection comes from ``AIRFLOW_CONN_ORDERMESH_DEFAULT`` (``sandbox.connection_json()``);
faults are injected by the sandbox, and its stats count what really reached it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from unittest import mock

import pytest
from client.api_mock import Sleeps

from airflow_provider_ordermesh.client import OrderMeshClient, OutcomeUnknownError, RetryPolicy
from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

pytestmark = pytest.mark.sandbox

NO_WAIT = RetryPolicy(jitter=lambda ceiling: 0.0)
ORDER = {
    "shippingAddress": {
        "firstName": "Emily",
        "line1": "475 Oak Avenue",
        "city": "Pleasantville",
        "countryCode": "US",
    },
    "items": [
        {"sku": "Accent_Mug-11oz-Blue", "quantity": 2, "customerPrice": 12, "customerShippingPrice": 5}
    ],
}


@pytest.fixture
def hook(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> OrderMeshHook:
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", sandbox.connection_json())
    return OrderMeshHook()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sandbox: Any, monkeypatch: pytest.MonkeyPatch, sleeps: Sleeps) -> OrderMeshClient:
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", sandbox.connection_json())
    return OrderMeshHook(sleep=sleeps, retry_policy=NO_WAIT).get_conn()


def requests_to(sandbox: Any, endpoint: str) -> dict[str, int]:
    return sandbox.stats()["requests"].get(endpoint, {})


def test_test_connection(hook: OrderMeshHook, sandbox: Any) -> None:
    assert hook.test_connection() == (True, f"Connected to OrderMesh at {sandbox.url}")
    assert requests_to(sandbox, "orders.list") == {"200": 1}


def test_test_connection_with_a_wrong_secret(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORDERMESH_DEFAULT",
        sandbox.connection_json().replace(sandbox.client_secret, "not-the-secret"),
    )
    ok, message = OrderMeshHook().test_connection()
    assert not ok and "401" in message and "not-the-secret" not in message


def test_create_read_and_refund(client: OrderMeshClient) -> None:
    created = client.orders.create({**ORDER, "safeId": "flow-1"})
    order = client.orders.get(created.id)
    item_id = order.items[0].id

    assert (
        client.orders.refund(
            {
                "orderId": order.id,
                "refunds": [
                    {"itemId": item_id, "isShippingRefund": False, "amount": 4, "reason": "Poor quality."}
                ],
            }
        )
        is None
    )

    refunds = client.orders.get_item(item_id).refund_data
    assert refunds is not None and [(r.amount, r.reason) for r in refunds.refunds] == [(4, "Poor quality.")]


def test_503s_are_retried(client: OrderMeshClient, sandbox: Any, sleeps: Sleeps) -> None:
    created = client.orders.create({**ORDER, "safeId": "retry-1"})
    sandbox.set_faults([{"route": "orders.get", "kind": "status", "status": 503, "count": 2}])

    assert client.orders.get(created.id).id == created.id

    assert requests_to(sandbox, "orders.get") == {"503": 2, "200": 1}
    assert len(sleeps) == 2


def test_429_retry_after_is_honoured(client: OrderMeshClient, sandbox: Any, sleeps: Sleeps) -> None:
    sandbox.set_faults(
        [{"route": "orders.list", "kind": "status", "status": 429, "retryAfter": 2, "count": 1}]
    )
    client.orders.list_page()
    assert sleeps == [2]
    assert requests_to(sandbox, "orders.list") == {"429": 1, "200": 1}


def test_a_dropped_read_is_retried(client: OrderMeshClient, sandbox: Any) -> None:
    created = client.orders.create({**ORDER, "safeId": "drop-read-1"})
    sandbox.set_faults([{"route": "orders.get", "kind": "drop", "when": "before", "count": 1}])
    assert client.orders.get(created.id).id == created.id
    assert requests_to(sandbox, "orders.get") == {"dropped": 1, "200": 1}


def test_a_refund_whose_answer_is_lost_is_not_sent_twice(client: OrderMeshClient, sandbox: Any) -> None:
    order = client.orders.get(client.orders.create({**ORDER, "safeId": "drop-refund-1"}).id)
    item_id = order.items[0].id
    sandbox.set_faults([{"route": "orders.refund", "kind": "drop", "when": "after", "count": 1}])

    with pytest.raises(OutcomeUnknownError):
        client.orders.refund(
            {
                "orderId": order.id,
                "refunds": [
                    {"itemId": item_id, "amount": 4, "reason": "Never arrived", "isShippingRefund": True}
                ],
            }
        )

    assert requests_to(sandbox, "orders.refund") == {"dropped": 1}
    refunds = client.orders.get_item(item_id).refund_data
    assert refunds is not None and len(refunds.refunds) == 1, "applied once, and only once"


def test_a_create_whose_answer_is_lost_creates_one_order(client: OrderMeshClient, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.create", "kind": "drop", "when": "after", "count": 1}])

    created = client.orders.create({**ORDER, "safeId": "drop-create-1"})

    assert created.already_existed and created.safe_id == "drop-create-1"
    stats = sandbox.stats()
    assert stats["orders"] == 1
    assert stats["requests"]["orders.create"] == {"dropped": 1, "409": 1}


def test_an_expired_token_is_replaced_once(client: OrderMeshClient, sandbox: Any) -> None:
    created = client.orders.create({**ORDER, "safeId": "expiry-1"})
    sandbox.expire_tokens()

    assert client.orders.get(created.id).id == created.id

    assert sandbox.stats()["tokensIssued"] == 2
    assert requests_to(sandbox, "orders.get") == {"401": 1, "200": 1}


def test_secrets_stay_out_of_logs_over_real_http(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """urllib3 and http.client log at DEBUG too; the token and secret appear in none of it."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", sandbox.connection_json())
    sandbox.set_faults([{"route": "orders.list", "kind": "status", "status": 503, "count": 1}])
    with mock.patch("airflow_provider_ordermesh.hooks.ordermesh.mask_secret") as mask_secret:
        client = OrderMeshHook(retry_policy=NO_WAIT).get_conn()
        client.orders.list_page()
        sandbox.expire_tokens()
        client.orders.list_page()

    tokens = [c.args[0] for c in mask_secret.call_args_list if c.args[0] != sandbox.client_secret]
    assert len(tokens) == 2
    assert any("urllib3" in r.name for r in caplog.records), "the wire's own DEBUG lines are captured"
    for secret in (*tokens, sandbox.client_secret):
        assert secret not in caplog.text


async def test_async_client_shares_one_token_and_retries(hook: OrderMeshHook, sandbox: Any) -> None:
    created = OrderMeshHook().get_conn().orders.create({**ORDER, "safeId": "async-1"})
    sandbox.set_faults([{"route": "orders.get", "kind": "status", "status": 503, "count": 1}])
    client = await OrderMeshHook(retry_policy=NO_WAIT).get_async_client()

    orders = await asyncio.gather(*(client.orders.get(created.id) for _ in range(50)))

    assert {o.id for o in orders} == {created.id}
    stats = sandbox.stats()
    assert stats["tokensIssued"] == 1  # the sync client's token is reused: same identity, same URL
    assert stats["requests"]["orders.get"] == {"503": 1, "200": 50}
