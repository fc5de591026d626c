"""Server errors are surfaced, not swallowed: the task fails with the API's own message.

A 500 is never retried by the client (it usually repeats, and a refund must not be re-sent
blindly), so the sandbox sees exactly one attempt; the error names the method, path, the API's
message and its request id. A 404 names the id that was not found.
"""

from __future__ import annotations

import pytest
from operators.context import run_op

from airflow_provider_ordermesh.client import NotFoundError, ServerError
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.orders import OrderMeshRefundOperator, OrderMeshUpdateOrderOperator
from airflow_provider_ordermesh.operators.shipments import (
    OrderMeshRejectShipmentOperator,
    OrderMeshRerouteShipmentOperator,
)
from reliability.support import FAST, place_order, requests_to

pytestmark = pytest.mark.sandbox

UNKNOWN_ORDER = "65add270441de72442397b6e"
UNKNOWN_SHIPMENT = "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b23"


def _refund(order_id: str, item_id: str) -> OrderMeshRefundOperator:
    return OrderMeshRefundOperator(
        task_id="refund",
        order_id=order_id,
        hook_params=FAST,
        refunds=[{"itemId": item_id, "amount": 5.0, "reason": "late"}],
    )


def test_a_500_on_a_refund_fails_the_task_with_the_apis_message_after_one_attempt(om):
    placed = place_order(om)
    om.set_faults([{"route": "orders.refund", "kind": "status", "status": 500, "count": 1}])

    with pytest.raises(ServerError) as failed:
        run_op(_refund(placed.id, placed.items[0].id))

    message = str(failed.value)
    assert message.startswith("OrderMesh answered 500 to POST /v1/orders/refund: Internal Server Error")
    assert "(request id sbx-" in message
    assert requests_to(om.stats(), "orders.refund") == {"500": 1}
    assert placed.items[0].refunds == []


def test_a_500_after_the_refund_was_applied_fails_the_try_and_the_retry_does_not_refund_again(om):
    placed = place_order(om)
    om.set_faults([{"route": "orders.refund", "kind": "status", "status": 500, "when": "after", "count": 1}])

    with pytest.raises(ServerError, match="OrderMesh answered 500 to POST /v1/orders/refund"):
        run_op(_refund(placed.id, placed.items[0].id), try_number=1)
    retried, _ = run_op(_refund(placed.id, placed.items[0].id), try_number=2)

    assert retried["refunds_sent"] == 0 and retried["refunds_already_recorded"] == 1
    assert requests_to(om.stats(), "orders.refund") == {"500": 1}
    assert [r.amount for r in placed.items[0].refunds] == [5.0]


@pytest.mark.parametrize(
    ("operator", "request_line"),
    [
        (
            OrderMeshUpdateOrderOperator(
                task_id="update", order_id=UNKNOWN_ORDER, payload={"externalId": "x"}
            ),
            f"PATCH /v1/orders/{UNKNOWN_ORDER}",
        ),
        # Retried tries read the resource first, to see whether an earlier try did the work.
        (
            OrderMeshRefundOperator(
                task_id="refund",
                order_id=UNKNOWN_ORDER,
                refunds=[{"itemId": "item-1", "amount": 1, "reason": "late"}],
            ),
            f"GET /v1/orders/{UNKNOWN_ORDER}",
        ),
        (
            OrderMeshRerouteShipmentOperator(
                task_id="reroute", shipment_id=UNKNOWN_SHIPMENT, facility_id="apparel-west", reason="down"
            ),
            f"GET /shipment/v1/{UNKNOWN_SHIPMENT}",
        ),
        (
            OrderMeshRejectShipmentOperator(task_id="reject", shipment_id=UNKNOWN_SHIPMENT, reason="no ink"),
            f"GET /shipment/v1/{UNKNOWN_SHIPMENT}/auditLogs",
        ),
    ],
    ids=["update", "refund retry", "reroute retry", "reject retry"],
)
def test_a_404_says_which_id_was_not_found_and_fails_without_retries(om, operator, request_line):
    with pytest.raises(AirflowFailException) as failed:  # no retry can make the id exist
        run_op(operator, try_number=2)

    assert isinstance(failed.value.__cause__, NotFoundError)
    message = str(failed.value)
    unknown = UNKNOWN_ORDER if "orders" in request_line else UNKNOWN_SHIPMENT
    assert f"OrderMesh answered 404 to {request_line}" in message
    assert "not found" in message.split(":", 1)[1] and message.count(unknown) >= 2, message
