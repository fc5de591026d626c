"""Orders over the wire: idempotent creates, bulk results, validation errors, refunds, paging and filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS, PAGE_SIZE_MAX
from airflow_provider_ordermesh.models import NoteFilter, OrderItemSearch, OrderSearch, ShipmentSearch
from sandbox.wire import Api, order_body

pytestmark = pytest.mark.sandbox


# --- create, duplicates, bulk ------------------------------------------------------------------


def test_create_answers_the_new_ids_and_generates_a_safe_id_when_none_is_given(api: Api) -> None:
    created = api.call("orders.create", json=order_body())

    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "shortId", "safeId", "externalId", "shipmentIds"}
    assert len(body["id"]) == 24 and int(body["id"], 16) >= 0
    assert body["shortId"].startswith("O") and len(body["shortId"]) == 9
    assert body["safeId"]


def test_a_duplicate_safe_id_is_a_conflict_that_is_counted(api: Api, sandbox: Any) -> None:
    first = api.ok("orders.create", json=order_body(safeId="shop-1001"))

    again = api.call("orders.create", json=order_body(safeId="shop-1001"))

    assert again.status_code == 409
    assert "shop-1001" in again.json()["message"] and first["id"] in again.json()["message"]
    stats = sandbox.stats()
    assert (stats["orders"], stats["duplicateSafeIdAttempts"]) == (1, 1)


def test_bulk_create_reports_each_entry_on_its_own(api: Api, sandbox: Any) -> None:
    api.ok("orders.create", json=order_body(safeId="shop-1"))
    invalid = order_body(safeId="shop-3")
    invalid["shippingAddress"]["countryCode"] = "XX"

    results = api.ok(
        "orders.create_bulk",
        json={"bulk": [order_body(safeId="shop-2"), order_body(safeId="shop-1"), invalid]},
    )["results"]

    assert [(r["index"], r["isSuccessful"], r["statusCode"]) for r in results] == [
        (0, True, 201),
        (1, False, 409),
        (2, False, 400),
    ]
    assert results[0]["safeId"] == "shop-2" and results[0]["id"]
    assert [e["field"] for e in results[2]["errors"]] == ["shippingAddress.countryCode"]
    assert (sandbox.stats()["orders"], sandbox.stats()["duplicateSafeIdAttempts"]) == (2, 1)


def test_a_bulk_request_above_the_limit_is_refused_whole(api: Api, sandbox: Any) -> None:
    response = api.call("orders.create_bulk", json={"bulk": [order_body()] * (BULK_MAX_ITEMS + 1)})

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["bulk"]
    assert sandbox.stats()["orders"] == 0


def test_bulk_update_names_unknown_orders(api: Api) -> None:
    order = api.create_order()

    results = api.ok(
        "orders.update_bulk",
        json={"bulk": [{"id": order["id"], "externalId": "EXT-9"}, {"id": "0" * 24, "externalId": "EXT-0"}]},
    )["results"]

    assert [r["statusCode"] for r in results] == [200, 404]
    assert "0" * 24 in results[1]["message"]
    assert api.ok("orders.get", order_id=order["id"])["order"]["externalId"] == "EXT-9"


# --- errors ------------------------------------------------------------------------------------


def test_validation_errors_name_each_field_in_camel_case(api: Api) -> None:
    body = order_body()
    body["items"][0]["quantity"] = 0
    body["shipingAddress"] = body.pop("shippingAddress")

    response = api.call("orders.create", json=body)

    assert response.status_code == 400
    answer = response.json()
    assert set(answer) == {"statusCode", "message", "errors", "requestId"}
    assert answer["statusCode"] == 400 and answer["requestId"] == response.headers["X-Request-Id"]
    assert {e["field"] for e in answer["errors"]} == {"items.0.quantity", "shippingAddress", "shipingAddress"}


def test_a_body_that_is_not_json_is_a_400(api: Api) -> None:
    response = api.session.post(
        f"{api.url}/v1/orders", data="{not json", timeout=10, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


@pytest.mark.parametrize(
    "name, path",
    [
        ("orders.get", {"order_id": "65add270441de72442397b6e"}),
        ("orders.get_by_safe_id", {"safe_id": "never-sent"}),
        ("orders.get_item", {"order_item_id": "65aac2a2441de72442397b63"}),
        ("shipments.get", {"shipment_id": "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"}),
        ("notes.get", {"note_id": "n-404"}),
    ],
)
def test_an_unknown_id_is_a_404_naming_it(api: Api, name: str, path: dict[str, str]) -> None:
    response = api.call(name, **path)

    assert response.status_code == 404
    assert next(iter(path.values())) in response.json()["message"]


def test_unknown_routes_answer_in_the_error_shape(api: Api) -> None:
    response = api.session.get(f"{api.url}/v1/orderz", timeout=10)

    assert response.status_code == 404
    assert response.json()["requestId"] == response.headers["X-Request-Id"]


# --- refunds -----------------------------------------------------------------------------------


def test_a_refund_is_recorded_and_reduces_the_balances(api: Api) -> None:
    order = api.create_order(quantity=2)  # price 12 x 2, shipping 5
    item_id = order["items"][0]["id"]

    response = api.call(
        "orders.refund",
        json={
            "orderId": order["id"],
            "refunds": [
                {"itemId": item_id, "amount": 10, "reason": "Poor quality."},
                {"itemId": item_id, "isShippingRefund": True, "amount": 4, "reason": "Never arrived"},
            ],
        },
    )

    assert (response.status_code, response.content) == (204, b"")
    refund_data = api.ok("orders.get_item", order_item_id=item_id)["orderItem"]["refundData"]
    assert (refund_data["remainingPriceBalance"], refund_data["remainingShippingBalance"]) == (14, 1)
    assert [(r["amount"], r["isShippingRefund"]) for r in refund_data["refunds"]] == [(10, False), (4, True)]
    assert all(r["transactionId"] for r in refund_data["refunds"])


def test_a_refund_above_the_balance_is_refused_whole_naming_the_amount(api: Api) -> None:
    order = api.create_order(quantity=1)  # price 12, shipping 5
    item_id = order["items"][0]["id"]

    response = api.call(
        "orders.refund",
        json={
            "orderId": order["id"],
            "refunds": [
                {"itemId": item_id, "amount": 8, "reason": "late"},
                {"itemId": item_id, "amount": 8, "reason": "late again"},
            ],
        },
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["refunds.1.amount"]
    refund_data = api.ok("orders.get_item", order_item_id=item_id)["orderItem"]["refundData"]
    assert (refund_data["refunds"], refund_data["remainingPriceBalance"]) == ([], 12)


def test_a_refund_of_an_item_of_another_order_names_the_item(api: Api) -> None:
    order, other = api.create_order(), api.create_order()

    response = api.call(
        "orders.refund",
        json={
            "orderId": order["id"],
            "refunds": [{"itemId": other["items"][0]["id"], "amount": 1, "reason": "wrong order"}],
        },
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["refunds.0.itemId"]


def test_an_item_without_prices_has_nothing_to_refund(api: Api) -> None:
    body = order_body()
    del body["items"][0]["customerPrice"]
    order = api.ok("orders.get", order_id=api.ok("orders.create", json=body)["id"])["order"]

    response = api.call(
        "orders.refund",
        json={
            "orderId": order["id"],
            "refunds": [{"itemId": order["items"][0]["id"], "amount": 1, "reason": "goodwill"}],
        },
    )

    assert response.status_code == 400


# --- paging and filters ------------------------------------------------------------------------


def test_pages_are_in_creation_order_with_a_total(api: Api) -> None:
    ids = [api.ok("orders.create", json=order_body())["id"] for _ in range(5)]

    pages = [api.ok("orders.list", params={"page": page, "pageSize": 2}) for page in (1, 2, 3)]

    assert [order["id"] for page in pages for order in page["orders"]] == ids
    assert [(p["page"], p["pageSize"], p["totalCount"]) for p in pages] == [(1, 2, 5), (2, 2, 5), (3, 2, 5)]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"pageSize": PAGE_SIZE_MAX + 1}, "pageSize"),
        ({"page": 0}, "page"),
        ({"pageSize": "many"}, "pageSize"),
    ],
)
def test_bad_paging_is_a_400_naming_the_parameter(api: Api, params: dict[str, Any], field: str) -> None:
    response = api.call("orders.search", params=params)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_search_filters_take_repeated_keys(api: Api, sandbox: Any) -> None:
    first, second, third = (api.create_order(externalId=f"EXT-{n}") for n in range(3))
    sandbox.advance_shipments(third["shipmentIds"], to_status="Shipped")

    by_ids = api.ok("orders.search", params={"ids": [first["id"], third["id"]]})["orders"]
    by_status = api.ok("orders.search", params={"status": ["fulfilled", "Cancelled"]})["orders"]
    by_external_id = api.ok("orders.search", params={"externalId": "EXT-1"})["orders"]

    assert [o["id"] for o in by_ids] == [first["id"], third["id"]]
    assert [o["id"] for o in by_status] == [third["id"]]
    assert [o["id"] for o in by_external_id] == [second["id"]]


def test_updated_since_returns_what_changed_from_then_on(api: Api, sandbox: Any) -> None:
    old, changed = api.create_order(), api.create_order()
    sandbox.advance(5)
    since = datetime.fromisoformat(
        api.ok("orders.get", order_id=old["id"])["order"]["updatedAt"]
    ) + timedelta(seconds=1)
    api.ok("orders.update", order_id=changed["id"], json={"externalId": "EXT-NEW"})

    found = api.ok("orders.search", params={"updatedSince": since.astimezone(UTC).isoformat()})["orders"]
    shipments = api.ok("shipments.search", params={"updatedSince": since.isoformat()})["shipments"]

    assert [o["id"] for o in found] == [changed["id"]]
    assert shipments == []


def test_an_unknown_status_or_parameter_is_a_400(api: Api) -> None:
    assert api.call("orders.search", params={"status": "Lost"}).status_code == 400
    assert api.call("orders.search", params={"colour": "red"}).status_code == 400


def test_order_items_and_shipments_search(api: Api, sandbox: Any) -> None:
    order = api.create_order("TSHIRT-5000-M-BLACK", "MUG-11OZ-WHITE")
    apparel_id = order["shipmentIds"][0]
    sandbox.advance_shipments([apparel_id], to_status="Shipped")

    fulfilled = api.ok("order_items.search", params={"orderId": order["id"], "status": "Fulfilled"})[
        "orderItems"
    ]
    shipped = api.ok("shipments.search", params={"status": [4, 5]})["shipments"]
    at_drinkware = api.ok("shipments.search", params={"facilityId": "drinkware-north"})["shipments"]

    assert [item["sku"] for item in fulfilled] == ["TSHIRT-5000-M-BLACK"]
    assert [s["id"] for s in shipped] == [apparel_id]
    assert [s["id"] for s in at_drinkware] == [order["shipmentIds"][1]]


def test_an_inbound_order_in_the_create_format_becomes_an_order(api: Api, sandbox: Any) -> None:
    receipt = api.call(
        "orders.submit_inbound",
        json={
            "body": order_body(safeId="inbound-1"),
            "merchantId": "b234ee56-7890-4f12-a123-4567890abcde",
            "transformationId": "c03ecd9c-1d2c-4c1e-9b7e-8f6a2b1c0d9e",
        },
    )

    assert receipt.status_code == 202 and receipt.json()["requestId"]
    assert api.ok("orders.get_by_safe_id", safe_id="inbound-1")["order"]["status"] == "Open"
    [inbound] = sandbox.backend.state.inbound
    assert inbound.request_id == receipt.json()["requestId"] and not inbound.errors


def test_a_repeated_search_sees_every_change_in_between(api: Api) -> None:
    first, second = api.create_order(), api.create_order()
    assert api.ok("orders.search", params={"status": "Open"})["totalCount"] == 2

    api.ok("orders.cancel", json={"orderId": first["id"]})

    assert [o["id"] for o in api.ok("orders.search", params={"status": "Open"})["orders"]] == [second["id"]]


# One value per filter field that matches nothing the test creates. Each table must name every
# field of its filter model, so a filter the sandbox ignores (and answers everything) fails here.
FUTURE, PAST = "2100-01-01T00:00:00+00:00", "2000-01-01T00:00:00+00:00"
NARROWING: dict[str, tuple[type[BaseModel], dict[str, Any]]] = {
    "orders.search": (
        OrderSearch,
        {
            "ids": ["0" * 24],
            "safeIds": ["unknown"],
            "status": ["Cancelled"],
            "safeId": "unknown",
            "externalId": "unknown",
            "isTest": True,
            "createdFrom": FUTURE,
            "createdTo": PAST,
            "updatedSince": FUTURE,
            "updatedBefore": PAST,
        },
    ),
    "order_items.search": (
        OrderItemSearch,
        {
            "ids": ["unknown"],
            "orderId": "0" * 24,
            "status": ["Cancelled"],
            "sku": "unknown",
            "updatedSince": FUTURE,
            "updatedBefore": PAST,
        },
    ),
    "shipments.search": (
        ShipmentSearch,
        {
            "ids": ["unknown"],
            "orderIds": ["0" * 24],
            "status": [7],
            "facilityId": "unknown",
            "updatedSince": FUTURE,
            "updatedBefore": PAST,
        },
    ),
    "notes.list": (NoteFilter, {"resourceType": "Shipment", "resourceId": "unknown"}),
}


@pytest.mark.parametrize("name", sorted(NARROWING))
def test_the_narrowing_table_covers_every_filter_field(name: str) -> None:
    model, values = NARROWING[name]
    assert set(values) == {field.alias for field in model.model_fields.values()}


@pytest.mark.parametrize(
    "name, field", [(name, field) for name, (_, values) in NARROWING.items() for field in values]
)
def test_every_filter_field_narrows_the_search(api: Api, name: str, field: str) -> None:
    order = api.create_order()
    api.ok("notes.create", json={"text": "Gift wrap", "resource": {"type": "Order", "id": order["id"]}})

    unfiltered = api.ok(name)["totalCount"]
    filtered = api.ok(name, params={field: NARROWING[name][1][field]})["totalCount"]

    assert (unfiltered, filtered) == (1, 0)
