"""Shipments and packages: ``ShipmentDTO`` as read back, and the bodies of every shipment action."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from airflow_provider_ordermesh.models._base import (
    ApiModel,
    Id,
    Reason,
    RequestModel,
    ShortText,
)
from airflow_provider_ordermesh.models.common import ItemQuantity, Price
from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES


class Package(ApiModel):
    """``PackageDTO``: a physical parcel of a shipment, with carrier and tracking."""

    id: str | None = None
    short_id: str | None = None
    shipment_id: str | None = None
    carrier_name: str | None = None
    carrier_method_name: str | None = None
    shipped_date: str | None = None
    fulfilled_date: str | None = None
    carrier_tracking_number: str | None = None
    carrier_link: str | None = None
    carrier_account: bool | None = None
    order_item_ids: list[str] = Field(default_factory=list, alias="orderItemIDs")
    package_order_items: list[dict[str, Any]] = Field(default_factory=list)
    packing_slip_id: str | None = None


class ShipmentOrderItem(ApiModel):
    """``OrderItemDTO`` as embedded in a shipment."""

    id: str | None = None
    sku: str | None = None
    vendor_sku: str | None = None
    quantity: int | None = None
    merchant_price: Price | None = None
    price: Price | None = None
    short_id: str | None = None
    status: int | str | None = None


class Shipment(ApiModel):
    """``ShipmentDTO``: ``shipment_status`` is an integer code; see ``models.statuses``."""

    id: str
    short_id: str | None = None
    merchant_id: str | None = None
    vendor_id: str | None = None
    vendor_name: str | None = None
    facility_id: str | None = None
    facility_name: str | None = None
    order_id: str | None = None
    order_external_id: str | None = None
    safe_id: str | None = None
    shipment_status: int | None = None
    is_rejected_by_vendor: bool | None = None
    is_polling_stopped: bool | None = None
    shipping_method: str | None = None
    shipping_country_code: str | None = None
    currency_code: str | None = None
    created_date: str | None = None
    last_modified_date: str | None = None
    packages: list[Package] = Field(default_factory=list)
    order_item_ids: list[str] = Field(default_factory=list, alias="orderItemIDs")
    order_items: list[ShipmentOrderItem] = Field(default_factory=list)

    @property
    def shipment_status_name(self) -> str:
        """The name of ``shipment_status`` in the default vocabulary (``"Shipped"`` for 4, ``"Unknown"`` if absent).

        Sensors and operators that take an overridden vocabulary map the code themselves.
        """
        return DEFAULT_SHIPMENT_STATUSES.name(self.shipment_status)

    @property
    def tracking_numbers(self) -> list[str]:
        return [p.carrier_tracking_number for p in self.packages if p.carrier_tracking_number]


# ----------------------------------------------------------------------------------------------
# Actions
# ----------------------------------------------------------------------------------------------


class Reroute(RequestModel):
    """``Reroute`` (seen): move a shipment, or some item quantities of it, to another facility."""

    shipment_id: Id
    facility_id: Id
    reason: Reason
    order_items: list[ItemQuantity] | None = Field(default=None, min_length=1)


class RerouteResponse(ApiModel):
    """``RerouteResponse`` (reconstructed): the shipment(s) that now carry the moved items."""

    shipment_id: str
    facility_id: str | None = None
    new_shipment_ids: list[str] = Field(default_factory=list)


class Reject(RequestModel):
    """``Reject`` (reconstructed): the facility declines the shipment."""

    reason: Reason


class Assign(RequestModel):
    """``AssignDTO`` (reconstructed): assign the shipment to a vendor's facility."""

    facility_id: Id
    vendor_id: Id | None = None


class UnassignItems(RequestModel):
    """``UnassignOrderItemDTO`` (reconstructed): take item quantities off a shipment."""

    order_items: list[ItemQuantity] = Field(min_length=1)
    reason: Reason | None = None


class CancelShipment(RequestModel):
    """``CancelShipmentDto`` (reconstructed)."""

    reason: Reason | None = None


class CreateShipment(RequestModel):
    """``CreateShipmentDTO`` (reconstructed): a shipment for chosen items of an order at a facility."""

    order_id: Id
    facility_id: Id
    vendor_id: Id | None = None
    order_items: list[ItemQuantity] = Field(min_length=1)


class UpdateShipment(RequestModel):
    """``UpdateShipmentDTO`` (reconstructed)."""

    shipping_method: ShortText | None = None
    is_polling_stopped: bool | None = None


class PackageInput(RequestModel):
    """``CreatePackageDTO`` (reconstructed from ``PackageDTO``'s writable fields)."""

    carrier_name: ShortText
    carrier_method_name: ShortText | None = None
    carrier_tracking_number: ShortText | None = None
    carrier_link: str | None = Field(default=None, max_length=2048)
    carrier_account: bool | None = None
    shipped_date: str | None = None
    fulfilled_date: str | None = None
    order_item_ids: list[str] | None = Field(default=None, alias="orderItemIDs")


class CreatePackages(RequestModel):
    packages: list[PackageInput] = Field(min_length=1, max_length=100)


class CreatePackagesResponse(ApiModel):
    packages: list[Package] = Field(default_factory=list)


class UpdatePackage(RequestModel):
    """``UpdatePackageDTO`` (reconstructed)."""

    carrier_name: ShortText | None = None
    carrier_method_name: ShortText | None = None
    carrier_tracking_number: ShortText | None = None
    carrier_link: str | None = Field(default=None, max_length=2048)
    shipped_date: str | None = None
    fulfilled_date: str | None = None
