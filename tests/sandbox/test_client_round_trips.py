"""The provider's own client against the sandbox: the two sides of the contract agree on the wire."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient, RetryPolicy
from airflow_provider_ordermesh.client.auth import TokenCache
from sandbox.wire import order_body

pytestmark = pytest.mark.sandbox


@pytest.fixture
def client(sandbox: Any) -> Iterator[OrderMeshClient]:
    TokenCache.clear_all()
    credentials = ClientCredentials(sandbox.client_id, SecretStr(sandbox.client_secret))
    retries = RetryPolicy(max_retries=3, backoff_base=0.0, jitter=lambda ceiling: 0.0)
    with OrderMeshClient(sandbox.url, credentials, retry_policy=retries, allow_insecure_http=True) as client:
        yield client
    TokenCache.clear_all()


def test_create_read_refund_and_ship(client: OrderMeshClient, sandbox: Any) -> None:
    created = client.orders.create(order_body("TSHIRT-5000-M-BLACK", safeId="client-1"))
    item_id = client.orders.get(created.id).items[0].id

    client.orders.refund(
        {"orderId": created.id, "refunds": [{"itemId": item_id, "amount": 2, "reason": "late"}]}
    )
    sandbox.advance(90)

    [shipment] = client.shipments.list_for_order(created.id)
    assert shipment.shipment_status == 4 and shipment.tracking_numbers
    assert client.orders.get_item(item_id).refund_data.remaining_price_balance == 22  # type: ignore[union-attr]
    assert client.orders.get_by_safe_id("client-1").status == "Fulfilled"


def test_search_pages_through_every_match(client: OrderMeshClient) -> None:
    client.orders.create_bulk([order_body() for _ in range(7)])

    found = list(client.orders.search({"status": ["Open"]}, page_size=3))

    assert len(found) == 7


def test_retries_ride_out_injected_503s(client: OrderMeshClient, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.list", "kind": "status", "status": 503, "count": 2}])

    client.orders.list_page()

    assert sandbox.stats()["requests"]["orders.list"] == {"503": 2, "200": 1}


def test_a_create_whose_answer_was_lost_is_not_made_twice(client: OrderMeshClient, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.create", "kind": "drop", "when": "after", "count": 1}])

    created = client.orders.create(order_body(safeId="lost-answer"))

    stats = sandbox.stats()
    assert created.safe_id == "lost-answer"
    assert (stats["orders"], stats["droppedConnections"], stats["duplicateSafeIdAttempts"]) == (1, 1, 1)


def test_an_expired_token_is_replaced_once(client: OrderMeshClient, sandbox: Any) -> None:
    client.orders.list_page()
    sandbox.expire_tokens()

    client.orders.list_page()

    assert sandbox.stats()["requests"]["orders.list"] == {"200": 2, "401": 1}
    assert sandbox.stats()["tokensIssued"] == 2
