"""Putting data into a benchmark's sandbox before the measured part starts.

Loading goes through the provider's own client and bulk engine (batches of 100, bounded
concurrency): it is set-up, never measured, so the fastest correct way is the right one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from benchmarks.harness import orders_data
from benchmarks.harness.environment import ORDERMESH_CONN_ID

PAGE_SIZE = 100


def client() -> Any:
    """A sync client for the benchmark connection (the sandbox currently running)."""
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    return OrderMeshHook(ORDERMESH_CONN_ID).get_conn()


def create_orders(orders: Iterable[dict[str, Any]], *, expected: int) -> list[str]:
    """Create the orders (each with its safeId); their ids, in input order."""
    from airflow_provider_ordermesh.client.bulk import BulkEntry, create_orders_batch, run_bulk
    from airflow_provider_ordermesh.models import CreateOrder

    api = client()
    entries = (
        BulkEntry(index, order["safeId"], CreateOrder.model_validate(order))
        for index, order in enumerate(orders)
    )
    result = run_bulk(
        entries, lambda batch: create_orders_batch(api, batch, skip_existing=False), what="benchmark set-up"
    )
    if result.failures or len(result.ids) != expected:
        raise RuntimeError(
            f"set-up: {len(result.ids)} of {expected} orders created; first failures {result.failures[:3]}"
        )
    return result.ids


def create_shipments(count: int, *, prefix: str) -> list[str]:
    """``count`` one-item orders, hence ``count`` shipments; the shipment ids."""
    order_ids = create_orders(orders_data.orders(count, prefix=prefix, single_shipment=True), expected=count)
    api = client()
    shipment_ids: list[str] = []
    for start in range(0, count, PAGE_SIZE):
        chunk = order_ids[start : start + PAGE_SIZE]
        shipment_ids += [s.id for s in api.shipments.search({"orderIds": chunk}, page_size=PAGE_SIZE)]
    if len(shipment_ids) != count:
        raise RuntimeError(
            f"set-up: {count} one-item orders got {len(shipment_ids)} shipments, expected one each"
        )
    return shipment_ids
