"""
### Learn each inbound order's outcome from OrderMesh's webhook (push, no polling)

Orders submitted through `POST /v1/inbound/orders` are queued by OrderMesh; their outcome, success
or failure, arrives **only** as an `OrderCreation` webhook. The provider's receiver in the Airflow
API server (docs/webhooks.md) turns each delivery into an asset event on
`ordermesh://{host}/events/OrderCreation`, and each event queues a run of this DAG within seconds.

1. **sort_outcomes** reads the triggering events: the orders created and the ones OrderMesh refused.
2. **report_failures** fails, so a person sees it (and any `on_failure_callback` or notifier fires),
   naming each refused order by its external id and safeId with the description OrderMesh gave.
3. **created_orders** passes the created orders on (skipped when there are none), and
   **await_shipments** waits, deferred, until their shipments have shipped.

The host in the asset's URI is the OrderMesh API the receiver's endpoint connection names
(`ORDERMESH_WEBHOOK_HOST`, default `api.ordermesh.io`). Without a receiver, use the new-orders
watcher instead: see docs/webhooks.md.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from airflow.sdk import Asset, dag, task

from airflow_provider_ordermesh.assets import DEFAULT_HOST, event_uri
from airflow_provider_ordermesh.compat import AirflowFailException, AirflowSkipException
from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor

# [START howto_webhook_asset_order_creation]
order_creation = Asset(
    name="ordermesh_order_creation",
    uri=event_uri("OrderCreation", host=os.environ.get("ORDERMESH_WEBHOOK_HOST", DEFAULT_HOST)),
)
# [END howto_webhook_asset_order_creation]


@dag(
    dag_id="ordermesh_inbound_outcomes",
    schedule=[order_creation],  # a run per webhook delivery the receiver stored
    start_date=datetime(2026, 11, 1),
    catchup=False,
    doc_md=__doc__,
    tags=["ordermesh", "example", "webhooks"],
)
def ordermesh_inbound_outcomes() -> None:
    # [START howto_webhook_outcomes_from_events]
    @task
    def sort_outcomes(triggering_asset_events: Any = None) -> dict[str, list[Any]]:
        """The created order ids and the refused orders of this run's webhook deliveries."""
        created: list[str] = []
        refused: list[dict[str, Any]] = []
        for event in triggering_asset_events[order_creation] if triggering_asset_events else []:
            extra = event.extra  # the delivery's ids, snake_case: order_id, safe_id, is_successful, ...
            if extra.get("is_successful") is False:
                refused.append(
                    {
                        key: extra.get(key)
                        for key in ("external_order_id", "safe_id", "description", "response_code")
                    }
                )
            elif extra.get("order_id"):
                created.append(extra["order_id"])
        return {"created": created, "refused": refused}

    # [END howto_webhook_outcomes_from_events]

    outcomes = sort_outcomes()

    @task
    def report_failures(outcomes: dict[str, list[Any]]) -> int:
        """Fail, for a person to see, when OrderMesh refused an order; no retry can change that."""
        refused = outcomes["refused"]
        if refused:
            raise AirflowFailException(
                f"OrderMesh refused {len(refused)} inbound order(s): "
                + "; ".join(
                    f"external order {r['external_order_id']} (safeId {r['safe_id']}): "
                    f"{r['description']} (code {r['response_code']})"
                    for r in refused
                )
            )
        return 0

    @task
    def created_orders(outcomes: dict[str, list[Any]]) -> list[str]:
        """The created orders, whose shipments to await; skipped when none was created."""
        if not outcomes["created"]:
            raise AirflowSkipException("no order was created in these deliveries")
        return list(outcomes["created"])

    report_failures(outcomes)
    OrderMeshShipmentStatusSensor(
        task_id="await_shipments",
        order_ids=created_orders(outcomes),
        deferrable=True,
        poke_interval=float(os.environ.get("ORDERMESH_EXAMPLE_POLL_SECONDS", "60")),
        timeout=3 * 24 * 3600,
    )


ordermesh_inbound_outcomes()
