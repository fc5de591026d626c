"""
### React to new orders as they arrive (event-driven scheduling, Airflow 3)

No schedule and no polling task: the DAG runs when OrderMesh has new orders. An `AssetWatcher`
runs `OrderMeshOrderEventTrigger` in the triggerer, which asks OrderMesh every
`ORDERMESH_EXAMPLE_POLL_SECONDS` (default 60) for open orders updated since its last look and
emits one asset event per batch of new orders (at most 100 per event); each event queues a run
of this DAG, which receives the order ids in `triggering_asset_events`.

What the run does with them: large orders (`review_units` units or more, 5 by default) are put
on customer-care hold for a fraud and print-quality review before production starts.

1. **new_order_searches** collects the order ids of the triggering events (a run started by
   hand reads the `order_ids` param instead) and makes one search per 100 of them.
2. **read_new_orders** reads those orders (mapped: one task per search).
3. **pick_large_orders** picks the orders to review; **hold_for_review** holds them (mapped).
4. **report** returns how many new orders arrived and how many were held.

Each order is reported once: the watcher reports each (order, status) at most once, also across
triggerer restarts, and loses none updated after it started; on Airflow 3.3+ it keeps what it
reported (the last 1,000 orders seen, about 40 KB) in the asset's state store, which a restarted
triggerer reads back. `tests/deployment/` proves this under a real triggerer killed between
batches of orders.

The watcher needs a running triggerer (`airflow triggerer`, or `airflow standalone`). It talks
to the `ordermesh_default` connection and makes no API call while the file is parsed.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Any

from airflow.sdk import Asset, AssetWatcher, Param, dag, task

from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCustomerCareHoldOperator,
    OrderMeshSearchOrdersOperator,
)
from airflow_provider_ordermesh.triggers.events import OrderMeshOrderEventTrigger

log = logging.getLogger(__name__)

POLL_SECONDS = float(os.environ.get("ORDERMESH_EXAMPLE_POLL_SECONDS", "60"))
IDS_PER_SEARCH = 100

# [START howto_trigger_ordermesh_order_events]
new_orders = Asset(
    name="ordermesh_new_orders",
    uri="ordermesh://orders/open",
    watchers=[
        AssetWatcher(
            name="ordermesh_new_orders_watcher",
            trigger=OrderMeshOrderEventTrigger(
                statuses=["Open"],  # orders that appear, or come back to Open
                poll_interval=POLL_SECONDS,
                max_orders_per_event=IDS_PER_SEARCH,
            ),
        )
    ],
)
# [END howto_trigger_ordermesh_order_events]


@dag(
    dag_id="ordermesh_new_orders_watcher",
    schedule=[new_orders],  # a run per asset event: per batch of new orders
    start_date=datetime(2026, 11, 1),
    catchup=False,
    doc_md=__doc__,
    tags=["ordermesh", "example"],
    params={
        "order_ids": Param([], type="array", description="For a run started by hand: the orders to look at."),
        "review_units": Param(
            5, type="integer", minimum=1, description="Hold orders of this many units or more."
        ),
    },
)
def ordermesh_new_orders_watcher() -> None:
    # [START howto_trigger_ordermesh_order_events_payload]
    @task
    def new_order_searches(
        triggering_asset_events: Any = None, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Order search filters for the ids the watcher reported, 100 ids per search."""
        ids: list[str] = []
        # Indexed, not dict.get(): Airflow 3.1 cannot hash an Asset whose watcher carries a dict.
        for event in triggering_asset_events[new_orders] if triggering_asset_events else []:
            # The trigger's event payload: {"orders": {"<order id>": "<status>", ...}, "count", "watermark"}
            ids.extend((event.extra.get("payload") or {}).get("orders", {}))
        ids.extend((params or {}).get("order_ids") or [])
        unique = list(dict.fromkeys(ids))
        log.info("new orders: %d", len(unique))
        return [{"ids": unique[i : i + IDS_PER_SEARCH]} for i in range(0, len(unique), IDS_PER_SEARCH)]

    # [END howto_trigger_ordermesh_order_events_payload]

    searches = new_order_searches()

    read_new_orders = OrderMeshSearchOrdersOperator.partial(
        task_id="read_new_orders",
        fields=["id", "externalId", "items"],
        max_results=None,
    ).expand(filters=searches)

    @task
    def pick_large_orders(
        found: list[list[dict[str, Any]]], params: dict[str, Any] | None = None
    ) -> list[dict[str, str]]:
        """A hold request for each order of at least ``review_units`` units."""
        threshold = int((params or {})["review_units"])
        holds = []
        for order in (o for batch in found for o in batch):
            units = sum(item.get("quantity") or 0 for item in order["items"])
            if units >= threshold:
                holds.append(
                    {
                        "order_id": order["id"],
                        "reason": f"review before production: {units} units in order {order['externalId']}",
                    }
                )
        return holds

    large_orders = pick_large_orders(read_new_orders.output)

    hold_for_review = OrderMeshCustomerCareHoldOperator.partial(
        task_id="hold_for_review",
    ).expand_kwargs(large_orders)

    @task(trigger_rule="none_failed")
    def report(searches: list[dict[str, Any]], held: list[dict[str, str]] | None) -> dict[str, int]:
        """How many new orders arrived and how many were held; runs also when there was nothing to hold."""
        return {"new_orders": sum(len(s["ids"]) for s in searches), "held_for_review": len(held or [])}

    hold_for_review >> report(searches, large_orders)


ordermesh_new_orders_watcher()
