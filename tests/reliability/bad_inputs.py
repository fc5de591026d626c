"""The corpus of malformed inputs: one row per way to get an operator's or sensor's arguments wrong.

Each row is ``(operator class, keyword arguments, field, context)``: the task's arguments, the
field the error message must name, and what the task context adds (a template may read
``params``). Ids are well formed
unless the row is about a malformed id, so every row has exactly one thing wrong.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from airflow_provider_ordermesh.operators import inbound, notes, orders, shipments
from airflow_provider_ordermesh.sensors import inbound as inbound_sensors
from airflow_provider_ordermesh.sensors import status

ORDER_ID = "65add270441de72442397b6e"
SHIPMENT_ID = "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b23"
ITEM_ID = "7890abcdef123456"
FACILITY_ID = "facility-eu-1"
ADDRESS = {"firstName": "Ada", "line1": "1 Main St", "city": "Austin", "countryCode": "US"}
ITEM = {"sku": "TSHIRT-BLK-M", "quantity": 1}
ORDER = {"shippingAddress": ADDRESS, "items": [ITEM]}
REFUND = {"itemId": ITEM_ID, "amount": 5.0, "reason": "damaged"}
NOT_JSON = "{{ params.value }}"
"""Renders a Python dict with Jinja's default ``str()``: single quotes, so not JSON."""
PY_DICT = {"params": {"value": {"a": 1}}}


class Case(NamedTuple):
    operator: type
    kwargs: dict[str, Any]
    field: str
    params: dict[str, Any]


def _order(**changes: Any) -> dict[str, Any]:
    return {**ORDER, **changes}


def _address(**changes: Any) -> dict[str, Any]:
    return _order(shippingAddress={**ADDRESS, **changes})


def _item(**changes: Any) -> dict[str, Any]:
    return _order(items=[{**ITEM, **changes}])


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def _refund(**changes: Any) -> list[dict[str, Any]]:
    return [{**REFUND, **changes}]


create = orders.OrderMeshCreateOrderOperator
create_many = orders.OrderMeshCreateOrdersOperator
update = orders.OrderMeshUpdateOrderOperator
update_many = orders.OrderMeshUpdateOrdersOperator
update_item = orders.OrderMeshUpdateOrderItemOperator
cancel = orders.OrderMeshCancelOrderOperator
hold = orders.OrderMeshCustomerCareHoldOperator
refund = orders.OrderMeshRefundOperator
search_orders = orders.OrderMeshSearchOrdersOperator
reroute = shipments.OrderMeshRerouteShipmentOperator
reroute_many = shipments.OrderMeshBulkRerouteShipmentsOperator
reject = shipments.OrderMeshRejectShipmentOperator
assign = shipments.OrderMeshAssignShipmentOperator
unassign = shipments.OrderMeshUnassignItemsOperator
cancel_shipment = shipments.OrderMeshCancelShipmentOperator
resubmit = shipments.OrderMeshResubmitShipmentOperator
packages = shipments.OrderMeshCreatePackagesOperator
create_shipment = shipments.OrderMeshCreateShipmentOperator
packing_slip = shipments.OrderMeshGeneratePackingSlipOperator
search_shipments = shipments.OrderMeshSearchShipmentsOperator
note = notes.OrderMeshCreateNoteOperator
submit_inbound = inbound.OrderMeshSubmitInboundOrderOperator
shipment_sensor = status.OrderMeshShipmentStatusSensor
order_sensor = status.OrderMeshOrderStatusSensor
inbound_sensor = inbound_sensors.OrderMeshInboundOrderSensor

NOTE: dict[str, Any] = {"resource_type": "Order", "resource_id": ORDER_ID, "text": "call the customer"}
REROUTE: dict[str, Any] = {"shipment_id": SHIPMENT_ID, "facility_id": FACILITY_ID, "reason": "facility down"}
SHIPMENT = {"orderId": ORDER_ID, "facilityId": FACILITY_ID, "orderItems": [{"id": ITEM_ID, "quantity": 1}]}


def case(operator: type, field: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Case:
    return Case(operator, kwargs, field, params or {})


CASES: dict[str, Case] = {
    # --- create one order: missing, wrong-typed, out of range, bad codes, oversized, unknown ---
    "order without shippingAddress": case(
        create, "shippingAddress", payload=_without(ORDER, "shippingAddress")
    ),
    "order without items": case(create, "items", payload=_without(ORDER, "items")),
    "order with an empty item list": case(create, "items", payload=_order(items=[])),
    "item without sku": case(create, "items.0.sku", payload=_order(items=[{"quantity": 1}])),
    "item with an empty sku": case(create, "items.0.sku", payload=_item(sku="")),
    "item with a 256-character sku": case(create, "items.0.sku", payload=_item(sku="S" * 256)),
    "item quantity zero": case(create, "items.0.quantity", payload=_item(quantity=0)),
    "item quantity negative": case(create, "items.0.quantity", payload=_item(quantity=-3)),
    "item quantity as words": case(create, "items.0.quantity", payload=_item(quantity="two")),
    "item price negative": case(create, "items.0.customerPrice", payload=_item(customerPrice=-1)),
    "item price not a number": case(create, "items.0.customerPrice", payload=_item(customerPrice="free")),
    "three-letter country code": case(
        create, "shippingAddress.countryCode", payload=_address(countryCode="USA")
    ),
    "unknown country code": case(create, "shippingAddress.countryCode", payload=_address(countryCode="XX")),
    "address without city": case(
        create, "shippingAddress.city", payload=_order(shippingAddress=_without(ADDRESS, "city"))
    ),
    "256-character first name": case(
        create, "shippingAddress.firstName", payload=_address(firstName="A" * 256)
    ),
    "unknown currency code": case(create, "currencyCode", payload=_order(currencyCode="ABC")),
    "currency as a name": case(create, "currencyCode", payload=_order(currencyCode="dollars")),
    "merchantId with a space": case(create, "merchantId", payload=_order(merchantId="merchant 7")),
    "safeId with spaces": case(create, "safeId", payload=_order(safeId="my order 1")),
    "safeId of 201 characters": case(create, "safeId", payload=_order(safeId="s" * 201)),
    "externalId of 256 characters": case(create, "externalId", payload=_order(externalId="e" * 256)),
    "negative order total": case(create, "customerTotal", payload=_order(customerTotal=-10)),
    "language code as a word": case(create, "languageCode", payload=_order(languageCode="english")),
    "isTest not a boolean": case(create, "isTest", payload=_order(isTest="maybe")),
    "meta with a number value": case(create, "meta.batch", payload=_order(meta={"batch": 7})),
    "misspelt field": case(create, "shipingAddress", payload={**ORDER, "shipingAddress": ADDRESS}),
    "payload is a list": case(create, "payload", payload=[ORDER]),
    "payload template renders to invalid JSON": case(create, "payload", PY_DICT, payload=NOT_JSON),
    # --- create many ------------------------------------------------------------------------
    "one bad country among valid orders": case(
        create_many,
        "orders[1]: shippingAddress.countryCode",
        orders=[ORDER, _address(countryCode="ZZ"), ORDER],
    ),
    "bulk order with an empty item list": case(create_many, "orders[0]: items", orders=[_order(items=[])]),
    "orders is an object, not a list": case(create_many, "orders", orders={"order": ORDER}),
    "an order that is a number": case(create_many, "orders", orders=[ORDER, 42]),
    "orders template renders to invalid JSON": case(create_many, "orders", PY_DICT, orders=NOT_JSON),
    "orders file that does not exist": case(create_many, "orders", orders="/nonexistent/orders.jsonl"),
    # --- update -----------------------------------------------------------------------------
    "order id with a slash": case(update, "order_id", order_id="65add270/1", payload={"externalId": "x"}),
    "order id with a control character": case(
        update, "order_id", order_id="65add270\x01", payload={"externalId": "x"}
    ),
    "update that changes nothing": case(update, "payload", order_id=ORDER_ID, payload={}),
    "update with a bad country": case(
        update,
        "shippingAddress.countryCode",
        order_id=ORDER_ID,
        payload={"shippingAddress": {**ADDRESS, "countryCode": "U$"}},
    ),
    "bulk update without id": case(update_many, "id", updates=[{"externalId": "x"}]),
    "bulk update with an id with a slash": case(
        update_many, "id", updates=[{"id": "a/bc", "externalId": "x"}]
    ),
    "order item id with a space": case(
        update_item, "order_item_id", order_id=ORDER_ID, order_item_id="item 1", payload={"quantity": 2}
    ),
    "item update with quantity zero": case(
        update_item, "quantity", order_id=ORDER_ID, order_item_id=ITEM_ID, payload={"quantity": 0}
    ),
    # --- cancel and hold --------------------------------------------------------------------
    "cancel with an empty item list": case(cancel, "items", order_id=ORDER_ID, items=[]),
    "cancel item without itemId": case(cancel, "items.0.itemId", order_id=ORDER_ID, items=[{"quantity": 1}]),
    "cancel quantity zero": case(
        cancel, "items.0.quantity", order_id=ORDER_ID, items=[{"itemId": ITEM_ID, "quantity": 0}]
    ),
    "cancel reason of 1,001 characters": case(cancel, "reason", order_id=ORDER_ID, reason="r" * 1001),
    "cancel items template renders to invalid JSON": case(
        cancel, "items", PY_DICT, order_id=ORDER_ID, items=NOT_JSON
    ),
    "hold of an empty order id": case(hold, "order_id", order_id=""),
    "hold reason of 1,001 characters": case(hold, "reason", order_id=ORDER_ID, reason="r" * 1001),
    # --- refund -----------------------------------------------------------------------------
    "refund amount negative": case(refund, "refunds.0.amount", order_id=ORDER_ID, refunds=_refund(amount=-5)),
    "refund amount zero": case(refund, "refunds.0.amount", order_id=ORDER_ID, refunds=_refund(amount=0)),
    "refund amount as words": case(
        refund, "refunds.0.amount", order_id=ORDER_ID, refunds=_refund(amount="ten")
    ),
    "refund amount infinite": case(
        refund, "refunds.0.amount", order_id=ORDER_ID, refunds=_refund(amount=float("inf"))
    ),
    "refund without reason": case(
        refund, "refunds.0.reason", order_id=ORDER_ID, refunds=[_without(REFUND, "reason")]
    ),
    "refund without itemId": case(
        refund, "refunds.0.itemId", order_id=ORDER_ID, refunds=[_without(REFUND, "itemId")]
    ),
    "refund reason of 1,001 characters": case(
        refund, "refunds.0.reason", order_id=ORDER_ID, refunds=_refund(reason="r" * 1001)
    ),
    "refund shipping flag not a boolean": case(
        refund, "refunds.0.isShippingRefund", order_id=ORDER_ID, refunds=_refund(isShippingRefund="sometimes")
    ),
    "refund with no lines": case(refund, "refunds", order_id=ORDER_ID, refunds=[]),
    "refund of an order id with a slash": case(
        refund, "order_id", order_id="65add270/441de72442397b6e", refunds=_refund()
    ),
    "refunds template renders to invalid JSON": case(
        refund, "refunds", PY_DICT, order_id=ORDER_ID, refunds=NOT_JSON
    ),
    "order search by a malformed id": case(search_orders, "ids.0", filters={"ids": ["no pe"]}),
    "order search from a date that is not one": case(
        search_orders, "createdFrom", filters={"createdFrom": "yesterday"}
    ),
    "order search by an unknown filter": case(search_orders, "colour", filters={"colour": "red"}),
    # --- shipments --------------------------------------------------------------------------
    "reroute of a shipment id with a space": case(
        reroute, "shipment_id", **{**REROUTE, "shipment_id": "S000 0000001"}
    ),
    "reroute without reason": case(reroute, "reason", **{**REROUTE, "reason": ""}),
    "reroute of an empty item list": case(reroute, "order_items", **REROUTE, order_items=[]),
    "reroute of zero units": case(
        reroute, "orderItems.0.quantity", **REROUTE, order_items=[{"id": ITEM_ID, "quantity": 0}]
    ),
    "bulk reroute with a malformed shipment id": case(
        reroute_many,
        "shipmentId",
        reroutes=[{"shipmentId": "1/23", "facilityId": FACILITY_ID, "reason": "down"}],
    ),
    "reject without reason": case(reject, "reason", shipment_id=SHIPMENT_ID, reason=""),
    "assign to a facility id with a slash": case(
        assign, "facilityId", shipment_id=SHIPMENT_ID, facility_id="eu/1"
    ),
    "unassign of an empty item list": case(unassign, "order_items", shipment_id=SHIPMENT_ID, order_items=[]),
    "cancel of a shipment id with a slash": case(cancel_shipment, "shipment_id", shipment_id="a/b"),
    "resubmit of an empty shipment id": case(resubmit, "shipment_id", shipment_id=""),
    "no packages": case(packages, "packages", shipment_id=SHIPMENT_ID, packages=[]),
    "shipment without items": case(create_shipment, "orderItems", payload=_without(SHIPMENT, "orderItems")),
    "shipment for a malformed order id": case(
        create_shipment, "orderId", payload={**SHIPMENT, "orderId": "O0000/0001"}
    ),
    "packing slip as docx": case(packing_slip, "format", shipment_id=SHIPMENT_ID, format="docx"),
    "shipment search by an unknown status": case(search_shipments, "status", filters={"status": ["Shiped"]}),
    # --- notes ------------------------------------------------------------------------------
    "note on an unknown kind of resource": case(
        note, "resource.type", **{**NOTE, "resource_type": "Customer"}
    ),
    "empty note": case(note, "text", **{**NOTE, "text": ""}),
    "note of 4,001 characters": case(note, "text", **{**NOTE, "text": "n" * 4001}),
    "note in an unknown format": case(note, "format", **NOTE, format="html"),
    # --- sensors ----------------------------------------------------------------------------
    "shipment sensor waiting for an unknown status": case(
        shipment_sensor, "target_statuses", shipment_ids=[SHIPMENT_ID], target_statuses=["Shiped"]
    ),
    "shipment sensor failing on an unknown code": case(
        shipment_sensor, "failure_statuses", shipment_ids=[SHIPMENT_ID], failure_statuses=[42]
    ),
    "shipment sensor with a status in both lists": case(
        shipment_sensor,
        "target_statuses",
        shipment_ids=[SHIPMENT_ID],
        target_statuses=["Shipped"],
        failure_statuses=["Shipped"],
    ),
    "shipment sensor with a templated unknown status": case(
        shipment_sensor,
        "target_statuses",
        {"params": {"value": "Shipped,Teleported"}},
        shipment_ids=[SHIPMENT_ID],
        target_statuses="{{ params.value }}",
    ),
    "shipment sensor on malformed order ids": case(shipment_sensor, "order_ids", order_ids=["123/45"]),
    "shipment sensor with nothing to watch": case(shipment_sensor, "shipment_ids", shipment_ids=[]),
    "order sensor waiting for an unknown status": case(
        order_sensor, "target_statuses", order_ids=[ORDER_ID], target_statuses=["Done"]
    ),
    # --- issue 11: a rendered blank never widens an action -----------------------------------
    "cancel items from a misspelt XCom task id": case(
        cancel, "items", order_id=ORDER_ID, items="{{ ti.xcom_pull(task_ids='plan_cancelation') | tojson }}"
    ),
    "cancel items rendered as None": case(
        cancel, "items", {"params": {"value": None}}, order_id=ORDER_ID, items="{{ params.value }}"
    ),
    "cancel items rendered blank": case(cancel, "items", order_id=ORDER_ID, items="   "),
    "cancel items as an empty object": case(cancel, "items", order_id=ORDER_ID, items={}),
    "order search filters from a misspelt XCom task id": case(
        search_orders, "filters", filters="{{ ti.xcom_pull(task_ids='build_filterz') | tojson }}"
    ),
    "order search with empty filters": case(search_orders, "filters", filters={}),
    "order search with None filters": case(search_orders, "filters", filters=None),
    "order search with a blank status filter": case(search_orders, "status", filters={"status": []}),
    "order search max_results as words": case(
        search_orders, "max_results", filters={"status": ["Open"]}, max_results="abc"
    ),
    "order search max_results negative": case(
        search_orders, "max_results", filters={"status": ["Open"]}, max_results=-5
    ),
    "order search max_results rendered blank": case(
        search_orders, "max_results", filters={"status": ["Open"]}, max_results=""
    ),
    "order search max_results as a boolean": case(
        search_orders, "max_results", filters={"status": ["Open"]}, max_results=True
    ),
    "shipment search filters rendered null": case(search_shipments, "filters", filters="null"),
    "reroute items rendered null": case(reroute, "order_items", **REROUTE, order_items="null"),
    "unassign items rendered None": case(
        unassign, "order_items", shipment_id=SHIPMENT_ID, order_items="None"
    ),
    # --- issue 11: everything in an input is accounted for ---------------------------------
    "two orders with one safeId": case(
        create_many,
        "index 0 and index 1 share safeId shop-7",
        orders=[_order(safeId="shop-7"), _order(safeId="shop-7", externalId="b")],
    ),
    "two updates of one order": case(
        update_many,
        "index 0 and index 1 share id",
        updates=[{"id": ORDER_ID, "externalId": "a"}, {"id": ORDER_ID, "externalId": "b"}],
    ),
    "two reroutes of one shipment": case(
        reroute_many,
        "index 0 and index 1 share shipmentId",
        reroutes=[
            {"shipmentId": SHIPMENT_ID, "facilityId": FACILITY_ID, "reason": "down"},
            {"shipmentId": SHIPMENT_ID, "facilityId": "facility-us-1", "reason": "down"},
        ],
    ),
    "an empty bulk input with fail_on_empty": case(
        create_many, "orders holds no items", orders=[], fail_on_empty=True
    ),
    # --- issue 11: values --------------------------------------------------------------------
    "address line1 of spaces": case(create, "shippingAddress.line1", payload=_address(line1="   ")),
    "empty city": case(create, "shippingAddress.city", payload=_address(city="")),
    "first name of a zero-width space": case(
        create, "shippingAddress.firstName", payload=_address(firstName="\u200b")
    ),
    "item quantity true": case(create, "items.0.quantity", payload=_item(quantity=True)),
    "refund amount true": case(refund, "refunds.0.amount", order_id=ORDER_ID, refunds=_refund(amount=True)),
    "note of whitespace": case(note, "text", **{**NOTE, "text": " \n\t "}),
    "reject reason of spaces": case(reject, "reason", shipment_id=SHIPMENT_ID, reason="    "),
    "refund reason of 995 characters": case(
        refund, "at most 982 characters", order_id=ORDER_ID, refunds=_refund(reason="r" * 995)
    ),
    "cancel reason of 995 characters": case(
        cancel, "at most 982 characters", order_id=ORDER_ID, reason="r" * 995
    ),
    "blank idempotency key": case(
        refund,
        "idempotency_key",
        {"params": {"value": ""}},
        order_id=ORDER_ID,
        refunds=_refund(),
        idempotency_key="{{ params.value }}",
    ),
    "hook_params max_retries as words": case(
        hold, "hook_params.max_retries", order_id=ORDER_ID, hook_params={"max_retries": "lots"}
    ),
    "hook_params timeout of NaN": case(
        hold, "hook_params.timeout", order_id=ORDER_ID, hook_params={"timeout": float("nan")}
    ),
    "hook_params with a misspelt setting": case(
        hold, "max_retires", order_id=ORDER_ID, hook_params={"max_retires": 2}
    ),
    "bulk max_concurrency as words": case(
        create_many, "max_concurrency", orders=[ORDER], max_concurrency="lots"
    ),
    "search page_size as a boolean": case(
        search_orders, "page_size", filters={"status": ["Open"]}, page_size=True
    ),
    # --- issue 11: sensors ---------------------------------------------------------------------
    # a short id is an id the client would send (issue 13: ids are checked only for what breaks a
    # request); the API does not know it as a shipment id, so the unknown-id grace fails that wait
    "shipment sensor on an id that breaks the path": case(
        shipment_sensor, "shipment_ids", shipment_ids=["S/1"]
    ),
    "shipment sensor polling every NaN seconds": case(
        shipment_sensor, "poke_interval", shipment_ids=[SHIPMENT_ID], poke_interval=float("nan")
    ),
    "shipment sensor with a zero grace": case(
        shipment_sensor, "unknown_id_grace", shipment_ids=[SHIPMENT_ID], unknown_id_grace=0
    ),
    "order sensor timing out after True seconds": case(
        order_sensor, "timeout", order_ids=[ORDER_ID], timeout=True
    ),
    "order sensor on a malformed order id": case(
        order_sensor,
        "order_ids",
        {"params": {"value": f"{ORDER_ID},not/an-id"}},
        order_ids="{{ params.value }}",
    ),
    # --- inbound orders: the body is the merchant's own format, the transformation an id ---
    "inbound body that is a list": case(submit_inbound, "body", body=[ORDER], transformation_id="identity"),
    "inbound body rendering null": case(submit_inbound, "body", body="null", transformation_id="identity"),
    "inbound transformation rendering None": case(
        submit_inbound, "transformation_id", body=ORDER, transformation_id="None"
    ),
    # --- issue 27: the inbound fallback sensor's safeIds ---------------------------------------
    "inbound sensor on safeIds rendering null": case(
        inbound_sensor, "safe_ids", {"params": {"value": None}}, safe_ids="{{ params.value | tojson }}"
    ),
    "inbound sensor on no safeIds": case(inbound_sensor, "safe_ids", safe_ids=[]),
    "inbound sensor on a safeId given twice": case(inbound_sensor, "safe_ids", safe_ids=["shop-1", "shop-1"]),
    "inbound sensor on submit results without a safe_id": case(
        inbound_sensor,
        "safe_ids",
        {"params": {"value": [{"submitted": True, "order_id": None}]}},
        safe_ids="{{ params.value }}",
    ),
    "inbound sensor on a blank safeId": case(inbound_sensor, "safe_ids", safe_ids=["shop-1", " "]),
    "inbound sensor on a number": case(inbound_sensor, "safe_ids", safe_ids=4711),
}
