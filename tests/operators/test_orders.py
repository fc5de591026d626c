"""Order operators against the sandbox over real HTTP: each asserts the change in the sandbox."""

from __future__ import annotations

import json

import pytest
from support.connection import MERCHANT_ID

from airflow_provider_ordermesh.client import OutcomeUnknownError
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.idempotency import natural_safe_id
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCancelOrderOperator,
    OrderMeshCreateOrderOperator,
    OrderMeshCustomerCareHoldOperator,
    OrderMeshRefundOperator,
    OrderMeshSearchOrdersOperator,
    OrderMeshUpdateOrderItemOperator,
    OrderMeshUpdateOrderOperator,
)
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order

pytestmark = pytest.mark.sandbox


ORDER = order(external_id="shop-1")
"""The order most tests create: one business order (its externalId is its natural key)."""


def create(om, payload=None, **ti):
    op = OrderMeshCreateOrderOperator(task_id="create", payload=payload or ORDER, hook_params=FAST_RETRIES)
    return run_op(op, **ti)[0]


def requests_to(om, endpoint: str) -> int:
    return sum(om.stats()["requests"].get(endpoint, {}).values())


# --- create ---------------------------------------------------------------------------------


def test_create_order_creates_it_with_a_derived_safe_id_and_the_connection_merchant(om, api):
    result, context = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=ORDER, hook_params=FAST_RETRIES)
    )

    stored = api.orders.get(result["order_id"])
    assert stored.safe_id == result["safe_id"] == natural_safe_id(MERCHANT_ID, "shop-1")
    assert stored.merchant_id == MERCHANT_ID
    assert stored.short_id == result["short_id"] and result["already_existed"] is False
    assert (
        context["ti"].xcoms["_link_OrderMeshOrderLink"] == f"https://portal.test/orders/{result['order_id']}"
    )
    assert json.loads(json.dumps(result)) == result


def test_running_the_same_task_instance_twice_creates_one_order(om):
    first = create(om)
    second = create(om, try_number=2)

    assert second == {**first, "already_existed": True}
    assert om.stats()["orders"] == 1


def test_the_payload_safe_id_wins_and_other_task_instances_get_other_orders(om):
    own = create(om, order(safeId="shop-order-1"))
    no_reference = {k: v for k, v in ORDER.items() if k != "externalId"}
    mapped = create(om, no_reference, map_index=3)
    other_run = create(om, no_reference, run_id="scheduled__2026-11-27")

    assert own["safe_id"] == "shop-order-1"
    assert mapped["safe_id"].startswith("af-") and other_run["safe_id"].startswith("af-")
    assert len({own["order_id"], mapped["order_id"], other_run["order_id"]}) == 3
    assert om.stats()["orders"] == 3


def test_an_external_id_makes_every_run_and_dag_find_the_one_order_it_names(om):
    first = create(om)
    mapped = create(om, map_index=3)
    other_run = create(om, run_id="scheduled__2026-11-27")

    assert first["already_existed"] is False
    assert mapped == other_run == {**first, "already_existed": True}
    assert om.stats()["orders"] == 1 and om.stats()["duplicateSafeIdAttempts"] == 0


def test_payload_rendered_from_an_xcom_as_json_text(om, api):
    op = OrderMeshCreateOrderOperator(
        task_id="create", payload="{{ ti.xcom_pull(task_ids='build') | tojson }}", hook_params=FAST_RETRIES
    )

    result, _ = run_op(op, pulled={"build": order(external_id="from-xcom")})

    assert api.orders.get(result["order_id"]).external_id == "from-xcom"


def test_an_invalid_payload_names_every_bad_field_and_sends_nothing(om):
    bad = order()
    bad["shippingAddress"] = {**bad["shippingAddress"], "countryCode": "ZZ"}
    bad["items"][0]["quantity"] = 0
    op = OrderMeshCreateOrderOperator(task_id="create", payload=bad, hook_params=FAST_RETRIES)

    with pytest.raises(AirflowFailException) as raised:
        run_op(op)

    assert "shippingAddress.countryCode" in str(raised.value) and "items.0.quantity" in str(raised.value)
    assert om.stats()["requestsTotal"] == 0


def test_payload_text_that_is_not_json_fails_naming_the_parameter_and_sends_nothing(om):
    op = OrderMeshCreateOrderOperator(task_id="create", payload="{{ 'not json' }}", hook_params=FAST_RETRIES)

    with pytest.raises(AirflowFailException, match="payload is a string but not valid JSON"):
        run_op(op)
    assert om.stats()["requestsTotal"] == 0


# --- update, cancel, hold -------------------------------------------------------------------


def test_update_order_with_the_id_rendered_from_an_xcom(om, api):
    created = create(om)
    op = OrderMeshUpdateOrderOperator(
        task_id="update",
        order_id="{{ ti.xcom_pull(task_ids='create')['order_id'] }}",
        payload={"externalId": "renamed-{{ ds }}"},
        hook_params=FAST_RETRIES,
    )

    result, context = run_op(op, pulled={"create": created})

    assert result == {"order_id": created["order_id"], "status": "Open"}
    assert api.orders.get(created["order_id"]).external_id == "renamed-2026-11-26"
    assert context["ti"].xcoms["_link_OrderMeshOrderLink"].endswith(f"/orders/{created['order_id']}")


def test_update_order_item(om, api):
    created = create(om)
    item_id = api.orders.get(created["order_id"]).items[0].id
    op = OrderMeshUpdateOrderItemOperator(
        task_id="update_item",
        order_id=created["order_id"],
        order_item_id=item_id,
        payload={"quantity": 5},
        hook_params=FAST_RETRIES,
    )

    result, _ = run_op(op)

    assert result == {"order_id": created["order_id"], "order_item_id": item_id, "status": "Open"}
    assert api.orders.get_item(item_id).quantity == 5


def test_an_invalid_order_id_fails_before_any_request_and_names_the_argument(om):
    op = OrderMeshUpdateOrderOperator(task_id="update", order_id="O123/45678", payload={"externalId": "x"})

    with pytest.raises(AirflowFailException, match="order_id"):
        run_op(op)
    assert om.stats()["requestsTotal"] == 0


def test_cancel_chosen_items_then_the_whole_order(om, api):
    created = create(om, order("TSHIRT-BLK-M", "MUG-11OZ"))
    tshirt, mug = api.orders.get(created["order_id"]).items

    partial, _ = run_op(
        OrderMeshCancelOrderOperator(
            task_id="cancel_items",
            order_id=created["order_id"],
            items=[{"itemId": mug.id}],
            reason="out of stock",
            hook_params=FAST_RETRIES,
        )
    )
    assert partial["status"] != "Cancelled"
    assert api.orders.get_item(mug.id).status == "Cancelled"
    assert api.orders.get_item(tshirt.id).status != "Cancelled"

    whole, _ = run_op(
        OrderMeshCancelOrderOperator(
            task_id="cancel", order_id=created["order_id"], reason="customer asked", hook_params=FAST_RETRIES
        )
    )
    assert whole == {"order_id": created["order_id"], "status": "Cancelled"}
    assert api.orders.get(created["order_id"]).status == "Cancelled"


def test_a_retried_cancel_that_already_applied_is_not_sent_again(om):
    created = create(om)
    cancel = {"task_id": "cancel", "order_id": created["order_id"], "hook_params": FAST_RETRIES}
    run_op(OrderMeshCancelOrderOperator(**cancel))

    again, _ = run_op(OrderMeshCancelOrderOperator(**cancel), try_number=2)

    assert again["status"] == "Cancelled"
    assert requests_to(om, "orders.cancel") == 1


def test_customer_care_hold(om, api):
    created = create(om)

    result, _ = run_op(
        OrderMeshCustomerCareHoldOperator(
            task_id="hold", order_id=created["order_id"], reason="address check", hook_params=FAST_RETRIES
        )
    )

    assert result == {"order_id": created["order_id"], "status": "CustomerCareHold"}
    assert api.orders.get(created["order_id"]).status == "CustomerCareHold"


# --- refund ---------------------------------------------------------------------------------


def refund_op(order_id, item_id, **kwargs):
    lines = [
        {"itemId": item_id, "amount": 7.5, "reason": "print smudged"},
        {"itemId": item_id, "isShippingRefund": True, "amount": 2, "reason": "late"},
    ]
    return OrderMeshRefundOperator(
        task_id="refund", order_id=order_id, refunds=lines, hook_params=FAST_RETRIES, **kwargs
    )


def refunds_of(api, item_id):
    return api.orders.get_item(item_id).refund_data.refunds


def test_refund_sends_the_documented_request_with_a_marker_in_each_reason(om, api):
    created = create(om)
    item_id = api.orders.get(created["order_id"]).items[0].id

    result, _ = run_op(refund_op(created["order_id"], item_id))

    assert result == {"order_id": created["order_id"], "refunds_sent": 2, "refunds_already_recorded": 0}
    records = refunds_of(api, item_id)
    assert [(r.amount, r.is_shipping_refund) for r in records] == [(7.5, False), (2.0, True)]
    assert records[0].reason.startswith("print smudged [om:") and records[1].reason.startswith("late [om:")


def test_refund_amounts_are_checked_before_sending(om):
    op = OrderMeshRefundOperator(
        task_id="refund",
        order_id="65add270441de72442397b6e",
        refunds=[{"itemId": "i1", "amount": 0, "reason": "x"}],
    )

    with pytest.raises(AirflowFailException, match=r"refunds\.0\.amount"):
        run_op(op)
    assert om.stats()["requestsTotal"] == 0


def test_a_refund_whose_answer_was_dropped_is_applied_once_and_a_retry_sends_nothing(om, api):
    created = create(om)
    item_id = api.orders.get(created["order_id"]).items[0].id
    om.set_faults([{"route": "orders.refund", "kind": "drop", "when": "after", "count": 1}])

    first, _ = run_op(refund_op(created["order_id"], item_id))
    retried, _ = run_op(refund_op(created["order_id"], item_id), try_number=2)

    assert first["refunds_sent"] == 2
    assert retried == {"order_id": created["order_id"], "refunds_sent": 0, "refunds_already_recorded": 2}
    assert len(refunds_of(api, item_id)) == 2
    assert requests_to(om, "orders.refund") == 1


def test_a_refund_dropped_before_it_applied_fails_the_try_and_the_retry_sends_it(om, api):
    created = create(om)
    item_id = api.orders.get(created["order_id"]).items[0].id
    om.set_faults([{"route": "orders.refund", "kind": "drop", "when": "before", "count": 1}])

    with pytest.raises(OutcomeUnknownError):
        run_op(refund_op(created["order_id"], item_id))
    retried, _ = run_op(refund_op(created["order_id"], item_id), try_number=2)

    assert retried["refunds_sent"] == 2
    assert len(refunds_of(api, item_id)) == 2


def test_a_different_run_refunds_again(om, api):
    created = create(om)
    item_id = api.orders.get(created["order_id"]).items[0].id
    run_op(refund_op(created["order_id"], item_id))

    other, _ = run_op(refund_op(created["order_id"], item_id), run_id="manual__other")

    assert other["refunds_sent"] == 2
    assert len(refunds_of(api, item_id)) == 4


# --- search ---------------------------------------------------------------------------------


def test_search_orders_pages_through_to_max_results_and_returns_ids_or_small_records(om):
    created = [create(om, order(external_id=f"s-{i}"), map_index=i)["order_id"] for i in range(7)]

    ids, _ = run_op(
        OrderMeshSearchOrdersOperator(
            task_id="search", filters={"status": ["Open"]}, page_size=3, hook_params=FAST_RETRIES
        )
    )
    limited, _ = run_op(
        OrderMeshSearchOrdersOperator(
            task_id="search",
            filters='{"status": ["Open"]}',
            max_results=4,
            page_size=3,
            fields=["id", "externalId", "status"],
        )
    )

    assert sorted(ids) == sorted(created)
    assert len(limited) == 4
    assert set(limited[0]) == {"id", "externalId", "status"} and limited[0]["status"] == "Open"
    assert requests_to(om, "orders.search") >= 3 + 2


# --- a cancel that comes too late: if_shipped ------------------------------------------------


def ship_everything(om, api, order_id: str) -> None:
    om.advance_shipments(ids=[s.id for s in api.shipments.list_for_order(order_id)], to_status="Shipped")


def cancel_op(order_id: str, **kwargs):
    return OrderMeshCancelOrderOperator(
        task_id="cancel", order_id=order_id, hook_params=FAST_RETRIES, **kwargs
    )


def test_a_cancel_refused_because_the_item_shipped_is_reported_with_if_shipped_report(om, api):
    created = create(om, order("TSHIRT-BLK-M", "MUG-11OZ"))
    _tshirt, mug = api.orders.get(created["order_id"]).items
    ship_everything(om, api, created["order_id"])

    result, _ = run_op(cancel_op(created["order_id"], items=[{"itemId": mug.id}], if_shipped="report"))

    assert result == {"order_id": created["order_id"], "status": "Fulfilled", "shipped_first": [mug.id]}
    assert api.orders.get_item(mug.id).status == "Fulfilled"
    assert om.stats()["requests"]["orders.cancel"] == {"409": 1}


def test_a_whole_order_cancel_after_everything_shipped_reports_every_item(om, api):
    created = create(om, order("TSHIRT-BLK-M", "MUG-11OZ"))
    items = [item.id for item in api.orders.get(created["order_id"]).items]
    ship_everything(om, api, created["order_id"])

    result, _ = run_op(cancel_op(created["order_id"], if_shipped="report"))

    assert result["shipped_first"] == items and result["status"] == "Fulfilled"


def test_by_default_a_cancel_after_the_item_shipped_fails_without_retries(om, api):
    created = create(om)
    ship_everything(om, api, created["order_id"])

    with pytest.raises(AirflowFailException, match="409"):
        run_op(cancel_op(created["order_id"]))


def test_if_shipped_report_still_fails_a_conflict_that_is_not_a_shipment(om, api):
    created = create(om, order("TSHIRT-BLK-M", "MUG-11OZ"))
    run_op(cancel_op(created["order_id"]))  # cancelled: a second cancel is refused, nothing shipped

    with pytest.raises(AirflowFailException, match=r"409.*already cancelled"):
        run_op(cancel_op(created["order_id"], if_shipped="report"))


def test_if_shipped_report_returns_an_empty_list_when_the_cancel_goes_through(om, api):
    created = create(om)

    result, _ = run_op(cancel_op(created["order_id"], if_shipped="report"))

    assert result == {"order_id": created["order_id"], "status": "Cancelled", "shipped_first": []}


def test_an_unknown_if_shipped_is_refused_when_the_dag_is_parsed():
    with pytest.raises(ValueError, match="if_shipped must be one of fail, report; got 'skip'"):
        cancel_op("65add270441de72442397b6e", if_shipped="skip")
