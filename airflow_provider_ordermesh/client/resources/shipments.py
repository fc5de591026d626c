"""``client.shipments``: read, search, reroute, reject, assign, cancel, resubmit, packages, audit.

Every method checks its input before sending (``InvalidRequestError``, naming the field), and
may raise an ``ApiError`` subclass for an error answer, ``TransportError`` when no answer came,
and ``UnexpectedAnswerError`` for an answer in an unknown shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airflow_provider_ordermesh.client.answers import bare, no_content, one_or_many
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import (
    AsyncGroup,
    Group,
    PagedRead,
    SyncGroup,
    api_call,
    checked_id,
    every_page,
    every_record,
    page_operation,
    paged_read,
    validated,
)
from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
from airflow_provider_ordermesh.models.common import AuditEvent, BulkResponse, Page
from airflow_provider_ordermesh.models.search import ShipmentSearch
from airflow_provider_ordermesh.models.shipments import (
    Assign,
    CancelShipment,
    CreatePackages,
    CreatePackagesResponse,
    CreateShipment,
    Package,
    Reject,
    Reroute,
    RerouteResponse,
    Shipment,
    UnassignItems,
    UpdatePackage,
    UpdateShipment,
)

_shipment = bare(Shipment)
_created_packages = bare(CreatePackagesResponse)


def _shipment_path(shipment_id: str) -> dict[str, str]:
    return {"shipment_id": checked_id("shipmentId", shipment_id)}


def _package_path(package_id: str) -> dict[str, str]:
    return {"package_id": checked_id("packageId", package_id)}


def _packages(data: Any) -> list[Package]:
    return _created_packages(data).packages


class ShipmentsApi(Group):
    """Shipments, the part of an order that one facility produces and ships; declared once for both clients."""

    @api_call
    def get(self, shipment_id: str) -> Operation[Shipment]:
        """Read one ``Shipment`` (with ``shipment_status`` and its name); 404 is ``NotFoundError``."""
        return Operation.of("shipments.get", _shipment, path_params=_shipment_path(shipment_id))

    @api_call
    def update(self, shipment_id: str, changes: UpdateShipment | Mapping[str, Any]) -> Operation[Shipment]:
        """Change a shipment's shipping method or polling; returns the updated ``Shipment``."""
        body = validated(UpdateShipment, changes, what="shipment update").to_api()
        return Operation.of("shipments.update", _shipment, body=body, path_params=_shipment_path(shipment_id))

    @api_call
    def delete(self, shipment_id: str) -> Operation[None]:
        """Delete a shipment together with its packages; returns None."""
        return Operation.of("shipments.delete", no_content, path_params=_shipment_path(shipment_id))

    @api_call
    def create(self, request: CreateShipment | Mapping[str, Any]) -> Operation[Shipment]:
        """Create a shipment for chosen items of an order at a facility; returns the new ``Shipment``."""
        body = validated(CreateShipment, request, what="shipment").to_api()
        return Operation.of("shipments.create", _shipment, body=body)

    @api_call
    def list_for_order(self, order_id: str) -> Operation[list[Shipment]]:
        """Every shipment of an order, as a list of ``Shipment``.

        The answer is read as ``{"shipments": [...]}``, a bare list, or the single ``ShipmentDTO``
        the docs' example shows; any other shape raises ``UnexpectedAnswerError``, never ``[]``.
        """
        return Operation.of(
            "shipments.list_for_order",
            one_or_many("shipments", Shipment),
            path_params={"order_id": checked_id("orderId", order_id)},
        )

    @api_call
    def get_for_order_and_vendor(self, order_id: str, vendor_id: str) -> Operation[Shipment]:
        """The ``Shipment`` (with packages) of an order at one vendor."""
        return Operation.of(
            "shipments.get_for_order_and_vendor",
            _shipment,
            path_params={
                "order_id": checked_id("orderId", order_id),
                "vendor_id": checked_id("vendorId", vendor_id),
            },
        )

    @api_call
    def get_for_order_item(self, order_item_id: str) -> Operation[Shipment]:
        """The ``Shipment`` that carries an order item."""
        return Operation.of(
            "shipments.get_for_order_item",
            _shipment,
            path_params={"order_item_id": checked_id("orderItemId", order_item_id)},
        )

    @api_call
    def create_packages(
        self, shipment_id: str, request: CreatePackages | Mapping[str, Any]
    ) -> Operation[list[Package]]:
        """Add packages (carrier, tracking) to a shipment; returns the created ``Package`` list.

        Never re-sent after a dropped connection (``OutcomeUnknownError``).
        """
        body = validated(CreatePackages, request, what="packages").to_api()
        return Operation.of(
            "shipments.create_packages", _packages, body=body, path_params=_shipment_path(shipment_id)
        )

    @api_call
    def update_package(
        self, package_id: str, changes: UpdatePackage | Mapping[str, Any]
    ) -> Operation[Package]:
        """Correct one package (tracking number, carrier, dates); returns the updated ``Package``."""
        body = validated(UpdatePackage, changes, what="package update").to_api()
        return Operation.of(
            "shipments.update_package", bare(Package), body=body, path_params=_package_path(package_id)
        )

    @api_call
    def cancel(self, shipment_id: str, reason: str | None = None) -> Operation[Shipment]:
        """Cancel a shipment; returns the cancelled ``Shipment``."""
        body = validated(CancelShipment, {"reason": reason}, what="shipment cancel").to_api()
        return Operation.of("shipments.cancel", _shipment, body=body, path_params=_shipment_path(shipment_id))

    @api_call
    def unassign_items(
        self, shipment_id: str, request: UnassignItems | Mapping[str, Any]
    ) -> Operation[Shipment]:
        """Take item quantities off a shipment so that they can be routed again; returns the ``Shipment``."""
        body = validated(UnassignItems, request, what="unassign request").to_api()
        return Operation.of(
            "shipments.unassign_items", _shipment, body=body, path_params=_shipment_path(shipment_id)
        )

    @api_call
    def resubmit(self, shipment_id: str) -> Operation[Shipment]:
        """Send the shipment again to the facility it is assigned to; returns the ``Shipment``."""
        return Operation.of("shipments.resubmit", _shipment, path_params=_shipment_path(shipment_id))

    @api_call
    def retry_polling(self, shipment_id: str) -> Operation[Shipment]:
        """Restart OrderMesh's polling of the facility for this shipment's updates; returns the ``Shipment``."""
        return Operation.of("shipments.retry_polling", _shipment, path_params=_shipment_path(shipment_id))

    @api_call
    def reroute(self, request: Reroute | Mapping[str, Any]) -> Operation[RerouteResponse]:
        """Move a shipment, or some item quantities of it, to another facility; returns a ``RerouteResponse``.

        Never re-sent after a dropped connection (``OutcomeUnknownError``).
        """
        body = validated(Reroute, request, what="reroute").to_api()
        return Operation.of("shipments.reroute", bare(RerouteResponse), body=body)

    @api_call
    def reroute_bulk(self, requests: Sequence[Reroute | Mapping[str, Any]]) -> Operation[BulkResponse]:
        """Reroute up to ``BULK_MAX_ITEMS`` shipments in one request; one ``BulkResponse`` result per entry."""
        if not requests or len(requests) > BULK_MAX_ITEMS:
            raise InvalidRequestError("bulk reroute", {"bulk": f"give 1 to {BULK_MAX_ITEMS} reroutes"})
        body = {
            "bulk": [validated(Reroute, r, what=f"reroute bulk.{i}").to_api() for i, r in enumerate(requests)]
        }
        return Operation.of("shipments.reroute_bulk", bare(BulkResponse), body=body)

    @api_call
    def reject(self, shipment_id: str, reason: str) -> Operation[Shipment]:
        """Reject a shipment (the facility declines it); returns the ``Shipment``."""
        body = validated(Reject, {"reason": reason}, what="reject").to_api()
        return Operation.of("shipments.reject", _shipment, body=body, path_params=_shipment_path(shipment_id))

    @api_call
    def assign(self, shipment_id: str, request: Assign | Mapping[str, Any]) -> Operation[Shipment]:
        """Assign a shipment to a vendor's facility; returns the ``Shipment``."""
        body = validated(Assign, request, what="assign").to_api()
        return Operation.of("shipments.assign", _shipment, body=body, path_params=_shipment_path(shipment_id))

    # --- paged reads ------------------------------------------------------------------------

    @api_call
    def search_page(
        self,
        filters: ShipmentSearch | Mapping[str, Any] | None = None,
        *,
        page: int = 1,
        page_size: int = 100,
    ) -> Operation[Page[Shipment]]:
        """One ``Page`` of the shipments matching the filters; ``status`` takes codes or names."""
        query = validated(ShipmentSearch, filters, what="shipment search").to_query()
        return page_operation("shipments.search", Shipment, page=page, page_size=page_size, query=query)

    @paged_read
    def search(
        self,
        filters: ShipmentSearch | Mapping[str, Any] | None = None,
        *,
        page_size: int = 100,
        max_items: int | None = None,
    ) -> PagedRead[Shipment]:
        """Every shipment matching the filters (at most ``max_items``), page by page.

        ``status`` takes codes or names."""
        checked = validated(ShipmentSearch, filters, what="shipment search")
        return every_page(ShipmentsApi.search_page, self, checked, page_size=page_size, max_items=max_items)

    @paged_read
    def search_records(
        self, filters: ShipmentSearch | Mapping[str, Any] | None = None
    ) -> PagedRead[dict[str, Any]]:
        """Every matching shipment as the API sent it (a plain dict), page by page: for exports."""
        query = validated(ShipmentSearch, filters, what="shipment search").to_query()
        return every_record("shipments.search", query=query)

    @api_call
    def audit_logs_page(
        self, shipment_id: str, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[AuditEvent]]:
        """One ``Page`` of a shipment's audit log."""
        return page_operation(
            "shipments.audit_logs",
            AuditEvent,
            page=page,
            page_size=page_size,
            path_params=_shipment_path(shipment_id),
        )

    @paged_read
    def audit_logs(self, shipment_id: str, *, max_items: int | None = None) -> PagedRead[AuditEvent]:
        """Every ``AuditEvent`` of a shipment, page by page."""
        _shipment_path(shipment_id)
        return every_page(ShipmentsApi.audit_logs_page, self, shipment_id, max_items=max_items)

    @paged_read
    def audit_log_records(self, shipment_id: str) -> PagedRead[dict[str, Any]]:
        """A shipment's audit events as the API sent them, page by page: for exports."""
        return every_record("shipments.audit_logs", path_params=_shipment_path(shipment_id))

    @api_call
    def package_audit_logs_page(
        self, package_id: str, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[AuditEvent]]:
        """One ``Page`` of a package's audit log."""
        return page_operation(
            "shipments.package_audit_logs",
            AuditEvent,
            page=page,
            page_size=page_size,
            path_params=_package_path(package_id),
        )

    @paged_read
    def package_audit_logs(self, package_id: str, *, max_items: int | None = None) -> PagedRead[AuditEvent]:
        """Every ``AuditEvent`` of a package, page by page."""
        _package_path(package_id)
        return every_page(ShipmentsApi.package_audit_logs_page, self, package_id, max_items=max_items)

    @api_call
    def message_audit_logs_page(
        self, shipment_id: str, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[AuditEvent]]:
        """One ``Page`` of the audit trail of the messages that carried a shipment's updates."""
        return page_operation(
            "shipments.message_audit_logs",
            AuditEvent,
            page=page,
            page_size=page_size,
            path_params=_shipment_path(shipment_id),
        )

    @paged_read
    def message_audit_logs(self, shipment_id: str, *, max_items: int | None = None) -> PagedRead[AuditEvent]:
        """Every ``AuditEvent`` of the messages that carried this shipment's updates, page by page."""
        _shipment_path(shipment_id)
        return every_page(ShipmentsApi.message_audit_logs_page, self, shipment_id, max_items=max_items)


class Shipments(ShipmentsApi, SyncGroup):
    """``client.shipments`` of ``OrderMeshClient``."""


class AsyncShipments(ShipmentsApi, AsyncGroup):
    """``client.shipments`` of ``AsyncOrderMeshClient``: the same methods, awaited."""
