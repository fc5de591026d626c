"""Every operation of the endpoint table answers over HTTP in its documented shape.

The test is parametrized over the table itself and looks each name up in ``CASES``, so an
endpoint added to the table fails here until the sandbox serves it and a case exercises it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from fastapi.routing import APIRoute
from pydantic import BaseModel

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS, Endpoint
from airflow_provider_ordermesh.models import (
    AddVariantsResult,
    AuditEvent,
    BulkResponse,
    CreateOrderResponse,
    CreatePackagesResponse,
    InboundOrderReceipt,
    MerchantCatalog,
    Note,
    Order,
    OrderItem,
    Package,
    PackingSlip,
    RerouteResponse,
    Shipment,
    TokenResponse,
    Variant,
)
from airflow_provider_ordermesh.sandbox import create_app
from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from sandbox.wire import Api, order_body

pytestmark = pytest.mark.sandbox

DEFAULTS = SandboxConfig()
CLIENT = {"clientId": DEFAULTS.client_id, "clientSecret": DEFAULTS.client_secret}
USER = {"username": DEFAULTS.username, "password": DEFAULTS.password}
MERCHANT_ID = "b234ee56-7890-4f12-a123-4567890abcde"
TRANSFORMATION_ID = "c03ecd9c-1d2c-4c1e-9b7e-8f6a2b1c0d9e"


@dataclass(frozen=True)
class World:
    """What the cases act on: an order with a T-shirt and a mug shipment, a shipped poster, a note."""

    order: dict[str, Any]
    apparel: dict[str, Any]
    drinkware: dict[str, Any]
    shipped: dict[str, Any]
    note: dict[str, Any]

    @property
    def order_id(self) -> str:
        return str(self.order["id"])

    @property
    def tshirt(self) -> dict[str, Any]:
        return self.order["items"][0]

    @property
    def mug(self) -> dict[str, Any]:
        return self.order["items"][1]

    @property
    def package_id(self) -> str:
        return str(self.shipped["packages"][0]["id"])

    def reroute(self) -> dict[str, Any]:
        return {"shipmentId": self.apparel["id"], "facilityId": "apparel-west", "reason": "out of blanks"}


@pytest.fixture
def world(api: Api, sandbox: Any) -> World:
    order = api.create_order("TSHIRT-5000-M-BLACK", "MUG-11OZ-WHITE")
    apparel, drinkware = api.shipments_of(order["id"])
    poster = api.create_order("POSTER-18X24-MATTE")
    [shipped] = sandbox.advance_shipments(poster["shipmentIds"], to_status="Shipped")
    note = api.ok(
        "notes.create", json={"text": "Gift wrap", "resource": {"type": "Order", "id": order["id"]}}
    )
    return World(order, apparel, drinkware, shipped, note["note"])


Send = Callable[[Api, World], requests.Response]


@dataclass(frozen=True)
class Case:
    send: Send
    model: type[BaseModel] | None
    status: int = 200


def _refresh(api: Api, world: World) -> requests.Response:
    refresh_token = api.ok("auth.login", json=USER)["refreshToken"]
    return api.call("auth.refresh", json={"refreshToken": refresh_token})


def _create_shipment(api: Api, world: World) -> requests.Response:
    api.ok("shipments.delete", shipment_id=world.drinkware["id"])
    return api.call(
        "shipments.create",
        json={
            "orderId": world.order_id,
            "facilityId": "drinkware-south",
            "orderItems": [{"id": world.mug["id"], "quantity": 2}],
        },
    )


def _assign(api: Api, world: World) -> requests.Response:
    api.ok("shipments.reject", shipment_id=world.apparel["id"], json={"reason": "no capacity"})
    return api.call("shipments.assign", shipment_id=world.apparel["id"], json={"facilityId": "apparel-west"})


CASES: dict[str, Case] = {
    "auth.client_token": Case(lambda api, w: api.call("auth.client_token", json=CLIENT), TokenResponse),
    "auth.login": Case(lambda api, w: api.call("auth.login", json=USER), TokenResponse),
    "auth.refresh": Case(_refresh, TokenResponse),
    "orders.create": Case(
        lambda api, w: api.call("orders.create", json=order_body()), CreateOrderResponse, 201
    ),
    "orders.search": Case(
        lambda api, w: api.call("orders.search", params={"ids": [w.order_id], "status": ["Open"]}), Order
    ),
    "orders.create_bulk": Case(
        lambda api, w: api.call("orders.create_bulk", json={"bulk": [order_body(), order_body()]}),
        BulkResponse,
    ),
    "orders.retrieve_bulk": Case(
        lambda api, w: api.call("orders.retrieve_bulk", params={"ids": [w.order_id]}), Order
    ),
    "orders.update_bulk": Case(
        lambda api, w: api.call(
            "orders.update_bulk", json={"bulk": [{"id": w.order_id, "externalId": "EXT-2"}]}
        ),
        BulkResponse,
    ),
    "orders.list": Case(lambda api, w: api.call("orders.list"), Order),
    "orders.get": Case(lambda api, w: api.call("orders.get", order_id=w.order_id), Order),
    "orders.update": Case(
        lambda api, w: api.call("orders.update", order_id=w.order_id, json={"externalId": "EXT-1"}), Order
    ),
    "orders.get_by_safe_id": Case(
        lambda api, w: api.call("orders.get_by_safe_id", safe_id=w.order["safeId"]), Order
    ),
    "orders.get_item": Case(
        lambda api, w: api.call("orders.get_item", order_item_id=w.tshirt["id"]), OrderItem
    ),
    "orders.update_item": Case(
        lambda api, w: api.call(
            "orders.update_item",
            order_id=w.order_id,
            order_item_id=w.tshirt["id"],
            json={"meta": {"design": "D1"}},
        ),
        OrderItem,
    ),
    "orders.cancel": Case(lambda api, w: api.call("orders.cancel", json={"orderId": w.order_id}), Order),
    "orders.customer_care_hold": Case(
        lambda api, w: api.call("orders.customer_care_hold", order_id=w.order_id, json={"reason": "address"}),
        Order,
    ),
    "orders.audit_logs": Case(lambda api, w: api.call("orders.audit_logs", order_id=w.order_id), AuditEvent),
    "orders.item_audit_logs": Case(
        lambda api, w: api.call("orders.item_audit_logs", order_id=w.order_id, order_item_id=w.tshirt["id"]),
        AuditEvent,
    ),
    "orders.refund": Case(
        lambda api, w: api.call(
            "orders.refund",
            json={
                "orderId": w.order_id,
                "refunds": [{"itemId": w.tshirt["id"], "amount": 5, "reason": "late"}],
            },
        ),
        None,
        204,
    ),
    "orders.submit_inbound": Case(
        lambda api, w: api.call(
            "orders.submit_inbound",
            json={"body": order_body(), "merchantId": MERCHANT_ID, "transformationId": TRANSFORMATION_ID},
        ),
        InboundOrderReceipt,
        202,
    ),
    "order_items.search": Case(
        lambda api, w: api.call("order_items.search", params={"orderId": w.order_id}), OrderItem
    ),
    "shipments.get": Case(lambda api, w: api.call("shipments.get", shipment_id=w.apparel["id"]), Shipment),
    "shipments.update": Case(
        lambda api, w: api.call(
            "shipments.update", shipment_id=w.apparel["id"], json={"shippingMethod": "Express"}
        ),
        Shipment,
    ),
    "shipments.create_packages": Case(
        lambda api, w: api.call(
            "shipments.create_packages",
            shipment_id=w.apparel["id"],
            json={"packages": [{"carrierName": "UPS", "carrierTrackingNumber": "1Z999"}]},
        ),
        CreatePackagesResponse,
        201,
    ),
    "shipments.delete": Case(
        lambda api, w: api.call("shipments.delete", shipment_id=w.drinkware["id"]), None, 204
    ),
    "shipments.list_for_order": Case(
        lambda api, w: api.call("shipments.list_for_order", order_id=w.order_id), Shipment
    ),
    "shipments.create": Case(_create_shipment, Shipment, 201),
    "shipments.get_for_order_and_vendor": Case(
        lambda api, w: api.call(
            "shipments.get_for_order_and_vendor", order_id=w.order_id, vendor_id=w.apparel["vendorId"]
        ),
        Shipment,
    ),
    "shipments.get_for_order_item": Case(
        lambda api, w: api.call("shipments.get_for_order_item", order_item_id=w.tshirt["id"]), Shipment
    ),
    "shipments.update_package": Case(
        lambda api, w: api.call(
            "shipments.update_package", package_id=w.package_id, json={"carrierTrackingNumber": "1Z000"}
        ),
        Package,
    ),
    "shipments.cancel": Case(
        lambda api, w: api.call("shipments.cancel", shipment_id=w.apparel["id"], json={}), Shipment
    ),
    "shipments.unassign_items": Case(
        lambda api, w: api.call(
            "shipments.unassign_items",
            shipment_id=w.apparel["id"],
            json={"orderItems": [{"id": w.tshirt["id"], "quantity": 1}]},
        ),
        Shipment,
    ),
    "shipments.resubmit": Case(
        lambda api, w: api.call("shipments.resubmit", shipment_id=w.apparel["id"]), Shipment
    ),
    "shipments.retry_polling": Case(
        lambda api, w: api.call("shipments.retry_polling", shipment_id=w.apparel["id"]), Shipment
    ),
    "shipments.search": Case(
        lambda api, w: api.call("shipments.search", params={"orderIds": [w.order_id], "status": [1]}),
        Shipment,
    ),
    "shipments.reroute": Case(
        lambda api, w: api.call("shipments.reroute", json=w.reroute()), RerouteResponse
    ),
    "shipments.reject": Case(
        lambda api, w: api.call(
            "shipments.reject", shipment_id=w.apparel["id"], json={"reason": "no capacity"}
        ),
        Shipment,
    ),
    "shipments.reroute_bulk": Case(
        lambda api, w: api.call("shipments.reroute_bulk", json={"bulk": [w.reroute()]}), BulkResponse
    ),
    "shipments.audit_logs": Case(
        lambda api, w: api.call("shipments.audit_logs", shipment_id=w.apparel["id"]), AuditEvent
    ),
    "shipments.package_audit_logs": Case(
        lambda api, w: api.call("shipments.package_audit_logs", package_id=w.package_id), AuditEvent
    ),
    "shipments.message_audit_logs": Case(
        lambda api, w: api.call("shipments.message_audit_logs", shipment_id=w.apparel["id"]), AuditEvent
    ),
    "shipments.assign": Case(_assign, Shipment),
    "packing_slips.generate": Case(
        lambda api, w: api.call(
            "packing_slips.generate", shipment_id=w.shipped["id"], json={"format": "pdf"}
        ),
        PackingSlip,
        201,
    ),
    "notes.create": Case(
        lambda api, w: api.call(
            "notes.create", json={"text": "Rush", "resource": {"type": "Shipment", "id": w.apparel["id"]}}
        ),
        Note,
        201,
    ),
    "notes.list": Case(
        lambda api, w: api.call("notes.list", params={"resourceType": "Order", "resourceId": w.order_id}),
        Note,
    ),
    "notes.get": Case(lambda api, w: api.call("notes.get", note_id=w.note["id"]), Note),
    "notes.update": Case(
        lambda api, w: api.call("notes.update", note_id=w.note["id"], json={"text": "No wrap"}), Note
    ),
    "notes.delete": Case(lambda api, w: api.call("notes.delete", note_id=w.note["id"]), None, 204),
    "notes.audit_logs": Case(lambda api, w: api.call("notes.audit_logs", note_id=w.note["id"]), AuditEvent),
    "catalog.list_variants": Case(
        lambda api, w: api.call("catalog.list_variants", params={"pageSize": 5}), Variant
    ),
    "catalog.replace": Case(
        lambda api, w: api.call(
            "catalog.replace", json={"name": "Summer", "variants": [{"sku": "MUG-11OZ-WHITE"}]}
        ),
        MerchantCatalog,
    ),
    "catalog.patch": Case(
        lambda api, w: api.call("catalog.patch", json={"description": "Mugs only"}), MerchantCatalog
    ),
    "catalog.add_variants": Case(
        lambda api, w: api.call(
            "catalog.add_variants",
            json={"merchantCatalogId": "681abd18c61bccfab89bc63e", "variants": [{"sku": "CAP-1"}]},
        ),
        AddVariantsResult,
    ),
}


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_every_endpoint_answers_in_its_documented_shape(name: str, api: Api, world: World) -> None:
    assert name in CASES, f"the sandbox tests have no case for endpoint {name!r}: add one to CASES"
    case = CASES[name]

    response = case.send(api, world)

    assert response.status_code == case.status, response.text
    assert response.headers["X-Request-Id"].startswith("sbx-")
    if case.model is None:
        assert not response.content
        return
    records = _records(ENDPOINTS[name], response.json())
    assert records
    for record in records:
        case.model.model_validate(record)


def _records(endpoint: Endpoint, body: dict[str, Any]) -> list[Any]:
    """The answer's records where the endpoint table says they are."""
    key = endpoint.response_key
    if key is None:
        return [body]
    if endpoint.paged:
        assert set(body) == {key, "page", "pageSize", "totalCount"}
        assert body["totalCount"] >= len(body[key])
        return list(body[key])
    assert set(body) == {key}
    return body[key] if isinstance(body[key], list) else [body[key]]


def test_no_case_names_an_endpoint_outside_the_table() -> None:
    assert set(CASES) <= set(ENDPOINTS)


def test_the_app_serves_each_endpoint_of_the_table_once() -> None:
    routes = {
        (route.name, route.path, frozenset(route.methods))
        for route in create_app().routes
        if isinstance(route, APIRoute) and route.name in ENDPOINTS
    }
    assert routes == {(e.name, e.path, frozenset({e.method})) for e in ENDPOINTS.values()}


def test_an_endpoint_without_a_handler_stops_the_app_from_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    unserved = Endpoint("orders.archive", "POST", "/v1/orders/{order_id}/archive", "Archive an order")
    monkeypatch.setattr(
        "airflow_provider_ordermesh.sandbox.http.app.ENDPOINTS", {**ENDPOINTS, unserved.name: unserved}
    )

    with pytest.raises(LookupError, match=r"orders\.archive"):
        create_app()
