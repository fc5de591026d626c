"""``client.shipments``: read, search, reroute, reject, assign, cancel, resubmit, packages, audit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypedDict

from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import Resource, checked_id, no_content, unwrap, validated
from airflow_provider_ordermesh.models._base import OrderId, Uuid
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

_shipment = unwrap(None, Shipment)


class _ShipmentPath(TypedDict):
    """The path parameter of a shipment's endpoints, checked."""

    shipment_id: str


def _shipment_path(shipment_id: str) -> _ShipmentPath:
    return {"shipment_id": checked_id("shipmentId", shipment_id, Uuid)}


class Shipments(Resource):
    """Shipments: the part of an order that one facility produces and ships."""

    def get(self, shipment_id: str) -> Shipment:
        return self._execute(Operation.of("shipments.get", _shipment, path_params=_shipment_path(shipment_id)))

    def update(self, shipment_id: str, changes: UpdateShipment | Mapping[str, Any]) -> Shipment:
        body = validated(UpdateShipment, changes, what="shipment update").to_api()
        return self._execute(Operation.of("shipments.update", _shipment, body=body,
                                          path_params=_shipment_path(shipment_id)))

    def delete(self, shipment_id: str) -> None:
        """Delete a shipment together with its packages."""
        return self._execute(Operation.of("shipments.delete", no_content, path_params=_shipment_path(shipment_id)))

    def create(self, request: CreateShipment | Mapping[str, Any]) -> Shipment:
        """Create a shipment for chosen items of an order at a facility."""
        body = validated(CreateShipment, request, what="shipment").to_api()
        return self._execute(Operation.of("shipments.create", _shipment, body=body))

    def list_for_order(self, order_id: str) -> list[Shipment]:
        return self._execute(Operation.of(
            "shipments.list_for_order", lambda data: [Shipment.model_validate(s) for s in data.get("shipments", [])],
            path_params={"order_id": checked_id("orderId", order_id, OrderId)}))

    def get_for_order_and_vendor(self, order_id: str, vendor_id: str) -> Shipment:
        return self._execute(Operation.of(
            "shipments.get_for_order_and_vendor", _shipment,
            path_params={"order_id": checked_id("orderId", order_id, OrderId),
                         "vendor_id": checked_id("vendorId", vendor_id)}))

    def get_for_order_item(self, order_item_id: str) -> Shipment:
        return self._execute(Operation.of("shipments.get_for_order_item", _shipment,
                                          path_params={"order_item_id": checked_id("orderItemId", order_item_id)}))

    def create_packages(self, shipment_id: str, request: CreatePackages | Mapping[str, Any]) -> list[Package]:
        body = validated(CreatePackages, request, what="packages").to_api()
        return self._execute(Operation.of("shipments.create_packages",
                                          lambda data: CreatePackagesResponse.model_validate(data).packages,
                                          body=body, path_params=_shipment_path(shipment_id)))

    def update_package(self, package_id: str, changes: UpdatePackage | Mapping[str, Any]) -> Package:
        body = validated(UpdatePackage, changes, what="package update").to_api()
        return self._execute(Operation.of("shipments.update_package", unwrap(None, Package), body=body,
                                          path_params={"package_id": checked_id("packageId", package_id, Uuid)}))

    def cancel(self, shipment_id: str, reason: str | None = None) -> Shipment:
        body = validated(CancelShipment, {"reason": reason}, what="shipment cancel").to_api()
        return self._execute(Operation.of("shipments.cancel", _shipment, body=body,
                                          path_params=_shipment_path(shipment_id)))

    def unassign_items(self, shipment_id: str, request: UnassignItems | Mapping[str, Any]) -> Shipment:
        """Take item quantities off a shipment so that they can be routed again."""
        body = validated(UnassignItems, request, what="unassign request").to_api()
        return self._execute(Operation.of("shipments.unassign_items", _shipment, body=body,
                                          path_params=_shipment_path(shipment_id)))

    def resubmit(self, shipment_id: str) -> Shipment:
        """Send the shipment again to the facility it is assigned to."""
        return self._execute(Operation.of("shipments.resubmit", _shipment, path_params=_shipment_path(shipment_id)))

    def retry_polling(self, shipment_id: str) -> Shipment:
        """Restart OrderMesh's polling of the facility for this shipment's updates."""
        return self._execute(Operation.of("shipments.retry_polling", _shipment,
                                          path_params=_shipment_path(shipment_id)))

    def reroute(self, request: Reroute | Mapping[str, Any]) -> RerouteResponse:
        """Move a shipment, or some item quantities of it, to another facility."""
        body = validated(Reroute, request, what="reroute").to_api()
        return self._execute(Operation.of("shipments.reroute", RerouteResponse.model_validate, body=body))

    def reroute_bulk(self, requests: Sequence[Reroute | Mapping[str, Any]]) -> BulkResponse:
        if not requests or len(requests) > BULK_MAX_ITEMS:
            raise InvalidRequestError("bulk reroute", {"bulk": f"give 1 to {BULK_MAX_ITEMS} reroutes"})
        body = {"bulk": [validated(Reroute, r, what=f"reroute bulk.{i}").to_api() for i, r in enumerate(requests)]}
        return self._execute(Operation.of("shipments.reroute_bulk", BulkResponse.model_validate, body=body))

    def reject(self, shipment_id: str, reason: str) -> Shipment:
        body = validated(Reject, {"reason": reason}, what="reject").to_api()
        return self._execute(Operation.of("shipments.reject", _shipment, body=body,
                                          path_params=_shipment_path(shipment_id)))

    def assign(self, shipment_id: str, request: Assign | Mapping[str, Any]) -> Shipment:
        body = validated(Assign, request, what="assign").to_api()
        return self._execute(Operation.of("shipments.assign", _shipment, body=body,
                                          path_params=_shipment_path(shipment_id)))

    # --- paged reads ------------------------------------------------------------------------

    def search_page(self, filters: ShipmentSearch | Mapping[str, Any] | None = None, *, page: int = 1,
                    page_size: int = 100) -> Page[Shipment]:
        query = validated(ShipmentSearch, filters, what="shipment search").to_query()
        return self._page("shipments.search", Shipment, page=page, page_size=page_size, query=query)

    def search(self, filters: ShipmentSearch | Mapping[str, Any] | None = None, *, page_size: int = 100,
               max_items: int | None = None) -> Iterator[Shipment]:
        model = validated(ShipmentSearch, filters, what="shipment search")
        return self._iterate(lambda page: self.search_page(model, page=page, page_size=page_size), max_items)

    def search_records(self, filters: ShipmentSearch | Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every matching shipment (with its packages) as the API sent it, page by page: for exports."""
        return self._records("shipments.search", validated(ShipmentSearch, filters, what="shipment search").to_query())

    def audit_log_records(self, shipment_id: str) -> Iterator[dict[str, Any]]:
        """The shipment's audit events as the API sent them, page by page: for exports."""
        return self._records("shipments.audit_logs", **_shipment_path(shipment_id))

    def audit_logs_page(self, shipment_id: str, *, page: int = 1, page_size: int = 100) -> Page[AuditEvent]:
        return self._page("shipments.audit_logs", AuditEvent, page=page, page_size=page_size,
                          **_shipment_path(shipment_id))

    def audit_logs(self, shipment_id: str, *, max_items: int | None = None) -> Iterator[AuditEvent]:
        return self._iterate(lambda page: self.audit_logs_page(shipment_id, page=page), max_items)

    def package_audit_logs_page(self, package_id: str, *, page: int = 1, page_size: int = 100) -> Page[AuditEvent]:
        return self._page("shipments.package_audit_logs", AuditEvent, page=page, page_size=page_size,
                          package_id=checked_id("packageId", package_id, Uuid))

    def package_audit_logs(self, package_id: str, *, max_items: int | None = None) -> Iterator[AuditEvent]:
        return self._iterate(lambda page: self.package_audit_logs_page(package_id, page=page), max_items)

    def message_audit_logs_page(self, shipment_id: str, *, page: int = 1, page_size: int = 100) -> Page[AuditEvent]:
        return self._page("shipments.message_audit_logs", AuditEvent, page=page, page_size=page_size,
                          **_shipment_path(shipment_id))

    def message_audit_logs(self, shipment_id: str, *, max_items: int | None = None) -> Iterator[AuditEvent]:
        """Audit trail of the messages that carried this shipment's updates."""
        return self._iterate(lambda page: self.message_audit_logs_page(shipment_id, page=page), max_items)
