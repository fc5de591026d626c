"""Orders for tests that need real records in the sandbox: created in bulk through the client."""

from __future__ import annotations

from typing import Any

from airflow_provider_ordermesh.client import BULK_MAX_ITEMS, OrderMeshClient

ADDRESS = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "line1": "1 Main St",
    "city": "Austin",
    "state": "TX",
    "zip": "78701",
    "countryCode": "US",
}


def order_payload(*skus: str, **extra: Any) -> dict[str, Any]:
    """An order of one unit of each SKU (one t-shirt by default: one shipment in the sandbox)."""
    return {
        "shippingAddress": ADDRESS,
        "items": [{"sku": sku, "quantity": 1} for sku in (skus or ("TSHIRT-1",))],
        **extra,
    }


def create_orders(client: OrderMeshClient, count: int, *skus: str) -> list[str]:
    """Create ``count`` orders in bulk requests; their ids, in order."""
    ids: list[str] = []
    for start in range(0, count, BULK_MAX_ITEMS):
        batch = [order_payload(*skus) for _ in range(min(BULK_MAX_ITEMS, count - start))]
        results = client.orders.create_bulk(batch).results
        assert all(result.is_successful and result.id for result in results), results
        ids.extend(result.id for result in results if result.id)
    return ids


def shipment_ids_of(client: OrderMeshClient, order_ids: list[str]) -> list[str]:
    """The ids of every shipment of these orders."""
    found: list[str] = []
    for start in range(0, len(order_ids), 100):
        found.extend(s.id for s in client.shipments.search({"orderIds": order_ids[start : start + 100]}))
    return found


def search_requests(stats: dict[str, Any], endpoint: str) -> int:
    """How many requests one endpoint received, whatever their status, from a ``sandbox.stats()``."""
    return sum(stats["requests"].get(endpoint, {}).values())
