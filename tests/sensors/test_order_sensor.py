"""The order sensor against the sandbox: orders and order items, fulfilled or cancelled, batched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pytest
from support.orders import create_orders, search_requests

from airflow_provider_ordermesh.sensors.status import OrderMeshOrderStatusSensor, OrderMeshWaitError

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import PokeReturnValue


def sensor(**kwargs: Any) -> OrderMeshOrderStatusSensor:
    return OrderMeshOrderStatusSensor(**{"task_id": "wait", "poke_interval": 0.05, "timeout": 10, **kwargs})


def test_orders_and_items_are_waited_for_until_fulfilled(om, api):
    orders = create_orders(api, 2, "TSHIRT-1", "MUG-1")
    items = [item.id for item in api.orders.get(orders[0]).items]
    wait = sensor(order_ids=orders, order_item_ids=items)
    assert wait.poke({}) is False
    om.advance(100)
    done = cast("PokeReturnValue", wait.poke({}))
    assert done.xcom_value == dict.fromkeys([*orders, *items], "Fulfilled")


def test_150_orders_cost_two_requests_per_poll(om, api):
    orders = create_orders(api, 150)
    before = search_requests(om.stats(), "orders.search")
    assert sensor(order_ids=orders).poke({}) is False
    assert search_requests(om.stats(), "orders.search") - before == 2


@pytest.mark.parametrize("soft_fail", [False, True])
def test_a_cancelled_order_fails_fast_naming_it_even_with_soft_fail(om, api, soft_fail):
    orders = create_orders(api, 2)
    api.orders.cancel({"orderId": orders[0], "reason": "customer changed their mind"})
    with pytest.raises(OrderMeshWaitError, match=f"order {orders[0]} is Cancelled"):
        sensor(order_ids=orders, soft_fail=soft_fail).execute({})


def test_a_cancelled_item_fails_fast_naming_the_item(om, api):
    order_id = create_orders(api, 1, "TSHIRT-1", "MUG-1")[0]
    mug = api.orders.get(order_id).items[1].id
    api.orders.cancel({"orderId": order_id, "items": [{"itemId": mug, "quantity": 1}]})
    with pytest.raises(OrderMeshWaitError, match=f"order item {mug} is Cancelled"):
        sensor(order_item_ids=[mug]).execute({})


def test_other_target_statuses_such_as_in_production(om, api):
    orders = create_orders(api, 1)
    om.advance(65)  # Assigned -> Accepted -> InProduction
    assert sensor(order_ids=orders, target_statuses=["inproduction", "Fulfilled"]).execute({}) == {
        orders[0]: "InProduction"
    }


def test_an_open_order_with_a_rejected_shipment_is_named_while_waiting_and_can_fail_fast(om, api, capsys):
    # Issue 12: the order stays Open when its shipment is rejected, so the wait could only time
    # out, with no hint why.
    om.configure(speed=0)
    order = create_orders(api, 1)[0]
    (shipment,) = api.orders.get(order).shipment_ids
    om.reject_shipments([shipment])
    assert sensor(order_ids=[order]).poke({}) is False
    logged = capsys.readouterr()
    assert f"order {order} is Open (shipment {shipment} is Rejected)" in logged.out + logged.err
    with pytest.raises(
        OrderMeshWaitError, match=f"order {order} is Open \\(shipment {shipment} is Rejected\\)"
    ):
        sensor(order_ids=[order], fail_on_rejected_shipments=True).execute({})
