"""The handler of every API operation, as one table (moto's ``responses.py``): which backend verb
it calls, what it reads from the request for it, how the result is rendered, the status it answers.

Paths, methods, response keys and paging come from the endpoint table: ``app.py`` registers a
route for every endpoint there and refuses to start when one has no row in ``OPERATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel, Field

from airflow_provider_ordermesh.client.endpoints import endpoint
from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
from airflow_provider_ordermesh.sandbox.backend.backend import OrderMeshBackend
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
from airflow_provider_ordermesh.sandbox.backend.filters import Filters
from airflow_provider_ordermesh.sandbox.backend.notes import NOTE_FILTERS
from airflow_provider_ordermesh.sandbox.backend.orders import ITEM_FILTERS, ORDER_FILTERS
from airflow_provider_ordermesh.sandbox.backend.shipments import SHIPMENT_FILTERS
from airflow_provider_ordermesh.sandbox.backend.validation import SandboxModel
from airflow_provider_ordermesh.sandbox.http import views
from airflow_provider_ordermesh.sandbox.http.api import Call, Listing

JSON = dict[str, Any]
Handler = Callable[[Call], Any]
Reader = Callable[[Call], Any]
"""Reads one argument of a backend verb from the request: a path id, the body, the query string."""


@dataclass(frozen=True)
class RegisteredHandler:
    """The sandbox's handler of one endpoint, and the status it answers with when it returns data."""

    handler: Handler
    status: int = 200


def path(name: str) -> Reader:
    """The id in path segment ``{name}``."""
    return lambda call: call.path[name]


def body(model: type[BaseModel]) -> Reader:
    """The JSON body read as ``model`` (a 400 naming each bad key)."""
    return lambda call: call.body(model)


def query(filters: Filters[Any]) -> Reader:
    """The query string read by a search's filter table, paging left to the route."""
    return lambda call: call.filters(filters.query)


class _OrderIds(SandboxModel):
    """The ``ids`` of ``GET /v1/orders/bulk``: one to a bulk's worth."""

    ids: list[str] = Field(min_length=1, max_length=BULK_MAX_ITEMS)


def _order_ids(call: Call) -> list[str]:
    return call.filters(_OrderIds).ids


def verb(
    render: Callable[[Any], Any],
    pick: Callable[[OrderMeshBackend], Callable[..., Any]],
    *reads: Reader,
    status: int = 200,
    as_caller: bool = False,
) -> RegisteredHandler:
    """Call the backend verb ``pick`` names with what ``reads`` read, and ``render`` its result.

    ``as_caller`` also tells the verb who asked (``actor=``), for its audit log.
    """

    def handle(call: Call) -> Any:
        actor = {"actor": call.principal} if as_caller else {}
        return render(pick(call.backend)(*(read(call) for read in reads), **actor))

    return RegisteredHandler(handle, status)


def audited(
    render: Callable[[Any], Any],
    pick: Callable[[OrderMeshBackend], Callable[..., Any]],
    *reads: Reader,
    status: int = 200,
) -> RegisteredHandler:
    """``verb`` for a verb that changes state and audits who asked."""
    return verb(render, pick, *reads, status=status, as_caller=True)


def no_content(result: None) -> None:
    """Render nothing: the route answers 204."""
    return result


def listing(render: Callable[[Any], JSON]) -> Callable[[Any], Listing[Any]]:
    """Records answered as a page of ``render``-ed records (paging is the route's)."""
    return lambda records: Listing(records, render)


def each(render: Callable[[Any], JSON]) -> Callable[[Any], list[JSON]]:
    """Records answered as a plain list, unpaged."""
    return lambda records: [render(record) for record in records]


def bulk(
    model: type[BaseModel], apply: Callable[[Call, Any], Any], *, entry_status: int, message: str
) -> RegisteredHandler:
    """A ``{"bulk": [...]}`` handler: ``apply(call, entry)`` to each entry on its own, one result each."""

    def handle(call: Call) -> Any:
        return call.bulk(model, lambda entry: apply(call, entry), status=entry_status, message=message)

    return RegisteredHandler(handle)


def _client_token(call: Call) -> JSON:
    request = call.body(ClientToken)
    return views.token(call.sandbox.tokens.issue_client_token(request.client_id, request.client_secret))


def _login(call: Call) -> JSON:
    request = call.body(Login)
    return views.token(call.sandbox.tokens.login(request.username, request.password))


def _refresh(call: Call) -> JSON:
    return views.token(call.sandbox.tokens.refresh(call.body(Refresh).refresh_token))


def _packing_slip(call: Call) -> JSON:
    slip = call.backend.shipments.generate_packing_slip(
        call.path["shipment_id"], call.body(GeneratePackingSlip), actor=call.principal
    )
    return views.packing_slip(slip, call.base_url)


def _as_is(answer: JSON) -> JSON:
    """The catalog verbs return the answer's JSON already."""
    return answer


def _packages(packages: list[Any]) -> JSON:
    return {"packages": [views.package(package) for package in packages]}


ORDER_ID, ITEM_ID, SHIPMENT_ID = path("order_id"), path("order_item_id"), path("shipment_id")
PACKAGE_ID, NOTE_ID = path("package_id"), path("note_id")
_AUDIT = listing(views.audit_event)

OPERATIONS: Final[dict[str, RegisteredHandler]] = {
    # --- Auth -----------------------------------------------------------------------------------
    "auth.client_token": RegisteredHandler(_client_token),
    "auth.login": RegisteredHandler(_login),
    "auth.refresh": RegisteredHandler(_refresh),
    # --- Orders ---------------------------------------------------------------------------------
    "orders.create": audited(
        views.create_order_response, lambda b: b.orders.create, body(CreateOrder), status=201
    ),
    "orders.create_bulk": bulk(
        CreateOrder,
        lambda call, entry: call.backend.orders.create(entry, actor=call.principal),
        entry_status=201,
        message="created",
    ),
    "orders.update_bulk": bulk(
        BulkUpdateOrder,
        lambda call, entry: call.backend.orders.update(entry.id, entry, actor=call.principal),
        entry_status=200,
        message="updated",
    ),
    "orders.retrieve_bulk": verb(each(views.order), lambda b: b.orders.get_many, _order_ids),
    "orders.search": verb(listing(views.order), lambda b: b.orders.search, query(ORDER_FILTERS)),
    "orders.list": verb(listing(views.order), lambda b: b.orders.all),
    "orders.get": verb(views.order, lambda b: b.orders.get, ORDER_ID),
    "orders.update": audited(views.order, lambda b: b.orders.update, ORDER_ID, body(UpdateOrder)),
    "orders.get_by_safe_id": verb(views.order, lambda b: b.orders.get_by_safe_id, path("safe_id")),
    "orders.get_item": verb(views.order_item, lambda b: b.orders.get_item, ITEM_ID),
    "orders.update_item": audited(
        views.order_item, lambda b: b.orders.update_item, ORDER_ID, ITEM_ID, body(UpdateOrderItem)
    ),
    "orders.cancel": audited(views.order, lambda b: b.orders.cancel, body(CancelOrder)),
    "orders.customer_care_hold": audited(
        views.order, lambda b: b.orders.hold, ORDER_ID, body(CustomerCareHold)
    ),
    "orders.audit_logs": verb(_AUDIT, lambda b: b.orders.audit_logs, ORDER_ID),
    "orders.item_audit_logs": verb(_AUDIT, lambda b: b.orders.item_audit_logs, ORDER_ID, ITEM_ID),
    "orders.refund": audited(no_content, lambda b: b.orders.refund, body(AddRefund)),
    "orders.submit_inbound": audited(
        views.inbound_receipt, lambda b: b.orders.submit_inbound, body(InboundOrder), status=202
    ),
    "order_items.search": verb(
        listing(views.order_item), lambda b: b.orders.search_items, query(ITEM_FILTERS)
    ),
    # --- Shipments ------------------------------------------------------------------------------
    "shipments.get": verb(views.shipment, lambda b: b.shipments.get, SHIPMENT_ID),
    "shipments.update": audited(
        views.shipment, lambda b: b.shipments.update, SHIPMENT_ID, body(UpdateShipment)
    ),
    "shipments.create": audited(
        views.shipment, lambda b: b.shipments.create, body(CreateShipment), status=201
    ),
    "shipments.delete": audited(no_content, lambda b: b.shipments.delete, SHIPMENT_ID),
    "shipments.list_for_order": verb(each(views.shipment), lambda b: b.shipments.for_order, ORDER_ID),
    "shipments.get_for_order_and_vendor": verb(
        views.shipment, lambda b: b.shipments.for_order_and_vendor, ORDER_ID, path("vendor_id")
    ),
    "shipments.get_for_order_item": verb(views.shipment, lambda b: b.shipments.for_order_item, ITEM_ID),
    "shipments.search": verb(listing(views.shipment), lambda b: b.shipments.search, query(SHIPMENT_FILTERS)),
    "shipments.cancel": audited(
        views.shipment, lambda b: b.shipments.cancel, SHIPMENT_ID, body(CancelShipment)
    ),
    "shipments.unassign_items": audited(
        views.shipment, lambda b: b.shipments.unassign, SHIPMENT_ID, body(UnassignItems)
    ),
    "shipments.resubmit": audited(views.shipment, lambda b: b.shipments.resubmit, SHIPMENT_ID),
    "shipments.retry_polling": audited(views.shipment, lambda b: b.shipments.retry_polling, SHIPMENT_ID),
    "shipments.reroute": audited(views.reroute, lambda b: b.shipments.reroute, body(Reroute)),
    "shipments.reroute_bulk": bulk(
        Reroute,
        lambda call, entry: call.backend.shipments.reroute(entry, actor=call.principal).shipment,
        entry_status=200,
        message="rerouted",
    ),
    "shipments.reject": audited(views.shipment, lambda b: b.shipments.reject, SHIPMENT_ID, body(Reject)),
    "shipments.assign": audited(views.shipment, lambda b: b.shipments.assign, SHIPMENT_ID, body(Assign)),
    "shipments.create_packages": audited(
        _packages, lambda b: b.shipments.create_packages, SHIPMENT_ID, body(CreatePackages), status=201
    ),
    "shipments.update_package": audited(
        views.package, lambda b: b.shipments.update_package, PACKAGE_ID, body(UpdatePackage)
    ),
    "shipments.audit_logs": verb(_AUDIT, lambda b: b.shipments.audit_logs, SHIPMENT_ID),
    "shipments.package_audit_logs": verb(_AUDIT, lambda b: b.shipments.package_audit_logs, PACKAGE_ID),
    "shipments.message_audit_logs": verb(_AUDIT, lambda b: b.shipments.message_audit_logs, SHIPMENT_ID),
    "packing_slips.generate": RegisteredHandler(_packing_slip, 201),
    # --- Notes ----------------------------------------------------------------------------------
    "notes.create": audited(views.note, lambda b: b.notes.create, body(CreateNote), status=201),
    "notes.list": verb(listing(views.note), lambda b: b.notes.search, query(NOTE_FILTERS)),
    "notes.get": verb(views.note, lambda b: b.notes.get, NOTE_ID),
    "notes.update": audited(views.note, lambda b: b.notes.update, NOTE_ID, body(UpdateNote)),
    "notes.delete": audited(no_content, lambda b: b.notes.delete, NOTE_ID),
    "notes.audit_logs": verb(_AUDIT, lambda b: b.notes.audit_logs, NOTE_ID),
    # --- Catalog --------------------------------------------------------------------------------
    "catalog.list_variants": verb(listing(views.variant), lambda b: b.catalog.variants),
    "catalog.replace": verb(_as_is, lambda b: b.catalog.replace, body(MerchantCatalog)),
    "catalog.patch": verb(_as_is, lambda b: b.catalog.patch, body(MerchantCatalogPatch)),
    "catalog.add_variants": verb(_as_is, lambda b: b.catalog.add_variants, body(AddVariants)),
}
"""Every handler by endpoint name."""

for _name in OPERATIONS:
    endpoint(_name)  # a misspelt name fails at import, naming the known ones
