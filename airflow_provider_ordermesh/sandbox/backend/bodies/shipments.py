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

    shipment_id: Id
    facility_id: Id
    reason: Reason
    order_items: list[ItemQuantity] | None = Field(default=None, min_length=1)


class Reject(WireBody):
    reason: Reason


class Assign(WireBody):
    facility_id: Id
    vendor_id: Id | None = None


class UnassignItems(WireBody):
    order_items: list[ItemQuantity] = Field(min_length=1)
    reason: Reason | None = None


class CancelShipment(WireBody):
    reason: Reason | None = None


class CreateShipment(WireBody):
    """A shipment for chosen items of an order at a facility (reconstructed)."""

    order_id: Id
    facility_id: Id
    vendor_id: Id | None = None
    order_items: list[ItemQuantity] = Field(min_length=1)


class UpdateShipment(WireBody):
    shipping_method: Text | None = None
    is_polling_stopped: bool | None = None


class PackageDetails(WireBody):
    """A package to record: the writable fields of ``PackageDTO`` (§4.2)."""

    carrier_name: Text
    carrier_method_name: Text | None = None
    carrier_tracking_number: Text | None = None
    carrier_link: Url | None = None
    carrier_account: bool | None = None
    shipped_date: str | None = None
    fulfilled_date: str | None = None
    order_item_ids: list[str] | None = Field(default=None, alias="orderItemIDs")


class CreatePackages(WireBody):
    packages: list[PackageDetails] = Field(min_length=1, max_length=100)


class UpdatePackage(WireBody):
    carrier_name: Text | None = None
    carrier_method_name: Text | None = None
    carrier_tracking_number: Text | None = None
    carrier_link: Url | None = None
    shipped_date: str | None = None
    fulfilled_date: str | None = None


class GeneratePackingSlip(WireBody):
    format: Literal["pdf", "html"] = "pdf"
