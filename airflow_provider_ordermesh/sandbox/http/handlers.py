"""One thin handler per API operation (moto's ``responses.py``): read the request, call one
backend verb, render the result.

Paths, methods, response keys and paging come from the endpoint table: ``app.py`` registers a
route for every endpoint there and refuses to start when one has no handler in ``OPERATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from airflow_provider_ordermesh.client.endpoints import endpoint
from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
from airflow_provider_ordermesh.sandbox.backend.bodies.accounts import (
    AddVariants,
    ClientToken,
    CreateNote,
    Login,
    MerchantCatalog,
    MerchantCatalogPatch,
    Refresh,
    UpdateNote,
)
from airflow_provider_ordermesh.sandbox.backend.bodies.orders import (
    AddRefund,
    BulkUpdateOrder,
    CancelOrder,
    CreateOrder,
    CustomerCareHold,
    InboundOrder,
    UpdateOrder,
    UpdateOrderItem,
)
from airflow_provider_ordermesh.sandbox.backend.bodies.shipments import (
    Assign,
    CancelShipment,
    CreatePackages,
    CreateShipment,
    GeneratePackingSlip,
    Reject,
    Reroute,
    UnassignItems,
    UpdatePackage,
    UpdateShipment,
)
from airflow_provider_ordermesh.sandbox.backend.notes import NOTE_FILTERS
from airflow_provider_ordermesh.sandbox.backend.orders import ITEM_FILTERS, ORDER_FILTERS
from airflow_provider_ordermesh.sandbox.backend.shipments import SHIPMENT_FILTERS
from airflow_provider_ordermesh.sandbox.backend.validation import SandboxModel
from airflow_provider_ordermesh.sandbox.http import views
from airflow_provider_ordermesh.sandbox.http.api import Call, Listing

JSON = dict[str, Any]
Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class RegisteredHandler:
    """The sandbox's handler of one endpoint, and the status it answers with when it returns data."""

    handler: Handler
    status: int


OPERATIONS: dict[str, RegisteredHandler] = {}
"""Every handler by endpoint name."""


def operation(name: str, *, status: int = 200) -> Callable[[Handler], Handler]:
    """Register the handler of endpoint ``name``, which answers ``status`` when it returns data."""
    endpoint(name)

    def register(handler: Handler) -> Handler:
        OPERATIONS[name] = RegisteredHandler(handler, status)
        return handler

    return register


class _OrderIds(SandboxModel):
    ids: list[str] = Field(min_length=1, max_length=BULK_MAX_ITEMS)


# --- Auth --------------------------------------------------------------------------------------


@operation("auth.client_token")
def client_token(call: Call) -> JSON:
    request = call.body(ClientToken)
    return views.token(call.sandbox.tokens.issue_client_token(request.client_id, request.client_secret))


@operation("auth.login")
def login(call: Call) -> JSON:
    request = call.body(Login)
    return views.token(call.sandbox.tokens.login(request.username, request.password))


@operation("auth.refresh")
def refresh(call: Call) -> JSON:
    return views.token(call.sandbox.tokens.refresh(call.body(Refresh).refresh_token))


# --- Orders ------------------------------------------------------------------------------------


@operation("orders.create", status=201)
def create_order(call: Call) -> JSON:
    return views.create_order_response(
        call.backend.orders.create(call.body(CreateOrder), actor=call.principal)
    )


@operation("orders.create_bulk")
def create_orders(call: Call) -> JSON:
    return call.bulk(
        CreateOrder,
        lambda entry: call.backend.orders.create(entry, actor=call.principal),
        status=201,
        message="created",
    )


@operation("orders.update_bulk")
def update_orders(call: Call) -> JSON:
    return call.bulk(
        BulkUpdateOrder,
        lambda entry: call.backend.orders.update(entry.id, entry, actor=call.principal),
        status=200,
        message="updated",
    )


@operation("orders.retrieve_bulk")
def retrieve_orders(call: Call) -> list[JSON]:
    return [views.order(order) for order in call.backend.orders.get_many(call.filters(_OrderIds).ids)]


@operation("orders.search")
def search_orders(call: Call) -> Listing[Any]:
    return Listing(call.backend.orders.search(call.filters(ORDER_FILTERS.query)), views.order)


@operation("orders.list")
def list_orders(call: Call) -> Listing[Any]:
    return Listing(call.backend.orders.all(), views.order)


@operation("orders.get")
def get_order(call: Call) -> JSON:
    return views.order(call.backend.orders.get(call.path["order_id"]))


@operation("orders.update")
def update_order(call: Call) -> JSON:
    return views.order(
        call.backend.orders.update(call.path["order_id"], call.body(UpdateOrder), actor=call.principal)
    )


@operation("orders.get_by_safe_id")
def get_order_by_safe_id(call: Call) -> JSON:
    return views.order(call.backend.orders.get_by_safe_id(call.path["safe_id"]))


@operation("orders.get_item")
def get_order_item(call: Call) -> JSON:
    return views.order_item(call.backend.orders.get_item(call.path["order_item_id"]))


@operation("orders.update_item")
def update_order_item(call: Call) -> JSON:
    item = call.backend.orders.update_item(
        call.path["order_id"], call.path["order_item_id"], call.body(UpdateOrderItem), actor=call.principal
    )
    return views.order_item(item)


@operation("orders.cancel")
def cancel_order(call: Call) -> JSON:
    return views.order(call.backend.orders.cancel(call.body(CancelOrder), actor=call.principal))


@operation("orders.customer_care_hold")
def hold_order(call: Call) -> JSON:
    return views.order(
        call.backend.orders.hold(call.path["order_id"], call.body(CustomerCareHold), actor=call.principal)
    )


@operation("orders.audit_logs")
def order_audit_logs(call: Call) -> Listing[Any]:
    return Listing(call.backend.orders.audit_logs(call.path["order_id"]), views.audit_event)


@operation("orders.item_audit_logs")
def order_item_audit_logs(call: Call) -> Listing[Any]:
    events = call.backend.orders.item_audit_logs(call.path["order_id"], call.path["order_item_id"])
    return Listing(events, views.audit_event)


@operation("orders.refund")
def refund_order(call: Call) -> None:
    call.backend.orders.refund(call.body(AddRefund), actor=call.principal)


@operation("orders.submit_inbound", status=202)
def submit_inbound_order(call: Call) -> JSON:
    return views.inbound_receipt(
        call.backend.orders.submit_inbound(call.body(InboundOrder), actor=call.principal)
    )


@operation("order_items.search")
def search_order_items(call: Call) -> Listing[Any]:
    return Listing(call.backend.orders.search_items(call.filters(ITEM_FILTERS.query)), views.order_item)


# --- Shipments ---------------------------------------------------------------------------------


@operation("shipments.get")
def get_shipment(call: Call) -> JSON:
    return views.shipment(call.backend.shipments.get(call.path["shipment_id"]))


@operation("shipments.update")
def update_shipment(call: Call) -> JSON:
    return views.shipment(
        call.backend.shipments.update(
            call.path["shipment_id"], call.body(UpdateShipment), actor=call.principal
        )
    )


@operation("shipments.create", status=201)
def create_shipment(call: Call) -> JSON:
    return views.shipment(call.backend.shipments.create(call.body(CreateShipment), actor=call.principal))


@operation("shipments.delete")
def delete_shipment(call: Call) -> None:
    call.backend.shipments.delete(call.path["shipment_id"], actor=call.principal)


@operation("shipments.list_for_order")
def list_order_shipments(call: Call) -> list[JSON]:
    return [views.shipment(shipment) for shipment in call.backend.shipments.for_order(call.path["order_id"])]


@operation("shipments.get_for_order_and_vendor")
def get_order_vendor_shipment(call: Call) -> JSON:
    return views.shipment(
        call.backend.shipments.for_order_and_vendor(call.path["order_id"], call.path["vendor_id"])
    )


@operation("shipments.get_for_order_item")
def get_order_item_shipment(call: Call) -> JSON:
    return views.shipment(call.backend.shipments.for_order_item(call.path["order_item_id"]))


@operation("shipments.search")
def search_shipments(call: Call) -> Listing[Any]:
    return Listing(call.backend.shipments.search(call.filters(SHIPMENT_FILTERS.query)), views.shipment)


@operation("shipments.cancel")
def cancel_shipment(call: Call) -> JSON:
    return views.shipment(
        call.backend.shipments.cancel(
            call.path["shipment_id"], call.body(CancelShipment), actor=call.principal
        )
    )


@operation("shipments.unassign_items")
def unassign_shipment_items(call: Call) -> JSON:
    return views.shipment(
        call.backend.shipments.unassign(
            call.path["shipment_id"], call.body(UnassignItems), actor=call.principal
        )
    )


@operation("shipments.resubmit")
def resubmit_shipment(call: Call) -> JSON:
    return views.shipment(call.backend.shipments.resubmit(call.path["shipment_id"], actor=call.principal))


@operation("shipments.retry_polling")
def retry_shipment_polling(call: Call) -> JSON:
    return views.shipment(
        call.backend.shipments.retry_polling(call.path["shipment_id"], actor=call.principal)
    )


@operation("shipments.reroute")
def reroute_shipment(call: Call) -> JSON:
    return views.reroute(call.backend.shipments.reroute(call.body(Reroute), actor=call.principal))


@operation("shipments.reroute_bulk")
def reroute_shipments(call: Call) -> JSON:
    return call.bulk(
        Reroute,
        lambda entry: call.backend.shipments.reroute(entry, actor=call.principal).shipment,
        status=200,
        message="rerouted",
    )


@operation("shipments.reject")
def reject_shipment(call: Call) -> JSON:
    return views.shipment(
        call.backend.shipments.reject(call.path["shipment_id"], call.body(Reject), actor=call.principal)
    )


@operation("shipments.assign")
def assign_shipment(call: Call) -> JSON:
    return views.shipment(
        call.backend.shipments.assign(call.path["shipment_id"], call.body(Assign), actor=call.principal)
    )


@operation("shipments.create_packages", status=201)
def create_packages(call: Call) -> JSON:
    packages = call.backend.shipments.create_packages(
        call.path["shipment_id"], call.body(CreatePackages), actor=call.principal
    )
    return {"packages": [views.package(package) for package in packages]}


@operation("shipments.update_package")
def update_package(call: Call) -> JSON:
    return views.package(
        call.backend.shipments.update_package(
            call.path["package_id"], call.body(UpdatePackage), actor=call.principal
        )
    )


@operation("shipments.audit_logs")
def shipment_audit_logs(call: Call) -> Listing[Any]:
    return Listing(call.backend.shipments.audit_logs(call.path["shipment_id"]), views.audit_event)


@operation("shipments.package_audit_logs")
def package_audit_logs(call: Call) -> Listing[Any]:
    return Listing(call.backend.shipments.package_audit_logs(call.path["package_id"]), views.audit_event)


@operation("shipments.message_audit_logs")
def shipment_message_audit_logs(call: Call) -> Listing[Any]:
    return Listing(call.backend.shipments.message_audit_logs(call.path["shipment_id"]), views.audit_event)


@operation("packing_slips.generate", status=201)
def generate_packing_slip(call: Call) -> JSON:
    slip = call.backend.shipments.generate_packing_slip(
        call.path["shipment_id"], call.body(GeneratePackingSlip), actor=call.principal
    )
    return views.packing_slip(slip, call.base_url)


# --- Notes -------------------------------------------------------------------------------------


@operation("notes.create", status=201)
def create_note(call: Call) -> JSON:
    return views.note(call.backend.notes.create(call.body(CreateNote), actor=call.principal))


@operation("notes.list")
def list_notes(call: Call) -> Listing[Any]:
    return Listing(call.backend.notes.search(call.filters(NOTE_FILTERS.query)), views.note)


@operation("notes.get")
def get_note(call: Call) -> JSON:
    return views.note(call.backend.notes.get(call.path["note_id"]))


@operation("notes.update")
def update_note(call: Call) -> JSON:
    return views.note(
        call.backend.notes.update(call.path["note_id"], call.body(UpdateNote), actor=call.principal)
    )


@operation("notes.delete")
def delete_note(call: Call) -> None:
    call.backend.notes.delete(call.path["note_id"], actor=call.principal)


@operation("notes.audit_logs")
def note_audit_logs(call: Call) -> Listing[Any]:
    return Listing(call.backend.notes.audit_logs(call.path["note_id"]), views.audit_event)


# --- Catalog -----------------------------------------------------------------------------------


@operation("catalog.list_variants")
def list_variants(call: Call) -> Listing[Any]:
    return Listing(call.backend.catalog.variants(), views.variant)


@operation("catalog.replace")
def replace_catalog(call: Call) -> JSON:
    return call.backend.catalog.replace(call.body(MerchantCatalog))


@operation("catalog.patch")
def patch_catalog(call: Call) -> JSON:
    return call.backend.catalog.patch(call.body(MerchantCatalogPatch))


@operation("catalog.add_variants")
def add_variants(call: Call) -> JSON:
    return call.backend.catalog.add_variants(call.body(AddVariants))
