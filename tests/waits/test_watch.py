"""Watches: ids and statuses validated before any request, batched queries, records read into progress."""

from __future__ import annotations

import pytest

from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.models.orders import Order, OrderItem
from airflow_provider_ordermesh.models.shipments import Shipment
from airflow_provider_ordermesh.models.statuses import (
    DEFAULT_SHIPMENT_STATUSES,
    ShipmentStatuses,
    UnknownStatusError,
)
from airflow_provider_ordermesh.waits.watch import (
    IDS_PER_QUERY,
    OrderWatch,
    Query,
    ShipmentWatch,
    check_page_size,
    id_list,
    status_list,
)

ORDER_A = "65add270441de72442397b6e"
ORDER_B = "65add270441de72442397b6f"


def shipment_watch(**kw):
    args = {
        "shipment_ids": [],
        "order_ids": [],
        "targets": ["Shipped", "Delivered"],
        "failures": ["Rejected", "Cancelled"],
        "vocabulary": DEFAULT_SHIPMENT_STATUSES,
        **kw,
    }
    return ShipmentWatch.build(**args)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s1", ["s1"]),
        (" s1 , s2 ", ["s1", "s2"]),
        ('["s1", "s2"]', ["s1", "s2"]),
        ("['s1', 's2', 's1']", ["s1", "s2"]),
        (["s1", "s2", "s1"], ["s1", "s2"]),
        (None, []),
    ],
)
def test_id_list_accepts_lists_single_ids_and_rendered_templates(value, expected):
    assert id_list(value, field="shipment_ids") == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["s1", ""], r"shipment_ids\[1\]"),
        ([1, 2], r"shipment_ids\[0\]"),
        ({"a": 1}, "expected a list"),
        ("[not a list", "is not a list"),
    ],
)
def test_id_list_names_the_bad_entry(value, problem):
    with pytest.raises(ValueError, match=problem):
        id_list(value, field="shipment_ids")


def test_status_list_takes_codes_names_and_templates():
    assert status_list("Shipped, Delivered", field="target_statuses") == ["Shipped", "Delivered"]
    assert status_list("[4, 5]", field="target_statuses") == [4, 5]
    assert status_list(4, field="target_statuses") == [4]
    assert status_list(("Shipped",), field="target_statuses") == ["Shipped"]


def test_250_shipments_are_asked_for_in_three_queries_of_at_most_100_ids():
    ids = [f"00000000-0000-4000-8000-{i:012d}" for i in range(250)]
    queries = shipment_watch(shipment_ids=ids).queries()
    assert [len(q.filters["ids"]) for q in queries] == [100, 100, 50]
    assert IDS_PER_QUERY == 100
    assert all(q.group == "shipments" for q in queries)


def test_whole_orders_are_searched_by_order_ids():
    watch = shipment_watch(
        shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], order_ids=[ORDER_A, ORDER_B]
    )
    assert watch.queries() == [
        Query("shipments", {"ids": ["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"]}),
        Query("shipments", {"orderIds": [ORDER_A, ORDER_B]}),
    ]


def test_statuses_by_code_or_name_and_unknown_names_list_the_known_ones():
    watch = shipment_watch(
        targets=[4, "delivered"], failures=["7"], shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"]
    )
    assert watch.targets == {4, 5} and watch.failures == {7}
    with pytest.raises(
        UnknownStatusError, match=r"'Shiped'; known statuses: Unassigned \(0\), .*Cancelled \(7\)"
    ):
        shipment_watch(targets=["Shiped"], shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"])


def test_bad_ids_and_empty_watches_fail_naming_the_field():
    with pytest.raises(InvalidRequestError, match=r"order_ids\[1\]"):
        shipment_watch(order_ids=[ORDER_A, "not/an-order"])
    with pytest.raises(ValueError, match="nothing to wait for"):
        shipment_watch()
    with pytest.raises(ValueError, match="nothing to wait for"):
        OrderWatch.build(order_ids=[], order_item_ids=[], targets=["Fulfilled"], failures=[])


def test_shipments_found_are_read_with_the_vocabulary_and_empty_orders_pend():
    vocabulary = ShipmentStatuses.from_overrides({"4": "Dispatched"})
    watch = ShipmentWatch.build(
        shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01", "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b09"],
        order_ids=[ORDER_A, ORDER_B],
        targets=["Dispatched"],
        failures=["Cancelled"],
        vocabulary=vocabulary,
    )
    found = {
        "shipments": [
            Shipment(id="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01", shipment_status=4, order_id="other"),
            Shipment(id="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02", shipment_status=3, order_id=ORDER_A),
            Shipment(id="s3", shipment_status=None, order_id=ORDER_A),
        ]
    }
    progress = watch.assess(found)
    assert progress.reached == {"0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01": "Dispatched"}
    assert progress.waiting == {"0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02": "InProduction", "s3": "Unknown"}
    assert progress.missing == ("0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b09", ORDER_B)
    assert "shipments of order 65add270441de72442397b6f not found" in progress.pending_message()
    assert "shipment 0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b09 not found" in progress.pending_message()


def test_orders_and_items_are_queried_by_ids_and_read_case_insensitively():
    watch = OrderWatch.build(
        order_ids=[ORDER_A],
        order_item_ids=["item-1", "item-2"],
        targets=["fulfilled"],
        failures=["CANCELLED"],
    )
    assert watch.targets == {"Fulfilled"} and watch.failures == {"Cancelled"}
    rejected = sorted(DEFAULT_SHIPMENT_STATUSES.codes(["Rejected"]))
    assert watch.queries() == [
        Query("orders", {"ids": [ORDER_A]}),
        Query("order_items", {"ids": ["item-1", "item-2"]}),
        Query("shipments", {"orderIds": [ORDER_A], "status": rejected}),
    ]
    progress = watch.assess(
        {
            "orders": [Order(id=ORDER_A, status="fulfilled")],
            "order_items": [OrderItem(id="item-1", status="Cancelled")],
        }
    )
    assert progress.reached == {ORDER_A: "Fulfilled"}
    assert progress.failed == {"item-1": "Cancelled"}
    assert progress.missing == ("item-2",)
    assert progress.failure_message() == "OrderMesh wait failed: order item item-1 is Cancelled"


def _rejected(shipment_id: str, order_id: str) -> Shipment:
    return Shipment(
        id=shipment_id,
        order_id=order_id,
        shipment_status=next(iter(DEFAULT_SHIPMENT_STATUSES.codes(["Rejected"]))),
    )


def test_an_open_order_names_its_rejected_shipments_while_it_waits():
    watch = OrderWatch.build(
        order_ids=[ORDER_A, ORDER_B], order_item_ids=[], targets=["Fulfilled"], failures=[]
    )
    progress = watch.assess(
        {
            "orders": [Order(id=ORDER_A, status="Open"), Order(id=ORDER_B, status="Fulfilled")],
            "shipments": [_rejected("s1", ORDER_A), _rejected("s2", ORDER_B), _rejected("s3", "not-watched")],
        }
    )
    assert progress.waiting == {ORDER_A: "Open"} and not progress.failed
    assert progress.pending_message() == f"order {ORDER_A} is Open (shipment s1 is Rejected)"


def test_rejected_shipments_fail_the_wait_when_asked():
    watch = OrderWatch.build(
        order_ids=[ORDER_A],
        order_item_ids=[],
        targets=["Fulfilled"],
        failures=[],
        fail_on_rejected_shipments=True,
    )
    progress = watch.assess(
        {"orders": [Order(id=ORDER_A, status="Open")], "shipments": [_rejected("s1", ORDER_A)]}
    )
    assert progress.failed == {ORDER_A: "Open"}
    assert (
        progress.failure_message()
        == f"OrderMesh wait failed: order {ORDER_A} is Open (shipment s1 is Rejected)"
    )
    with pytest.raises(ValueError, match="fail_on_rejected_shipments"):
        OrderWatch.build(
            order_ids=[ORDER_A],
            order_item_ids=[],
            targets=["Fulfilled"],
            failures=[],
            fail_on_rejected_shipments="yes",  # type: ignore[arg-type]  # a str is what is refused
        )


def test_an_order_status_the_vocabulary_lacks_is_kept_and_pends():
    watch = OrderWatch.build(order_ids=[ORDER_A], order_item_ids=[], targets=["Fulfilled"], failures=[])
    progress = watch.assess({"orders": [Order(id=ORDER_A, status="AwaitingPayment")]})
    assert progress.waiting == {ORDER_A: "AwaitingPayment"}


@pytest.mark.parametrize("size", [0, 101, "100", True])
def test_page_size_is_checked(size):
    with pytest.raises(ValueError, match="page_size"):
        check_page_size(size)


def test_records_not_asked_for_do_not_decide_the_wait():
    """An API that ignored a filter (and answered with everything) must not fail or finish the wait."""
    watch = shipment_watch(shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], order_ids=[ORDER_A])
    progress = watch.assess(
        {
            "shipments": [
                Shipment(id="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01", shipment_status=4),
                Shipment(id="other", shipment_status=7, order_id=ORDER_B),
                Shipment(id="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02", shipment_status=5, order_id=ORDER_A),
            ]
        }
    )
    assert (
        progress.statuses
        == {
            "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01": "Shipped",
            "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02": "Delivered",
        }
        and progress.done
    )
    items = OrderWatch.build(
        order_ids=[], order_item_ids=["item-1"], targets=["Fulfilled"], failures=["Cancelled"]
    )
    progress = items.assess(
        {
            "order_items": [
                OrderItem(id="item-1", status="Fulfilled"),
                OrderItem(id="item-9", status="Cancelled"),
            ]
        }
    )
    assert progress.statuses == {"item-1": "Fulfilled"} and progress.done
