"""Pydantic v2 models of the OrderMesh API, and its status vocabularies. No I/O, no Airflow."""

from airflow_provider_ordermesh.models.auth import TokenResponse
from airflow_provider_ordermesh.models.catalog import MerchantCatalog, Variant
from airflow_provider_ordermesh.models.common import (
    Address,
    AddressInput,
    AuditEvent,
    BulkResponse,
    BulkResultItem,
    ItemQuantity,
    Page,
    Price,
)
from airflow_provider_ordermesh.models.errors import ErrorBody
from airflow_provider_ordermesh.models.notes import CreateNote, Note, UpdateNote
from airflow_provider_ordermesh.models.orders import (
    AddRefund,
    BulkUpdateOrder,
    CancelItem,
    CancelOrder,
    CreateOrder,
    CreateOrderResponse,
    CustomerCareHold,
    InboundOrder,
    InboundOrderReceipt,
    Order,
    OrderItem,
    RefundItem,
    UpdateOrder,
    UpdateOrderItem,
)
from airflow_provider_ordermesh.models.packing_slips import GeneratePackingSlip, PackingSlip
from airflow_provider_ordermesh.models.search import NoteFilter, OrderItemSearch, OrderSearch, ShipmentSearch
from airflow_provider_ordermesh.models.shipments import (
    Assign,
    CancelShipment,
    CreatePackages,
    CreatePackagesResponse,
    CreateShipment,
    Package,
    PackageInput,
    Reject,
    Reroute,
    RerouteResponse,
    Shipment,
    UnassignItems,
    UpdatePackage,
    UpdateShipment,
)
from airflow_provider_ordermesh.models.statuses import (
    DEFAULT_ORDER_STATUSES,
    DEFAULT_SHIPMENT_STATUSES,
    OrderStatuses,
    ShipmentStatuses,
    UnknownStatusError,
)
from airflow_provider_ordermesh.models.webhooks import WebhookEvent

__all__ = [name for name in dir() if not name.startswith("_")]
