"""Every API operation has a client method that sends the right method, path, query and body.

One row per operation of the endpoint table. A row calls the client method and states what must
go on the wire; the path comes from the table with the row's ids filled in. A guard test fails
when the table gains an operation that has no row here. Every row runs against both clients
(``wire``: ``OrderMeshClient`` and ``AsyncOrderMeshClient``), so the two cannot drift.
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from client.api_mock import (
    ITEM_ID,
    MERCHANT_ID,
    ORDER_ID,
    ORDER_ID_2,
    PACKAGE_ID,
    SHIPMENT_ID,
    TOKEN,
    TRANSFORMATION_ID,
)
from client.wire import AsyncWire, SyncWire

from airflow_provider_ordermesh.client import AsyncOrderMeshClient, OrderMeshClient
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.models import (
    AddVariantsResult,
    BulkResponse,
    CreateOrderResponse,
    InboundOrderReceipt,
    Note,
    Order,
    OrderItem,
    Package,
    PackingSlip,
    Page,
    RerouteResponse,
    Shipment,
)

NOTE_ID = "note-17"
VENDOR_ID = "vendor-2"
FACILITY_ID = "F01290042"

ADDRESS_IN = {"firstName": "Ann", "line1": "1 Main St", "city": "Town", "countryCode": "us"}
ADDRESS_SENT = {"firstName": "Ann", "line1": "1 Main St", "city": "Town", "countryCode": "US"}


def order_in(safe_id: str) -> dict[str, Any]:
    return {"safeId": safe_id, "shippingAddress": ADDRESS_IN, "items": [{"sku": "MUG-11", "quantity": 2}]}


def order_sent(safe_id: str) -> dict[str, Any]:
    """What the client must send for ``order_in``: codes upper-cased, the default currency filled in."""
    return {
        "safeId": safe_id,
        "shippingAddress": ADDRESS_SENT,
        "currencyCode": "USD",
        "items": [{"sku": "MUG-11", "quantity": 2}],
    }


ORDER = {"id": ORDER_ID, "shortId": "O04790082", "status": "Open"}
ITEM = {"id": ITEM_ID, "sku": "MUG-11", "quantity": 2, "status": "Open"}
SHIPMENT = {"id": SHIPMENT_ID, "orderId": ORDER_ID, "shipmentStatus": 1}
PACKAGE = {"id": PACKAGE_ID, "shipmentId": SHIPMENT_ID, "carrierName": "UPS"}
NOTE = {"id": NOTE_ID, "text": "call the customer", "resource": {"type": "Order", "id": ORDER_ID}}
AUDIT = {"id": "a1", "action": "StatusChanged", "oldValue": "Open", "newValue": "Fulfilled"}
BULK_OK = {"results": [{"index": 0, "isSuccessful": True, "id": ORDER_ID}]}
REROUTE_IN = {
    "shipmentId": SHIPMENT_ID,
    "facilityId": FACILITY_ID,
    "reason": "facility down",
    "orderItems": [{"id": ITEM_ID, "quantity": 1}],
}


CATALOG_PATCH = {
    "id": "681abd18c61bccfab89bc63e",
    "name": "Summer",
    "description": "summer range",
    "isEnabled": True,
    "assignedToSubAccountIds": [MERCHANT_ID],
    "variantsToAdd": [{"sku": "CAP-EMB-NAVY", "decorations": [{"area": "Front", "method": "Embroidery"}]}],
    "variantsSkusToRemove": ["MUG-11"],
    "variantsToUpdate": [{"sku": "MUG-15", "merchantPrice": {"amount": 6.5, "currency": "USD"}}],
}
"""The fields the QA docs show for "Partially update a merchant catalog", sent as written."""

ADD_VARIANTS = {
    "merchantCatalogId": "681abd18c61bccfab89bc63e",
    "variants": [{"sku": "CAP-1"}, {"sku": "CAP-2"}],
}


def paged(key: str, record: dict[str, Any], *, page: int = 1, page_size: int = 100) -> dict[str, Any]:
    return {key: [record], "page": page, "pageSize": page_size, "totalCount": 1}


def paging(page: int = 1, page_size: int = 100) -> dict[str, list[str]]:
    return {"page": [str(page)], "pageSize": [str(page_size)]}


@dataclass(frozen=True)
class Row:
    """One operation: how to call it and what must be sent."""

    endpoint: str
    call: Callable[[Any], Any]
    """``client.<group>.<method>(...)``, for either client."""
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Any = None
    answer: Any = None
    status: int = 200
    returns: type | None = None
    iterate: Callable[[Any], Any] | None = None
    """For paged operations: the lazy iterator form (``client.<group>.<method>()``)."""


ROWS: tuple[Row, ...] = (
    # --- orders ---------------------------------------------------------------------------------
    Row(
        "orders.create",
        lambda c: c.orders.create(order_in("SAFE-1")),
        body=order_sent("SAFE-1"),
        answer={"id": ORDER_ID, "safeId": "SAFE-1"},
        status=201,
        returns=CreateOrderResponse,
    ),
    Row(
        "orders.search",
        lambda c: c.orders.search_page({"status": ["Open"], "externalId": "EXT-9"}, page=2, page_size=50),
        query={"status": ["Open"], "externalId": ["EXT-9"], **paging(2, 50)},
        answer=paged("orders", ORDER, page=2, page_size=50),
        returns=Page,
        iterate=lambda c: c.orders.search({"status": ["Open"]}),
    ),
    Row(
        "orders.create_bulk",
        lambda c: c.orders.create_bulk([order_in("SAFE-1"), order_in("SAFE-2")]),
        body={"bulk": [order_sent("SAFE-1"), order_sent("SAFE-2")]},
        answer=BULK_OK,
        returns=BulkResponse,
    ),
    Row(
        "orders.retrieve_bulk",
        lambda c: c.orders.retrieve_bulk([ORDER_ID, ORDER_ID_2]),
        query={"ids": [ORDER_ID, ORDER_ID_2]},
        answer={"orders": [ORDER]},
        returns=list,
    ),
    Row(
        "orders.update_bulk",
        lambda c: c.orders.update_bulk([{"id": ORDER_ID, "externalId": "EXT-2"}]),
        body={"bulk": [{"externalId": "EXT-2", "id": ORDER_ID}]},
        answer=BULK_OK,
        returns=BulkResponse,
    ),
    Row(
        "orders.list",
        lambda c: c.orders.list_page(page=3, page_size=10),
        query=paging(3, 10),
        answer=paged("orders", ORDER, page=3, page_size=10),
        returns=Page,
        iterate=lambda c: c.orders.list(),
    ),
    Row(
        "orders.get",
        lambda c: c.orders.get(ORDER_ID),
        {"order_id": ORDER_ID},
        answer={"order": ORDER},
        returns=Order,
    ),
    Row(
        "orders.update",
        lambda c: c.orders.update(ORDER_ID, {"externalId": "EXT-2", "meta": {"gift": "yes"}}),
        {"order_id": ORDER_ID},
        body={"externalId": "EXT-2", "meta": {"gift": "yes"}},
        answer={"order": ORDER},
        returns=Order,
    ),
    Row(
        "orders.get_by_safe_id",
        lambda c: c.orders.get_by_safe_id("SAFE-1"),
        {"safe_id": "SAFE-1"},
        answer={"order": ORDER},
        returns=Order,
    ),
    Row(
        "orders.get_item",
        lambda c: c.orders.get_item(ITEM_ID),
        {"order_item_id": ITEM_ID},
        answer={"orderItem": ITEM},
        returns=OrderItem,
    ),
    Row(
        "orders.update_item",
        lambda c: c.orders.update_item(ORDER_ID, ITEM_ID, {"quantity": 3}),
        {"order_id": ORDER_ID, "order_item_id": ITEM_ID},
        body={"quantity": 3},
        answer={"orderItem": ITEM},
        returns=OrderItem,
    ),
    Row(
        "orders.cancel",
        lambda c: c.orders.cancel(
            {"orderId": ORDER_ID, "reason": "duplicate", "items": [{"itemId": ITEM_ID, "quantity": 1}]}
        ),
        body={"orderId": ORDER_ID, "reason": "duplicate", "items": [{"itemId": ITEM_ID, "quantity": 1}]},
        answer={"order": ORDER},
        returns=Order,
    ),
    Row(
        "orders.customer_care_hold",
        lambda c: c.orders.customer_care_hold(ORDER_ID, "check the address"),
        {"order_id": ORDER_ID},
        body={"reason": "check the address"},
        answer={"order": ORDER},
        returns=Order,
    ),
    Row(
        "orders.audit_logs",
        lambda c: c.orders.audit_logs_page(ORDER_ID, page=2, page_size=20),
        {"order_id": ORDER_ID},
        query=paging(2, 20),
        answer=paged("auditLogs", AUDIT),
        returns=Page,
        iterate=lambda c: c.orders.audit_logs(ORDER_ID),
    ),
    Row(
        "orders.item_audit_logs",
        lambda c: c.orders.item_audit_logs_page(ORDER_ID, ITEM_ID),
        {"order_id": ORDER_ID, "order_item_id": ITEM_ID},
        query=paging(),
        answer=paged("auditLogs", AUDIT),
        returns=Page,
        iterate=lambda c: c.orders.item_audit_logs(ORDER_ID, ITEM_ID),
    ),
    Row(
        "orders.refund",
        lambda c: c.orders.refund(
            {
                "orderId": ORDER_ID,
                "refunds": [
                    {"itemId": ITEM_ID, "isShippingRefund": True, "amount": 4, "reason": "Never arrived"}
                ],
            }
        ),
        body={
            "orderId": ORDER_ID,
            "refunds": [
                {"itemId": ITEM_ID, "isShippingRefund": True, "amount": 4, "reason": "Never arrived"}
            ],
        },
        status=204,
        returns=type(None),
    ),
    Row(
        "orders.submit_inbound",
        lambda c: c.orders.submit_inbound(
            {
                "body": {"order_no": "WB-22", "lines": [{"sku": "MUG-11"}]},
                "merchantId": MERCHANT_ID,
                "transformationId": TRANSFORMATION_ID,
            }
        ),
        body={
            "body": {"order_no": "WB-22", "lines": [{"sku": "MUG-11"}]},
            "merchantId": MERCHANT_ID,
            "transformationId": TRANSFORMATION_ID,
        },
        answer={"requestId": "20260114T175400Z-15865bd"},
        status=202,
        returns=InboundOrderReceipt,
    ),
    # --- order items ----------------------------------------------------------------------------
    Row(
        "order_items.search",
        lambda c: c.order_items.search_page({"orderId": ORDER_ID, "status": ["Open", "Fulfilled"]}),
        query={"orderId": [ORDER_ID], "status": ["Open", "Fulfilled"], **paging()},
        answer=paged("orderItems", ITEM),
        returns=Page,
        iterate=lambda c: c.order_items.search({"orderId": ORDER_ID}),
    ),
    # --- shipments ------------------------------------------------------------------------------
    Row(
        "shipments.get",
        lambda c: c.shipments.get(SHIPMENT_ID),
        {"shipment_id": SHIPMENT_ID},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.update",
        lambda c: c.shipments.update(SHIPMENT_ID, {"shippingMethod": "Express"}),
        {"shipment_id": SHIPMENT_ID},
        body={"shippingMethod": "Express"},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.create_packages",
        lambda c: c.shipments.create_packages(
            SHIPMENT_ID,
            {
                "packages": [
                    {"carrierName": "UPS", "carrierTrackingNumber": "1Z999", "orderItemIDs": [ITEM_ID]}
                ]
            },
        ),
        {"shipment_id": SHIPMENT_ID},
        body={
            "packages": [{"carrierName": "UPS", "carrierTrackingNumber": "1Z999", "orderItemIDs": [ITEM_ID]}]
        },
        answer={"packages": [PACKAGE]},
        status=201,
        returns=list,
    ),
    Row(
        "shipments.delete",
        lambda c: c.shipments.delete(SHIPMENT_ID),
        {"shipment_id": SHIPMENT_ID},
        status=204,
        returns=type(None),
    ),
    Row(
        "shipments.list_for_order",
        lambda c: c.shipments.list_for_order(ORDER_ID),
        {"order_id": ORDER_ID},
        answer={"shipments": [SHIPMENT]},
        returns=list,
    ),
    Row(
        "shipments.create",
        lambda c: c.shipments.create(
            {"orderId": ORDER_ID, "facilityId": FACILITY_ID, "orderItems": [{"id": ITEM_ID, "quantity": 2}]}
        ),
        body={"orderId": ORDER_ID, "facilityId": FACILITY_ID, "orderItems": [{"id": ITEM_ID, "quantity": 2}]},
        answer=SHIPMENT,
        status=201,
        returns=Shipment,
    ),
    Row(
        "shipments.get_for_order_and_vendor",
        lambda c: c.shipments.get_for_order_and_vendor(ORDER_ID, VENDOR_ID),
        {"order_id": ORDER_ID, "vendor_id": VENDOR_ID},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.get_for_order_item",
        lambda c: c.shipments.get_for_order_item(ITEM_ID),
        {"order_item_id": ITEM_ID},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.update_package",
        lambda c: c.shipments.update_package(PACKAGE_ID, {"carrierTrackingNumber": "1Z000"}),
        {"package_id": PACKAGE_ID},
        body={"carrierTrackingNumber": "1Z000"},
        answer=PACKAGE,
        returns=Package,
    ),
    Row(
        "shipments.cancel",
        lambda c: c.shipments.cancel(SHIPMENT_ID, "customer asked"),
        {"shipment_id": SHIPMENT_ID},
        body={"reason": "customer asked"},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.unassign_items",
        lambda c: c.shipments.unassign_items(
            SHIPMENT_ID, {"orderItems": [{"id": ITEM_ID, "quantity": 1}], "reason": "out of stock"}
        ),
        {"shipment_id": SHIPMENT_ID},
        body={"orderItems": [{"id": ITEM_ID, "quantity": 1}], "reason": "out of stock"},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.resubmit",
        lambda c: c.shipments.resubmit(SHIPMENT_ID),
        {"shipment_id": SHIPMENT_ID},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.retry_polling",
        lambda c: c.shipments.retry_polling(SHIPMENT_ID),
        {"shipment_id": SHIPMENT_ID},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.search",
        lambda c: c.shipments.search_page({"status": ["Assigned", 4], "orderIds": [ORDER_ID]}, page_size=25),
        query={"orderIds": [ORDER_ID], "status": ["1", "4"], **paging(1, 25)},
        answer=paged("shipments", SHIPMENT, page_size=25),
        returns=Page,
        iterate=lambda c: c.shipments.search({"status": ["shipped"]}),
    ),
    Row(
        "shipments.reroute",
        lambda c: c.shipments.reroute(REROUTE_IN),
        body=REROUTE_IN,
        answer={"shipmentId": SHIPMENT_ID, "facilityId": FACILITY_ID},
        returns=RerouteResponse,
    ),
    Row(
        "shipments.reject",
        lambda c: c.shipments.reject(SHIPMENT_ID, "artwork too small"),
        {"shipment_id": SHIPMENT_ID},
        body={"reason": "artwork too small"},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    Row(
        "shipments.reroute_bulk",
        lambda c: c.shipments.reroute_bulk([REROUTE_IN]),
        body={"bulk": [REROUTE_IN]},
        answer=BULK_OK,
        returns=BulkResponse,
    ),
    Row(
        "shipments.audit_logs",
        lambda c: c.shipments.audit_logs_page(SHIPMENT_ID),
        {"shipment_id": SHIPMENT_ID},
        query=paging(),
        answer=paged("auditLogs", AUDIT),
        returns=Page,
        iterate=lambda c: c.shipments.audit_logs(SHIPMENT_ID),
    ),
    Row(
        "shipments.package_audit_logs",
        lambda c: c.shipments.package_audit_logs_page(PACKAGE_ID, page=2),
        {"package_id": PACKAGE_ID},
        query=paging(2),
        answer=paged("auditLogs", AUDIT, page=2),
        returns=Page,
        iterate=lambda c: c.shipments.package_audit_logs(PACKAGE_ID),
    ),
    Row(
        "shipments.message_audit_logs",
        lambda c: c.shipments.message_audit_logs_page(SHIPMENT_ID),
        {"shipment_id": SHIPMENT_ID},
        query=paging(),
        answer=paged("auditLogs", AUDIT),
        returns=Page,
        iterate=lambda c: c.shipments.message_audit_logs(SHIPMENT_ID),
    ),
    Row(
        "shipments.assign",
        lambda c: c.shipments.assign(SHIPMENT_ID, {"facilityId": FACILITY_ID, "vendorId": VENDOR_ID}),
        {"shipment_id": SHIPMENT_ID},
        body={"facilityId": FACILITY_ID, "vendorId": VENDOR_ID},
        answer=SHIPMENT,
        returns=Shipment,
    ),
    # --- packing slips --------------------------------------------------------------------------
    Row(
        "packing_slips.generate",
        lambda c: c.packing_slips.generate(SHIPMENT_ID, format="html"),
        {"shipment_id": SHIPMENT_ID},
        body={"format": "html"},
        answer={"packingSlipId": "ps-1", "document": base64.b64encode(b"<html/>").decode()},
        returns=PackingSlip,
    ),
    # --- notes ----------------------------------------------------------------------------------
    Row(
        "notes.create",
        lambda c: c.notes.create(
            {"text": "call the customer", "resource": {"type": "Order", "id": ORDER_ID}}
        ),
        body={
            "text": "call the customer",
            "resource": {"type": "Order", "id": ORDER_ID},
            "format": "PlainText",
        },
        answer={"note": NOTE},
        status=201,
        returns=Note,
    ),
    Row(
        "notes.list",
        lambda c: c.notes.list_page({"resourceType": "Order", "resourceId": ORDER_ID}),
        query={"resourceType": ["Order"], "resourceId": [ORDER_ID], **paging()},
        answer=paged("notes", NOTE),
        returns=Page,
        iterate=lambda c: c.notes.list({"resourceType": "Order"}),
    ),
    Row(
        "notes.get", lambda c: c.notes.get(NOTE_ID), {"note_id": NOTE_ID}, answer={"note": NOTE}, returns=Note
    ),
    Row(
        "notes.update",
        lambda c: c.notes.update(NOTE_ID, {"text": "called, no answer", "format": "Markdown"}),
        {"note_id": NOTE_ID},
        body={"text": "called, no answer", "format": "Markdown"},
        answer={"note": NOTE},
        returns=Note,
    ),
    Row(
        "notes.delete",
        lambda c: c.notes.delete(NOTE_ID),
        {"note_id": NOTE_ID},
        status=204,
        returns=type(None),
    ),
    Row(
        "notes.audit_logs",
        lambda c: c.notes.audit_logs_page(NOTE_ID),
        {"note_id": NOTE_ID},
        query=paging(),
        answer=paged("auditLogs", AUDIT),
        returns=Page,
        iterate=lambda c: c.notes.audit_logs(NOTE_ID),
    ),
    # --- catalog --------------------------------------------------------------------------------
    Row(
        "catalog.list_variants",
        lambda c: c.catalog.list_variants_page(page=1, page_size=50),
        query=paging(1, 50),
        answer=paged("variants", {"sku": "Accent_Mug-11oz-Blue"}, page_size=50),
        returns=Page,
        iterate=lambda c: c.catalog.list_variants(),
    ),
    Row(
        "catalog.replace",
        lambda c: c.catalog.replace({"name": "Mugs", "isEnabled": True, "variants": [{"sku": "MUG-11"}]}),
        body={"name": "Mugs", "isEnabled": True, "variants": [{"sku": "MUG-11"}]},
        answer={"id": "681abd18c61bccfab89bc63e"},
        returns=dict,
    ),
    Row(
        "catalog.patch",
        lambda c: c.catalog.patch(CATALOG_PATCH),
        body=CATALOG_PATCH,
        answer={"id": "681abd18c61bccfab89bc63e"},
        returns=dict,
    ),
    Row(
        "catalog.add_variants",
        lambda c: c.catalog.add_variants(ADD_VARIANTS),
        body=ADD_VARIANTS,
        answer={"variantsAdded": 2, "errors": []},
        returns=AddVariantsResult,
    ),
)

AUTH_ENDPOINTS = {name for name in ENDPOINTS if name.startswith("auth.")}
"""Token endpoints have no client method of their own: tests/client/test_auth.py covers them."""


def test_every_operation_has_a_row() -> None:
    rows = [row.endpoint for row in ROWS]
    assert len(rows) == len(set(rows)), "an operation has two rows"
    missing = set(ENDPOINTS) - AUTH_ENDPOINTS - set(rows)
    assert not missing, f"operations without a client method test: {sorted(missing)}"
    assert set(rows) <= set(ENDPOINTS)
    unpaged_iterators = [
        row.endpoint for row in ROWS if ENDPOINTS[row.endpoint].paged != (row.iterate is not None)
    ]
    assert not unpaged_iterators, f"paged operations need an iterate call, others none: {unpaged_iterators}"


Wire = SyncWire | AsyncWire


@pytest.fixture(params=["sync", "async"])
def wire(request: pytest.FixtureRequest, api: Any) -> Wire:
    """The mocked API and a client to run a row with: the sync one, then the async one."""
    return SyncWire(api) if request.param == "sync" else AsyncWire()


@pytest.mark.parametrize("name", sorted(set(ENDPOINTS) - AUTH_ENDPOINTS))
def test_endpoint_name_is_the_client_method(name: str, client: OrderMeshClient) -> None:
    """``orders.refund`` is ``client.orders.refund``; a paged ``x`` also has ``x_page``.

    On the async client every method is an ``async def``, except the paged iterators.
    """
    group, method = name.split(".")
    async_client = AsyncOrderMeshClient("https://api.ordermesh.test", client.tokens.credentials)
    assert callable(getattr(getattr(client, group), method))
    async_group = getattr(async_client, group)
    if ENDPOINTS[name].paged:
        assert callable(getattr(getattr(client, group), f"{method}_page"))
        assert inspect.iscoroutinefunction(getattr(async_group, f"{method}_page"))
        assert not inspect.iscoroutinefunction(getattr(async_group, method))
    else:
        assert inspect.iscoroutinefunction(getattr(async_group, method))


@pytest.mark.parametrize("row", ROWS, ids=[row.endpoint for row in ROWS])
def test_operation_sends_method_path_query_and_body(row: Row, wire: Wire) -> None:
    endpoint = ENDPOINTS[row.endpoint]
    wire.answer(row.endpoint, path_params=row.path_params, status=row.status, json_body=row.answer)

    result = wire.run(row.call)

    [sent] = wire.sent()
    assert sent.method == endpoint.method
    assert sent.path == endpoint.format_path(**row.path_params)
    assert sent.query == row.query
    assert sent.body == row.body
    assert sent.bearer == TOKEN
    if row.body is not None:
        assert sent.headers["content-type"] == "application/json"
    if row.returns is not None:
        assert isinstance(result, row.returns)


def test_path_ids_are_quoted_into_one_segment(wire: Wire) -> None:
    """An id can never escape its path segment: ``:`` is percent-encoded; the separators ``/ ? # % \\`` are
    refused before sending (the id rule), and quoted all the same should one reach the table."""
    wire.answer("orders.get_by_safe_id", path_params={"safe_id": "a:b.c"}, json_body={"order": ORDER})
    wire.run(lambda c: c.orders.get_by_safe_id("a:b.c"))
    assert wire.sent()[0].path == ENDPOINTS["orders.get_by_safe_id"].format_path(safe_id="a:b.c")
    assert ENDPOINTS["orders.get_by_safe_id"].format_path(safe_id="../x?y").endswith("..%2Fx%3Fy")
    with pytest.raises(InvalidRequestError, match=r"safeId: 'a:b.c\?d' contains '\?'"):
        wire.run(lambda c: c.orders.get_by_safe_id("a:b.c?d"))
    assert len(wire.sent()) == 1


PAGED_ROWS = [row for row in ROWS if row.iterate is not None]


@pytest.mark.parametrize("row", PAGED_ROWS, ids=[row.endpoint for row in PAGED_ROWS])
def test_paged_operation_iterates_records(row: Row, wire: Wire) -> None:
    endpoint = ENDPOINTS[row.endpoint]
    wire.answer(row.endpoint, path_params=row.path_params, json_body=row.answer)

    assert row.iterate is not None
    records = wire.run(row.iterate)

    [sent] = wire.sent()
    assert sent.path == endpoint.format_path(**row.path_params)
    assert sent.query["page"] == ["1"]
    assert records == wire.run(row.call).items
