"""Pydantic v2 models of the OrderMesh API, and its status vocabularies. No I/O, no Airflow.

Names load on first use (PEP 562), as in ``client``: importing one small module (``models.statuses``,
``models._base``) does not build every model, which DAG parsing would pay for.

Each public name is written once, as a ``from <module> import <Name> as <Name>`` line in the
``TYPE_CHECKING`` block below: type checkers read the imports, ``_lazy.lazy_facade`` reads the
same lines to load each name on first use and to answer ``__all__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_provider_ordermesh._lazy import lazy_facade

if TYPE_CHECKING:
    from airflow_provider_ordermesh.models._base import Id as Id
    from airflow_provider_ordermesh.models._base import id_problem as id_problem
    from airflow_provider_ordermesh.models.auth import TokenResponse as TokenResponse
    from airflow_provider_ordermesh.models.catalog import AddVariants as AddVariants
    from airflow_provider_ordermesh.models.catalog import AddVariantsResult as AddVariantsResult
    from airflow_provider_ordermesh.models.catalog import MerchantCatalog as MerchantCatalog
    from airflow_provider_ordermesh.models.catalog import MerchantCatalogPatch as MerchantCatalogPatch
    from airflow_provider_ordermesh.models.catalog import Variant as Variant
    from airflow_provider_ordermesh.models.common import Address as Address
    from airflow_provider_ordermesh.models.common import AddressInput as AddressInput
    from airflow_provider_ordermesh.models.common import AuditEvent as AuditEvent
    from airflow_provider_ordermesh.models.common import BulkResponse as BulkResponse
    from airflow_provider_ordermesh.models.common import BulkResultItem as BulkResultItem
    from airflow_provider_ordermesh.models.common import ItemQuantity as ItemQuantity
    from airflow_provider_ordermesh.models.common import Page as Page
    from airflow_provider_ordermesh.models.common import Price as Price
    from airflow_provider_ordermesh.models.errors import ErrorBody as ErrorBody
    from airflow_provider_ordermesh.models.errors import FieldError as FieldError
    from airflow_provider_ordermesh.models.notes import CreateNote as CreateNote
    from airflow_provider_ordermesh.models.notes import Note as Note
    from airflow_provider_ordermesh.models.notes import UpdateNote as UpdateNote
    from airflow_provider_ordermesh.models.orders import AddRefund as AddRefund
    from airflow_provider_ordermesh.models.orders import BulkUpdateOrder as BulkUpdateOrder
    from airflow_provider_ordermesh.models.orders import CancelItem as CancelItem
    from airflow_provider_ordermesh.models.orders import CancelOrder as CancelOrder
    from airflow_provider_ordermesh.models.orders import CreateOrder as CreateOrder
    from airflow_provider_ordermesh.models.orders import CreateOrderResponse as CreateOrderResponse
    from airflow_provider_ordermesh.models.orders import CustomerCareHold as CustomerCareHold
    from airflow_provider_ordermesh.models.orders import InboundOrder as InboundOrder
    from airflow_provider_ordermesh.models.orders import InboundOrderReceipt as InboundOrderReceipt
    from airflow_provider_ordermesh.models.orders import Order as Order
    from airflow_provider_ordermesh.models.orders import OrderItem as OrderItem
    from airflow_provider_ordermesh.models.orders import RefundItem as RefundItem
    from airflow_provider_ordermesh.models.orders import UpdateOrder as UpdateOrder
    from airflow_provider_ordermesh.models.orders import UpdateOrderItem as UpdateOrderItem
    from airflow_provider_ordermesh.models.packing_slips import GeneratePackingSlip as GeneratePackingSlip
    from airflow_provider_ordermesh.models.packing_slips import PackingSlip as PackingSlip
    from airflow_provider_ordermesh.models.search import NoteFilter as NoteFilter
    from airflow_provider_ordermesh.models.search import OrderItemSearch as OrderItemSearch
    from airflow_provider_ordermesh.models.search import OrderSearch as OrderSearch
    from airflow_provider_ordermesh.models.search import ShipmentSearch as ShipmentSearch
    from airflow_provider_ordermesh.models.shipments import Assign as Assign
    from airflow_provider_ordermesh.models.shipments import CancelShipment as CancelShipment
    from airflow_provider_ordermesh.models.shipments import CreatePackages as CreatePackages
    from airflow_provider_ordermesh.models.shipments import CreatePackagesResponse as CreatePackagesResponse
    from airflow_provider_ordermesh.models.shipments import CreateShipment as CreateShipment
    from airflow_provider_ordermesh.models.shipments import Package as Package
    from airflow_provider_ordermesh.models.shipments import PackageInput as PackageInput
    from airflow_provider_ordermesh.models.shipments import Reject as Reject
    from airflow_provider_ordermesh.models.shipments import Reroute as Reroute
    from airflow_provider_ordermesh.models.shipments import RerouteResponse as RerouteResponse
    from airflow_provider_ordermesh.models.shipments import Shipment as Shipment
    from airflow_provider_ordermesh.models.shipments import UnassignItems as UnassignItems
    from airflow_provider_ordermesh.models.shipments import UpdatePackage as UpdatePackage
    from airflow_provider_ordermesh.models.shipments import UpdateShipment as UpdateShipment
    from airflow_provider_ordermesh.models.statuses import DEFAULT_ORDER_STATUSES as DEFAULT_ORDER_STATUSES
    from airflow_provider_ordermesh.models.statuses import (
        DEFAULT_SHIPMENT_STATUSES as DEFAULT_SHIPMENT_STATUSES,
    )
    from airflow_provider_ordermesh.models.statuses import OrderStatuses as OrderStatuses
    from airflow_provider_ordermesh.models.statuses import ShipmentStatuses as ShipmentStatuses
    from airflow_provider_ordermesh.models.statuses import UnknownStatusError as UnknownStatusError
    from airflow_provider_ordermesh.models.webhooks import WebhookEvent as WebhookEvent

__getattr__ = lazy_facade(__name__, __file__)
