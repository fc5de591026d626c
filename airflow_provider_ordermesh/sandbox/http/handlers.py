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
    return lambda call: call.path[name]


def body(model: type[BaseModel]) -> Reader:
    return lambda call: call.body(model)


def query(filters: Filters[Any]) -> Reader:
    return lambda call: call.filters(filters.query)


class _OrderIds(SandboxModel):
    ids: list[str] = Field(min_length=1, max_length=BULK_MAX_ITEMS)


def verb(
    pick: Callable[[OrderMeshBackend], Callable[..., Any]],
    *reads: Reader,
    render: Callable[[Any], Any] | None = None,
    audited: bool = False,
    status: int = 200,
) -> RegisteredHandler:
    """The handler that calls the verb ``pick`` names with what ``reads`` read, and renders its result.

    ``audited`` verbs change state and are told who asked (``actor=``, for the audit log); a
    verb without ``render`` answers 204, one with it ``status``.
    """

    def handle(call: Call) -> Any:
        actor = {"actor": call.principal} if audited else {}
        result = pick(call.backend)(*(read(call) for read in reads), **actor)
        return render(result) if render is not None else None

    return RegisteredHandler(handle, status)


def listing(render: Callable[[Any], JSON]) -> Callable[[Any], Listing[Any]]:
    """Records answered as a page of ``render``-ed records (paging is the route's)."""
    return lambda records: Listing(records, render)


def each(render: Callable[[Any], JSON]) -> Callable[[Any], list[JSON]]:
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
    "orders.create": verb(
        lambda b: b.orders.create,
        body(CreateOrder),
        render=views.create_order_response,
        audited=True,
        status=201,
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
    "orders.retrieve_bulk": verb(
        lambda b: b.orders.get_many, lambda call: call.filters(_OrderIds).ids, render=each(views.order)
    ),
    "orders.search": verb(lambda b: b.orders.search, query(ORDER_FILTERS), render=listing(views.order)),
    "orders.list": verb(lambda b: b.orders.all, render=listing(views.order)),
    "orders.get": verb(lambda b: b.orders.get, ORDER_ID, render=views.order),
    "orders.update": verb(
        lambda b: b.orders.update, ORDER_ID, body(UpdateOrder), render=views.order, audited=True
    ),
    "orders.get_by_safe_id": verb(lambda b: b.orders.get_by_safe_id, path("safe_id"), render=views.order),
    "orders.get_item": verb(lambda b: b.orders.get_item, ITEM_ID, render=views.order_item),
    "orders.update_item": verb(
        lambda b: b.orders.update_item,
        ORDER_ID,
        ITEM_ID,
        body(UpdateOrderItem),
        render=views.order_item,
        audited=True,
    ),
    "orders.cancel": verb(lambda b: b.orders.cancel, body(CancelOrder), render=views.order, audited=True),
    "orders.customer_care_hold": verb(
        lambda b: b.orders.hold, ORDER_ID, body(CustomerCareHold), render=views.order, audited=True
    ),
    "orders.audit_logs": verb(lambda b: b.orders.audit_logs, ORDER_ID, render=_AUDIT),
    "orders.item_audit_logs": verb(lambda b: b.orders.item_audit_logs, ORDER_ID, ITEM_ID, render=_AUDIT),
    "orders.refund": verb(lambda b: b.orders.refund, body(AddRefund), audited=True),
    "orders.submit_inbound": verb(
        lambda b: b.orders.submit_inbound,
        body(InboundOrder),
        render=views.inbound_receipt,
        audited=True,
        status=202,
    ),
    "order_items.search": verb(
        lambda b: b.orders.search_items, query(ITEM_FILTERS), render=listing(views.order_item)
    ),
    # --- Shipments ------------------------------------------------------------------------------
    "shipments.get": verb(lambda b: b.shipments.get, SHIPMENT_ID, render=views.shipment),
    "shipments.update": verb(
        lambda b: b.shipments.update,
        SHIPMENT_ID,
        body(UpdateShipment),
        render=views.shipment,
        audited=True,
    ),
    "shipments.create": verb(
        lambda b: b.shipments.create, body(CreateShipment), render=views.shipment, audited=True, status=201
    ),
    "shipments.delete": verb(lambda b: b.shipments.delete, SHIPMENT_ID, audited=True),
    "shipments.list_for_order": verb(lambda b: b.shipments.for_order, ORDER_ID, render=each(views.shipment)),
    "shipments.get_for_order_and_vendor": verb(
        lambda b: b.shipments.for_order_and_vendor, ORDER_ID, path("vendor_id"), render=views.shipment
    ),
    "shipments.get_for_order_item": verb(
        lambda b: b.shipments.for_order_item, ITEM_ID, render=views.shipment
    ),
    "shipments.search": verb(
        lambda b: b.shipments.search, query(SHIPMENT_FILTERS), render=listing(views.shipment)
    ),
    "shipments.cancel": verb(
        lambda b: b.shipments.cancel,
        SHIPMENT_ID,
        body(CancelShipment),
        render=views.shipment,
        audited=True,
    ),
    "shipments.unassign_items": verb(
        lambda b: b.shipments.unassign,
        SHIPMENT_ID,
        body(UnassignItems),
        render=views.shipment,
        audited=True,
    ),
    "shipments.resubmit": verb(
        lambda b: b.shipments.resubmit, SHIPMENT_ID, render=views.shipment, audited=True
    ),
    "shipments.retry_polling": verb(
        lambda b: b.shipments.retry_polling, SHIPMENT_ID, render=views.shipment, audited=True
    ),
    "shipments.reroute": verb(
        lambda b: b.shipments.reroute, body(Reroute), render=views.reroute, audited=True
    ),
    "shipments.reroute_bulk": bulk(
        Reroute,
        lambda call, entry: call.backend.shipments.reroute(entry, actor=call.principal).shipment,
        entry_status=200,
        message="rerouted",
    ),
    "shipments.reject": verb(
        lambda b: b.shipments.reject, SHIPMENT_ID, body(Reject), render=views.shipment, audited=True
    ),
    "shipments.assign": verb(
        lambda b: b.shipments.assign, SHIPMENT_ID, body(Assign), render=views.shipment, audited=True
    ),
    "shipments.create_packages": verb(
        lambda b: b.shipments.create_packages,
        SHIPMENT_ID,
        body(CreatePackages),
        render=_packages,
        audited=True,
        status=201,
    ),
    "shipments.update_package": verb(
        lambda b: b.shipments.update_package,
        PACKAGE_ID,
        body(UpdatePackage),
        render=views.package,
        audited=True,
    ),
    "shipments.audit_logs": verb(lambda b: b.shipments.audit_logs, SHIPMENT_ID, render=_AUDIT),
    "shipments.package_audit_logs": verb(lambda b: b.shipments.package_audit_logs, PACKAGE_ID, render=_AUDIT),
    "shipments.message_audit_logs": verb(
        lambda b: b.shipments.message_audit_logs, SHIPMENT_ID, render=_AUDIT
    ),
    "packing_slips.generate": RegisteredHandler(_packing_slip, 201),
    # --- Notes ----------------------------------------------------------------------------------
    "notes.create": verb(
        lambda b: b.notes.create, body(CreateNote), render=views.note, audited=True, status=201
    ),
    "notes.list": verb(lambda b: b.notes.search, query(NOTE_FILTERS), render=listing(views.note)),
    "notes.get": verb(lambda b: b.notes.get, NOTE_ID, render=views.note),
    "notes.update": verb(
        lambda b: b.notes.update, NOTE_ID, body(UpdateNote), render=views.note, audited=True
    ),
    "notes.delete": verb(lambda b: b.notes.delete, NOTE_ID, audited=True),
    "notes.audit_logs": verb(lambda b: b.notes.audit_logs, NOTE_ID, render=_AUDIT),
    # --- Catalog --------------------------------------------------------------------------------
    "catalog.list_variants": verb(lambda b: b.catalog.variants, render=listing(views.variant)),
    "catalog.replace": verb(lambda b: b.catalog.replace, body(MerchantCatalog), render=_as_is),
    "catalog.patch": verb(lambda b: b.catalog.patch, body(MerchantCatalogPatch), render=_as_is),
    "catalog.add_variants": verb(lambda b: b.catalog.add_variants, body(AddVariants), render=_as_is),
}
"""Every handler by endpoint name."""

for _name in OPERATIONS:
    endpoint(_name)  # a misspelt name fails at import, naming the known ones
