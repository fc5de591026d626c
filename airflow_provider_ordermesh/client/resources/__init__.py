"""Resource groups of the client, one per part of the API."""

from airflow_provider_ordermesh.client.resources.catalog import Catalog
from airflow_provider_ordermesh.client.resources.notes import Notes
from airflow_provider_ordermesh.client.resources.order_items import OrderItems
from airflow_provider_ordermesh.client.resources.orders import Orders
from airflow_provider_ordermesh.client.resources.packing_slips import PackingSlips
from airflow_provider_ordermesh.client.resources.shipments import Shipments

__all__ = ["Catalog", "Notes", "OrderItems", "Orders", "PackingSlips", "Shipments"]
