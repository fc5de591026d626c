"""Resource groups of the client, one per part of the API, each declared once for both clients."""

from airflow_provider_ordermesh.client.resources.catalog import AsyncCatalog, Catalog
from airflow_provider_ordermesh.client.resources.notes import AsyncNotes, Notes
from airflow_provider_ordermesh.client.resources.order_items import AsyncOrderItems, OrderItems
from airflow_provider_ordermesh.client.resources.orders import AsyncOrders, Orders
from airflow_provider_ordermesh.client.resources.packing_slips import AsyncPackingSlips, PackingSlips
from airflow_provider_ordermesh.client.resources.shipments import AsyncShipments, Shipments

__all__ = [
    "AsyncCatalog",
    "AsyncNotes",
    "AsyncOrderItems",
    "AsyncOrders",
    "AsyncPackingSlips",
    "AsyncShipments",
    "Catalog",
    "Notes",
    "OrderItems",
    "Orders",
    "PackingSlips",
    "Shipments",
]
