"""Shipment bodies: reroute (``Reroute``, shipments.md §4.9-4.11), the shipment actions, packages, packing slips."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from airflow_provider_ordermesh.sandbox.backend.bodies.fields import Id, Quantity, Reason, Text, Url, WireBody


class ItemQuantity(WireBody):
    """``RerouteOrderItem`` (§4.10) and its like: an order item and how many of it."""

    id: Id
    quantity: Quantity


class Reroute(WireBody):
    """``Reroute`` (§4.9), alone or as an entry of ``RerouteBulkModel``."""

    shipmentId: Id
    facilityId: Id
    reason: Reason
    orderItems: list[ItemQuantity] | None = Field(default=None, min_length=1)


class Reject(WireBody):
    reason: Reason


class Assign(WireBody):
    facilityId: Id
    vendorId: Id | None = None


class UnassignItems(WireBody):
    orderItems: list[ItemQuantity] = Field(min_length=1)
    reason: Reason | None = None


class CancelShipment(WireBody):
    reason: Reason | None = None


class CreateShipment(WireBody):
    """A shipment for chosen items of an order at a facility (reconstructed)."""

    orderId: Id
    facilityId: Id
    vendorId: Id | None = None
    orderItems: list[ItemQuantity] = Field(min_length=1)


class UpdateShipment(WireBody):
    shippingMethod: Text | None = None
    isPollingStopped: bool | None = None


class PackageDetails(WireBody):
    """A package to record: the writable fields of ``PackageDTO`` (§4.2)."""

    carrierName: Text
    carrierMethodName: Text | None = None
    carrierTrackingNumber: Text | None = None
    carrierLink: Url | None = None
    carrierAccount: bool | None = None
    shippedDate: str | None = None
    fulfilledDate: str | None = None
    orderItemIDs: list[str] | None = None


class CreatePackages(WireBody):
    packages: list[PackageDetails] = Field(min_length=1, max_length=100)


class UpdatePackage(WireBody):
    carrierName: Text | None = None
    carrierMethodName: Text | None = None
    carrierTrackingNumber: Text | None = None
    carrierLink: Url | None = None
    shippedDate: str | None = None
    fulfilledDate: str | None = None


class GeneratePackingSlip(WireBody):
    format: Literal["pdf", "html"] = "pdf"
