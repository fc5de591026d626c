"""What each exportable resource reads from the API for a window, and its documented columns.

Each resource streams plain JSON records exactly as the API sent them (unknown fields kept), one
page at a time at the API's largest page size (``client.<group>.search_records``). The columns are
the documented, fixed column list of the CSV and Parquet formats: it does not change with the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from airflow_provider_ordermesh.transfers.window import Window

Record = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One CSV/Parquet column: its name, the record key it reads, and its type."""

    name: str
    kind: str = "string"  # string | int | float | bool | json
    key: str | None = None

    @property
    def source(self) -> str:
        return self.key or self.name


def _cols(spec: str) -> tuple[Column, ...]:
    """``"id shortId quantity:int items:json"`` into columns."""
    columns = []
    for token in spec.split():
        name, _, kind = token.partition(":")
        columns.append(Column(name, kind or "string"))
    return tuple(columns)


def _window_filters(window: Window, *, open_ended: bool = False) -> dict[str, str]:
    filters = {"updatedSince": window.since.isoformat()}
    if not open_ended:
        filters["updatedBefore"] = window.before.isoformat()
    return filters


def _orders(client: Any, window: Window, open_ended: bool = False) -> Iterator[Record]:
    return client.orders.search_records(_window_filters(window, open_ended=open_ended))


def _order_items(client: Any, window: Window) -> Iterator[Record]:
    return client.order_items.search_records(_window_filters(window))


def _shipments(client: Any, window: Window, open_ended: bool = False) -> Iterator[Record]:
    return client.shipments.search_records(_window_filters(window, open_ended=open_ended))


def _audit_logs(
    search: Callable[..., Iterator[Record]], owner_key: str, read: Callable[[Any, str], Iterator[Any]]
) -> Callable[[Any, Window], Iterator[Record]]:
    """Audit events made in the window, read from the objects updated since the window began.

    The API has audit logs per order and per shipment only. An object with an event in the window
    was last updated at or after that event, so walking the objects updated since the window's
    start finds every such event, even when a later change moved the object out of the window;
    keeping events by their own ``createdAt`` means a re-export yields the same events and
    consecutive windows never repeat one.
    """

    def export(client: Any, window: Window) -> Iterator[Record]:
        for owner in search(client, window, open_ended=True):
            for event in read(client, owner["id"]):
                if window.contains(event.get("createdAt")):
                    yield {owner_key: owner["id"], **event}

    return export


@dataclass(frozen=True)
class ExportResource:
    """An exportable resource: how to read a window of it, and its CSV/Parquet columns."""

    name: str
    read: Callable[[Any, Window], Iterator[Record]]
    columns: tuple[Column, ...]
    dataset: str
    """The resource's name in ``ordermesh://`` URIs and OpenLineage datasets (``assets``)."""


_AUDIT = "id action description oldValue newValue createdAt resource:json user:json"

RESOURCES: dict[str, ExportResource] = {
    r.name: r
    for r in (
        ExportResource(
            "orders",
            _orders,
            _cols(
                "id shortId safeId externalId merchantId status statusDesc currencyCode isTest:bool "
                "createdAt updatedAt items:json shipmentIds:json shippingAddress:json merchantTotal:json"
            ),
            "orders",
        ),
        ExportResource(
            "order_items",
            _order_items,
            _cols(
                "id shortId externalId sku quantity:int status statusDesc createdAt updatedAt processedAt "
                "cancelledAt options:json images:json"
            ),
            "order_items",
        ),
        ExportResource(
            "shipments",
            _shipments,
            _cols(
                "id shortId orderId orderExternalId safeId vendorId facilityId facilityName shipmentStatus:int "
                "isRejectedByVendor:bool shippingMethod shippingCountryCode createdDate lastModifiedDate "
                "packages:json orderItemIDs:json"
            ),
            "shipments",
        ),
        ExportResource(
            "order_audit_logs",
            _audit_logs(_orders, "orderId", lambda c, i: c.orders.audit_log_records(i)),
            _cols(f"orderId {_AUDIT}"),
            "orders/audit_logs",
        ),
        ExportResource(
            "shipment_audit_logs",
            _audit_logs(_shipments, "shipmentId", lambda c, i: c.shipments.audit_log_records(i)),
            _cols(f"shipmentId {_AUDIT}"),
            "shipments/audit_logs",
        ),
    )
}
"""Every exportable resource by name."""
