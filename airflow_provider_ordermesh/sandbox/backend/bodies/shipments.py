"""Shipment bodies: reroute (``Reroute``, shipments.md §4.9-4.11), the shipment actions, packages, packing slips."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from airflow_provider_ordermesh.sandbox.backend.bodies.fields import (
    Id,
    Link,
    Quantity,
    Reason,
    Text,
    WireBody,
)


class ItemQuantity(WireBody):
    """``RerouteOrderItem`` (§4.10) and its like: an order item and how many of it."""

    id: Id
    quantity: Quantity


class Reroute(WireBody):
    """``Reroute`` (§4.9), alone or as an entry of ``RerouteBulkModel``."""

    shipment_id: Id = Field(alias="shipmentId")
    facility_id: Id = Field(alias="facilityId")
    reason: Reason
    order_items: list[ItemQuantity] | None = Field(alias="orderItems", default=None, min_length=1)


class Reject(WireBody):
    reason: Reason


class Assign(WireBody):
    facility_id: Id = Field(alias="facilityId")
    vendor_id: Id | None = Field(None, alias="vendorId")


class UnassignItems(WireBody):
    order_items: list[ItemQuantity] = Field(alias="orderItems", min_length=1)
    reason: Reason | None = None


class CancelShipment(WireBody):
    reason: Reason | None = None


class CreateShipment(WireBody):
    """A shipment for chosen items of an order at a facility (reconstructed)."""

    order_id: Id = Field(alias="orderId")
    facility_id: Id = Field(alias="facilityId")
    vendor_id: Id | None = Field(None, alias="vendorId")
    order_items: list[ItemQuantity] = Field(alias="orderItems", min_length=1)


class UpdateShipment(WireBody):
    shipping_method: Text | None = Field(None, alias="shippingMethod")
    is_polling_stopped: bool | None = Field(None, alias="isPollingStopped")


class UpdatePackage(WireBody):
    """What may change on a recorded package: the carrier and tracking fields of ``PackageDTO`` (§4.2)."""

    carrier_name: Text | None = Field(None, alias="carrierName")
    carrier_method_name: Text | None = Field(None, alias="carrierMethodName")
    carrier_tracking_number: Text | None = Field(None, alias="carrierTrackingNumber")
    carrier_link: Link | None = Field(None, alias="carrierLink")
    shipped_date: str | None = Field(None, alias="shippedDate")
    fulfilled_date: str | None = Field(None, alias="fulfilledDate")


class PackageDetails(UpdatePackage):
    """A package to record: those fields with the carrier required, its account and the items it holds."""

    carrier_name: Text = Field(alias="carrierName")
    carrier_account: bool | None = Field(None, alias="carrierAccount")
    order_item_ids: list[str] | None = Field(None, alias="orderItemIDs")


class CreatePackages(WireBody):
    packages: list[PackageDetails] = Field(min_length=1, max_length=100)


class GeneratePackingSlip(WireBody):
    format: Literal["pdf", "html"] = "pdf"
