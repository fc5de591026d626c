"""Every OrderMesh API path, written once.

The client, the sandbox and the tests all read this table, so a corrected path is a one-line
change. ``confirmed`` says whether the public docs show the method and path exactly; the rest
are reconstructed from operation titles and schema names (see the README's API coverage table).

``response_key`` names the key that wraps the answer (``{"order": {...}}``), if any; ``paged``
marks list and search operations, which take ``page``/``pageSize`` and answer
``{<response_key>: [...], "page", "pageSize", "totalCount"}``.

``retry_safe`` says whether a request may be re-sent after its outcome became unknown (the
connection dropped after the request left). Reads, PUT/PATCH/DELETE of a known resource and
creates carrying a ``safeId`` are safe; refunds and other money- or state-changing POSTs are not,
nor are actions that OrderMesh refuses once applied (a second reject, assign or shipment cancel is a
409): their operators read what happened instead.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote


@dataclass(frozen=True)
class Endpoint:
    """One API operation: its name, HTTP method, path template and what we know of it."""

    name: str
    method: str
    path: str
    title: str
    confirmed: bool = False
    confirmed_in: str | None = None
    """The environment whose docs confirm method and path, when it is not production (e.g. ``"QA"``)."""
    retry_safe: bool = True
    authenticated: bool = True
    response_key: str | None = None
    paged: bool = False

    def format_path(self, **path_params: str) -> str:
        """Fill the path template, URL-quoting each id so that no id can escape its segment."""
        quoted = {key: quote(str(value), safe="") for key, value in path_params.items()}
        return self.path.format(**quoted)

    @property
    def path_params(self) -> tuple[str, ...]:
        """Names of the ``{placeholders}`` in the path, in order (the probe asks for ids by them)."""
        return tuple(field for _, field, _, _ in string.Formatter().parse(self.path) if field)


def _ep(name: str, method: str, path: str, title: str, **kw: Any) -> Endpoint:
    return Endpoint(name=name, method=method, path=path, title=title, **kw)


_ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    # --- Auth -----------------------------------------------------------------------------
    _ep(
        "auth.client_token",
        "POST",
        "/user/v1/clients/token",
        "Generate service client access token",
        confirmed=True,
        authenticated=False,
    ),
    _ep(
        "auth.login",
        "POST",
        "/user/v1/login",
        "Login user by username and password",
        confirmed=True,
        authenticated=False,
    ),
    _ep(
        "auth.refresh", "POST", "/user/v1/login/refresh", "Login user with refresh token", authenticated=False
    ),
    # --- Orders ---------------------------------------------------------------------------
    _ep("orders.create", "POST", "/v1/orders", "Create a New Order", confirmed=True),
    _ep("orders.search", "GET", "/v1/orders/search", "Search for orders", response_key="orders", paged=True),
    _ep("orders.create_bulk", "POST", "/v1/orders/bulk", "Create multiple orders"),
    _ep("orders.retrieve_bulk", "GET", "/v1/orders/bulk", "Retrieve multiple orders", response_key="orders"),
    _ep("orders.update_bulk", "PATCH", "/v1/orders/bulk", "Update multiple orders"),
    _ep("orders.list", "GET", "/v1/orders", "Retrieve a list of orders", response_key="orders", paged=True),
    _ep("orders.get", "GET", "/v1/orders/{order_id}", "Retrieve an order by Order ID", response_key="order"),
    _ep("orders.update", "PATCH", "/v1/orders/{order_id}", "Update order data", response_key="order"),
    _ep(
        "orders.get_by_safe_id",
        "GET",
        "/v1/orders/safe/{safe_id}",
        "Retrieve an order by Safe ID",
        response_key="order",
    ),
    _ep(
        "orders.get_item",
        "GET",
        "/v1/orders/items/{order_item_id}",
        "Retrieve order item by Order Item ID",
        response_key="orderItem",
    ),
    _ep(
        "orders.update_item",
        "PATCH",
        "/v1/orders/{order_id}/items/{order_item_id}",
        "Update an item within an order",
        response_key="orderItem",
    ),
    _ep(
        "orders.cancel",
        "POST",
        "/v1/orders/cancel",
        "Cancel Order or order items",
        retry_safe=False,
        response_key="order",
    ),
    _ep(
        "orders.customer_care_hold",
        "POST",
        "/v1/orders/{order_id}/customerCareHold",
        "Change the order status to Customer Care Hold",
        response_key="order",
    ),
    _ep(
        "orders.audit_logs",
        "GET",
        "/v1/orders/{order_id}/auditLogs",
        "Retrieve audit logs for a specific order",
        response_key="auditLogs",
        paged=True,
    ),
    _ep(
        "orders.item_audit_logs",
        "GET",
        "/v1/orders/{order_id}/items/{order_item_id}/auditLogs",
        "Retrieve audit logs for a specific order item",
        response_key="auditLogs",
        paged=True,
    ),
    _ep(
        "orders.refund", "POST", "/v1/orders/refund", "Add a Refund Request", confirmed=True, retry_safe=False
    ),
    _ep(
        "orders.submit_inbound",
        "POST",
        "/v1/inbound/orders",
        "Submit an order in your own format (async, via a Transformation)",
        confirmed=True,
        retry_safe=False,
    ),
    # --- OrderItems -----------------------------------------------------------------------
    _ep(
        "order_items.search",
        "GET",
        "/v1/orderItems/search",
        "Search for order items",
        response_key="orderItems",
        paged=True,
    ),
    # --- Shipments ------------------------------------------------------------------------
    _ep(
        "shipments.get",
        "GET",
        "/shipment/v1/{shipment_id}",
        "Get details of a specific shipment by Shipment ID",
        confirmed=True,
    ),
    _ep(
        "shipments.update",
        "PATCH",
        "/shipment/v1/{shipment_id}",
        "Update details of a specific shipment by Shipment ID",
    ),
    _ep(
        "shipments.create_packages",
        "POST",
        "/shipment/v1/{shipment_id}/packages",
        "Create packages for a specific shipment",
        retry_safe=False,
    ),
    _ep("shipments.delete", "DELETE", "/shipment/v1/{shipment_id}", "Delete shipment with packages"),
    _ep(
        "shipments.list_for_order",
        "GET",
        "/shipment/v1/order/{order_id}",
        "Get all shipments for an order by Order ID",
        response_key="shipments",
    ),
    _ep(
        "shipments.create",
        "POST",
        "/shipment/v1",
        "Create shipment for order, vendor, and order items",
        retry_safe=False,
    ),
    _ep(
        "shipments.get_for_order_and_vendor",
        "GET",
        "/shipment/v1/order/{order_id}/vendor/{vendor_id}",
        "Get shipment with packages for order and vendor",
    ),
    _ep(
        "shipments.get_for_order_item",
        "GET",
        "/shipment/v1/orderItem/{order_item_id}",
        "Get shipment details by Order Item ID",
    ),
    _ep(
        "shipments.update_package",
        "PATCH",
        "/shipment/v1/packages/{package_id}",
        "Update a specific shipment package",
    ),
    _ep(
        "shipments.cancel", "PATCH", "/shipment/v1/{shipment_id}/cancel", "Cancel shipment", retry_safe=False
    ),
    _ep(
        "shipments.unassign_items",
        "POST",
        "/shipment/v1/{shipment_id}/unassign",
        "Unassign items to shipment",
        retry_safe=False,
    ),
    _ep(
        "shipments.resubmit",
        "POST",
        "/shipment/v1/{shipment_id}/resubmit",
        "Shipment resubmission to assigned facility",
    ),
    _ep(
        "shipments.retry_polling",
        "POST",
        "/shipment/v1/{shipment_id}/retryPolling",
        "Retry outbound polling (publishes an OutboundShipmentUpdate event)",
    ),
    _ep(
        "shipments.search",
        "GET",
        "/shipment/v1/search",
        "Search shipments",
        response_key="shipments",
        paged=True,
    ),
    _ep("shipments.reroute", "POST", "/shipment/v1/reroute", "Reroute shipment", retry_safe=False),
    _ep(
        "shipments.reject",
        "POST",
        "/shipment/v1/{shipment_id}/reject",
        "Rejects a shipment",
        retry_safe=False,
    ),
    _ep(
        "shipments.reroute_bulk",
        "POST",
        "/shipment/v1/reroute/bulk",
        "Bulk reroute shipments",
        retry_safe=False,
    ),
    _ep(
        "shipments.audit_logs",
        "GET",
        "/shipment/v1/{shipment_id}/auditLogs",
        "Get shipment audit logs",
        response_key="auditLogs",
        paged=True,
    ),
    _ep(
        "shipments.package_audit_logs",
        "GET",
        "/shipment/v1/packages/{package_id}/auditLogs",
        "Get package audit logs",
        response_key="auditLogs",
        paged=True,
    ),
    _ep(
        "shipments.message_audit_logs",
        "GET",
        "/shipment/v1/{shipment_id}/messages/auditLogs",
        "Get message audit logs for shipment updates",
        response_key="auditLogs",
        paged=True,
    ),
    _ep("shipments.assign", "POST", "/shipment/v1/{shipment_id}/assign", "Assign Shipment", retry_safe=False),
    # --- Packing slips --------------------------------------------------------------------
    _ep(
        "packing_slips.generate",
        "POST",
        "/shipment/v1/{shipment_id}/packingSlip",
        "Generate a packing slip for a shipment by Shipment ID",
    ),
    # --- Notes ----------------------------------------------------------------------------
    _ep(
        "notes.create",
        "POST",
        "/v1/notes",
        "Create a note",
        confirmed=True,
        retry_safe=False,
        response_key="note",
    ),
    _ep("notes.list", "GET", "/v1/notes", "List notes", confirmed=True, response_key="notes", paged=True),
    _ep("notes.get", "GET", "/v1/notes/{note_id}", "Get a note", confirmed=True, response_key="note"),
    _ep("notes.update", "PUT", "/v1/notes/{note_id}", "Update a note", confirmed=True, response_key="note"),
    _ep("notes.delete", "DELETE", "/v1/notes/{note_id}", "Delete a note", confirmed=True),
    _ep(
        "notes.audit_logs",
        "GET",
        "/v1/notes/{note_id}/auditLogs",
        "Note audit logs",
        confirmed=True,
        response_key="auditLogs",
        paged=True,
    ),
    # --- Catalog --------------------------------------------------------------------------
    _ep(
        "catalog.list_variants",
        "GET",
        "/catalog/v1/merchantCatalog/effective/variants/list",
        "Effective catalog variants (paged)",
        confirmed=True,
        response_key="variants",
        paged=True,
    ),
    _ep("catalog.replace", "PUT", "/catalog/v1/merchantCatalog", "Update a merchant catalog", confirmed=True),
    _ep(
        "catalog.patch",
        "PATCH",
        "/catalog/v1/merchantCatalog",
        "Partially update a merchant catalog",
        confirmed=True,
        confirmed_in="QA",
    ),
    # Path from the prod docs; POST inferred from their curl example, which sends a body.
    _ep(
        "catalog.add_variants",
        "POST",
        "/catalog/v1/merchantVariants",
        "Add new variants to a merchant catalog",
        retry_safe=False,
    ),
)

ENDPOINTS: Final[dict[str, Endpoint]] = {endpoint.name: endpoint for endpoint in _ENDPOINTS}
"""All operations by name, e.g. ``ENDPOINTS["orders.refund"]``."""


def endpoint(name: str) -> Endpoint:
    """Look up one operation by name, with a clear error for a typo."""
    try:
        return ENDPOINTS[name]
    except KeyError:
        raise KeyError(
            f"unknown OrderMesh endpoint {name!r}; known: {', '.join(sorted(ENDPOINTS))}"
        ) from None
