"""Each case that changed data wrongly when users tried it (issue 21) now acts once or is refused.

A key names one business operation: the same key with the same content is done whatever the
order of its lines; with other content it is refused before anything is sent. A list naming one
thing twice is refused before anything is sent. Shipment-side actions whose answer was lost are
not sent again by the task's retry. Each test here failed on the main branch before this change;
the sandbox's own records are the evidence.
"""

from __future__ import annotations

from typing import Any

import pytest
from operators.context import run_op
from operators.data import order

from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCancelOrderOperator,
    OrderMeshCreateOrderOperator,
    OrderMeshRefundOperator,
)
from airflow_provider_ordermesh.operators.shipments import (
    OrderMeshCreatePackagesOperator,
    OrderMeshCreateShipmentOperator,
    OrderMeshRerouteShipmentOperator,
    OrderMeshUnassignItemsOperator,
)
from reliability.support import FAST, place_order, sent

pytestmark = pytest.mark.sandbox

LOSE_ANSWER = {"kind": "drop", "when": "after", "count": 1}
RERUN = {"run_id": "manual__2026-11-27T00:00:00+00:00"}
"""A re-run: another run of the same task, first try."""


def _shipment(om: Any, order_record: Any) -> Any:
    """The placed order's one shipment (a t-shirt order goes to one facility)."""
    (shipment,) = order_record.shipments
    return shipment


# --- a key is an identity ---------------------------------------------------------------------


def test_a_refund_rerun_with_the_same_key_and_its_lines_reordered_refunds_once(om):
    placed = place_order(om)
    item = placed.items[0]
    lines = [
        {"itemId": item.id, "amount": 15.0, "reason": "print faded"},
        {"itemId": item.id, "isShippingRefund": True, "amount": 5, "reason": "arrived late"},
    ]

    def refund(refunds: list[dict[str, Any]]) -> OrderMeshRefundOperator:
        return OrderMeshRefundOperator(
            task_id="refund",
            order_id=placed.id,
            refunds=refunds,
            idempotency_key="return-77",
            hook_params=FAST,
        )

    run_op(refund(lines))
    again, _ = run_op(refund([{**lines[1], "amount": 5.00}, lines[0]]), **RERUN)

    assert again == {"order_id": placed.id, "refunds_sent": 0, "refunds_already_recorded": 2}
    assert [(r.is_shipping_refund, r.amount) for r in item.refunds] == [(False, 15.0), (True, 5.0)]


def test_a_refund_rerun_with_the_same_key_and_another_amount_is_refused_before_sending(om):
    placed = place_order(om)
    item = placed.items[0]

    def refund(amount: float) -> OrderMeshRefundOperator:
        return OrderMeshRefundOperator(
            task_id="refund",
            order_id=placed.id,
            idempotency_key="return-77",
            refunds=[{"itemId": item.id, "amount": amount, "reason": "faded"}],
            hook_params=FAST,
        )

    run_op(refund(15.0))
    with pytest.raises(
        AirflowFailException, match=r"idempotency_key .return-77. was already used .*different"
    ):
        run_op(refund(16.0), **RERUN)

    assert sent(om.stats(), "orders.refund") == 1
    assert [r.amount for r in item.refunds] == [15.0]


def test_a_quantity_cancel_rerun_with_the_same_key_and_its_items_reversed_cancels_once(om):
    placed = place_order(om, "TSHIRT-BLK-M", "MUG-WHT-11")
    first, second = placed.items
    items = [{"itemId": first.id, "quantity": 1}, {"itemId": second.id, "quantity": 1}]

    def cancel(chosen: list[dict[str, Any]]) -> OrderMeshCancelOrderOperator:
        return OrderMeshCancelOrderOperator(
            task_id="cancel", order_id=placed.id, items=chosen, idempotency_key="ticket-9", hook_params=FAST
        )

    run_op(cancel(items))
    run_op(cancel(list(reversed(items))), **RERUN)

    assert sent(om.stats(), "orders.cancel") == 1
    assert [item.cancelled_quantity for item in placed.items] == [1, 1]


def test_a_cancel_rerun_with_the_same_key_and_other_quantities_is_refused_before_sending(om):
    placed = place_order(om)
    item = placed.items[0]

    def cancel(quantity: int) -> OrderMeshCancelOrderOperator:
        return OrderMeshCancelOrderOperator(
            task_id="cancel",
            order_id=placed.id,
            idempotency_key="ticket-9",
            items=[{"itemId": item.id, "quantity": quantity}],
            hook_params=FAST,
        )

    run_op(cancel(1))
    with pytest.raises(AirflowFailException, match="idempotency_key 'ticket-9' was already used"):
        run_op(cancel(2), **RERUN)

    assert sent(om.stats(), "orders.cancel") == 1
    assert item.cancelled_quantity == 1


def test_a_create_rerun_with_the_same_key_after_the_address_changed_is_refused_and_makes_no_second_order(om):
    payload = {k: v for k, v in order().items() if k != "externalId"}
    corrected = {**payload, "shippingAddress": {**payload["shippingAddress"], "line1": "2 Main St"}}

    def create(body: dict[str, Any]) -> OrderMeshCreateOrderOperator:
        return OrderMeshCreateOrderOperator(
            task_id="create", payload=body, idempotency_key="shop-order-5", hook_params=FAST
        )

    created, _ = run_op(create(payload))
    same, _ = run_op(create(dict(reversed(list(payload.items())))), **RERUN)
    with pytest.raises(AirflowFailException) as refused:
        run_op(create(corrected), run_id="manual__2026-11-28T00:00:00+00:00")

    assert same == {**created, "already_existed": True}
    message = str(refused.value)
    assert "idempotency_key 'shop-order-5'" in message and "differs in shippingAddress" in message
    assert sent(om.stats(), "orders.create") == 1 and om.stats()["orders"] == 1


def test_an_order_rerun_with_its_external_id_but_another_address_is_refused_naming_the_field(om):
    payload = order(external_id="NW-1001")
    corrected = {**payload, "shippingAddress": {**payload["shippingAddress"], "city": "Dallas"}}

    run_op(OrderMeshCreateOrderOperator(task_id="create", payload=payload, hook_params=FAST))
    with pytest.raises(AirflowFailException, match=r"externalId 'NW-1001' .*differs in shippingAddress"):
        run_op(
            OrderMeshCreateOrderOperator(task_id="create_again", payload=corrected, hook_params=FAST),
            dag_id="another_dag",
        )

    assert sent(om.stats(), "orders.create") == 1 and om.stats()["orders"] == 1


# --- duplicates inside one input -------------------------------------------------------------


def test_the_same_refund_line_twice_in_one_list_is_refused_before_any_request(om):
    placed = place_order(om)
    line = {"itemId": placed.items[0].id, "amount": 5.0, "reason": "late"}
    before = om.stats()["requestsTotal"]

    with pytest.raises(
        AirflowFailException, match=r"refunds\[0\] and refunds\[1\] name the same item and kind"
    ):
        run_op(
            OrderMeshRefundOperator(
                task_id="refund", order_id=placed.id, refunds=[line, {**line, "amount": 5}], hook_params=FAST
            )
        )

    assert om.stats()["requestsTotal"] == before
    assert placed.items[0].refunds == []


def test_an_item_named_twice_in_a_cancel_is_refused_before_any_request(om):
    placed = place_order(om)
    entry = {"itemId": placed.items[0].id, "quantity": 1}
    before = om.stats()["requestsTotal"]

    with pytest.raises(AirflowFailException, match=r"items\[0\] and items\[1\] name the same item"):
        run_op(
            OrderMeshCancelOrderOperator(
                task_id="cancel", order_id=placed.id, items=[entry, entry], hook_params=FAST
            )
        )

    assert om.stats()["requestsTotal"] == before
    assert placed.items[0].cancelled_quantity == 0


@pytest.mark.parametrize("kind", ["reroute", "unassign", "create shipment", "packages"])
def test_shipment_lists_naming_one_thing_twice_are_refused_before_any_request(om, kind):
    placed = place_order(om)
    shipment, item_id = _shipment(om, placed), placed.items[0].id
    twice = [{"id": item_id, "quantity": 1}, {"id": item_id, "quantity": 1}]
    package = {"carrierName": "UPS", "carrierTrackingNumber": "1Z999"}
    operators = {
        "reroute": lambda: OrderMeshRerouteShipmentOperator(
            task_id="t", shipment_id=shipment.id, facility_id="apparel-west", reason="r", order_items=twice
        ),
        "unassign": lambda: OrderMeshUnassignItemsOperator(
            task_id="t", shipment_id=shipment.id, order_items=twice
        ),
        "create shipment": lambda: OrderMeshCreateShipmentOperator(
            task_id="t", payload={"orderId": placed.id, "facilityId": "apparel-west", "orderItems": twice}
        ),
        "packages": lambda: OrderMeshCreatePackagesOperator(
            task_id="t", shipment_id=shipment.id, packages=[package, {**package, "carrierName": "DHL"}]
        ),
    }
    before = om.stats()["requestsTotal"]

    with pytest.raises(AirflowFailException, match=r"\[0\] and .*\[1\] name the same"):
        run_op(operators[kind]())

    assert om.stats()["requestsTotal"] == before


# --- shipment-side actions under Airflow's own retry ------------------------------------------


def test_packages_whose_answer_was_lost_are_recorded_once_through_the_retry(om):
    placed = place_order(om)
    shipment = _shipment(om, placed)
    packages = [{"carrierName": "UPS", "carrierTrackingNumber": "1Z999AA10123456784"}]
    om.set_faults([{"route": "shipments.create_packages", **LOSE_ANSWER}])

    def create() -> OrderMeshCreatePackagesOperator:
        return OrderMeshCreatePackagesOperator(
            task_id="pack", shipment_id=shipment.id, packages=packages, hook_params=FAST
        )

    first, _ = run_op(create(), try_number=1)
    second, _ = run_op(create(), try_number=2)
    rerun, _ = run_op(create(), **RERUN)

    numbers = [p.details.carrier_tracking_number for p in shipment.packages]
    assert numbers == ["1Z999AA10123456784"]
    assert first == second == rerun == {"shipment_id": shipment.id, "package_ids": [shipment.packages[0].id]}
    assert sent(om.stats(), "shipments.create_packages") == 1


def test_packages_without_a_tracking_number_whose_answer_was_lost_fail_without_retries_naming_the_shipment(
    om,
):
    placed = place_order(om)
    shipment = _shipment(om, placed)
    om.set_faults([{"route": "shipments.create_packages", **LOSE_ANSWER}])

    with pytest.raises(AirflowFailException) as failed:
        run_op(
            OrderMeshCreatePackagesOperator(
                task_id="pack", shipment_id=shipment.id, packages=[{"carrierName": "UPS"}], hook_params=FAST
            )
        )

    assert f"check shipment {shipment.id}'s packages by hand" in str(failed.value)
    assert sent(om.stats(), "shipments.create_packages") == 1


def test_a_shipment_whose_create_answer_was_lost_is_created_once_through_the_retry(om, api):
    placed = place_order(om)
    api.shipments.delete(_shipment(om, placed).id)  # the items are on no shipment now
    item = placed.items[0]
    payload = {
        "orderId": placed.id,
        "facilityId": "apparel-west",
        "orderItems": [{"id": item.id, "quantity": 2}],
    }
    om.set_faults([{"route": "shipments.create", **LOSE_ANSWER}])

    def create() -> OrderMeshCreateShipmentOperator:
        return OrderMeshCreateShipmentOperator(task_id="ship", payload=payload, hook_params=FAST)

    first, _ = run_op(create(), try_number=1)  # the lost answer is followed by a read: applied
    retried, _ = run_op(create(), try_number=2)

    assert len(placed.shipments) == 1
    assert first["shipment_id"] == retried["shipment_id"] == placed.shipments[0].id
    assert sent(om.stats(), "shipments.create") == 1


def test_an_unassignment_whose_answer_was_lost_takes_the_items_off_once(om):
    placed = place_order(om)
    shipment = _shipment(om, placed)
    item = placed.items[0]
    om.set_faults([{"route": "shipments.unassign_items", **LOSE_ANSWER}])

    def unassign() -> OrderMeshUnassignItemsOperator:
        return OrderMeshUnassignItemsOperator(
            task_id="unassign",
            shipment_id=shipment.id,
            order_items=[{"id": item.id, "quantity": 1}],
            hook_params=FAST,
        )

    first, _ = run_op(unassign(), try_number=1)
    run_op(unassign(), try_number=2)

    assert first["shipment_id"] == shipment.id
    assert shipment.lines[item] == 1 and len(placed.shipments) == 2  # one unit split off, once
    assert sent(om.stats(), "shipments.unassign_items") == 1


def test_a_bulk_rerun_finds_its_orders_by_external_id_and_refuses_one_whose_content_changed(om):
    from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrdersOperator

    source = [order(external_id=f"NW-{i}") for i in range(3)]
    changed = [*source[:2], {**source[2], "customerShippingMethod": "Express"}]

    def create(orders: list[dict[str, Any]]) -> OrderMeshCreateOrdersOperator:
        return OrderMeshCreateOrdersOperator(
            task_id="create", orders=orders, on_partial_failure="warn", hook_params=FAST
        )

    first, _ = run_op(create(source))
    again, _ = run_op(create(changed), **RERUN)

    assert (first["created"], again["created"], again["already_existed"]) == (3, 0, 2)
    assert [f["index"] for f in again["failures"]] == [2]
    assert "other content (customerShippingMethod differ)" in again["failures"][0]["message"]
    assert om.stats()["orders"] == 3
