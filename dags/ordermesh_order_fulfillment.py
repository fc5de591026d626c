"""
### Fulfil a day of print-on-demand orders with OrderMesh

The daily job of a print-on-demand shop: push the day's orders into OrderMesh, wait while the
facilities print and ship them, move whatever a facility rejects to a backup facility, and
report what happened.

1. **create_orders** sends every order of the `orders_file` param (by default
   `dags/data/orders_2026-11-26.jsonl`: 300 orders, one JSON object per line) through the bulk
   endpoint, 100 orders per request. Each order's `safeId` is the shop's own order number, so
   running the DAG again never creates an order twice: existing orders are reported as
   `already_existed`.
2. **wait_for_facilities** waits, deferred (no worker slot is held while waiting), until every
   shipment of those orders is shipped, delivered or rejected. Rejected is a target here, not a
   failure, so that one rejection does not stop the day; a cancelled shipment fails the wait.
3. **find_rejected** looks the rejected shipments up (one search per 100 orders),
   **plan_reroutes** picks each one's backup facility from the `backup_facilities` param, and
   **reroute_rejected** moves them all in one bulk request.
4. **wait_until_shipped** waits until every shipment has shipped. A shipment rejected a second
   time, or cancelled, fails it with a message naming the shipment.
5. **collect_shipments** reads the shipments with their packages, and **report_summary** returns
   the day's summary as its XCom: orders, shipments by status, tracking numbers, reroutes.

It talks to whatever the `ordermesh_default` connection points at: the local sandbox
(`make demo`, or `ordermesh-sandbox` in another terminal) or your OrderMesh. The waits poll every
`ORDERMESH_EXAMPLE_POLL_SECONDS` seconds (default 60; the demo and the tests use 1 or 2, because
the sandbox ships in seconds) and give up after 360 polls. Nothing here calls the API while the
DAG file is parsed.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from airflow.sdk import Param, dag, task

from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrdersOperator
from airflow_provider_ordermesh.operators.shipments import (
    OrderMeshBulkRerouteShipmentsOperator,
    OrderMeshSearchShipmentsOperator,
)
from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor

log = logging.getLogger(__name__)

ORDERS_FILE = Path(__file__).parent / "data" / "orders_2026-11-26.jsonl"
POLL_SECONDS = float(os.environ.get("ORDERMESH_EXAMPLE_POLL_SECONDS", "60"))
WAIT_TIMEOUT = timedelta(seconds=POLL_SECONDS * 360)
ORDERS_PER_SEARCH = 100  # the API takes at most 100 order ids in one search

# Where a facility's rejected shipments go instead (the sandbox's facilities; use your own ids).
BACKUP_FACILITIES = {
    "apparel-east": "apparel-west",
    "apparel-west": "apparel-east",
    "drinkware-north": "drinkware-south",
    "drinkware-south": "drinkware-north",
    "wallart-east": "wallart-west",
    "wallart-west": "wallart-east",
    "general-central": "general-coastal",
    "general-coastal": "general-central",
}


@dag(
    dag_id="ordermesh_order_fulfillment",
    schedule=None,
    start_date=datetime(2026, 11, 1),
    catchup=False,
    doc_md=__doc__,
    tags=["ordermesh", "example"],
    params={
        "orders_file": Param(
            str(ORDERS_FILE),
            type="string",
            description="A .jsonl file of CreateOrderModel objects, one per line.",
        ),
        "backup_facilities": Param(
            BACKUP_FACILITIES,
            type="object",
            description="Facility id -> the facility its rejected shipments move to.",
        ),
    },
)
def ordermesh_order_fulfillment() -> None:
    # [START howto_operator_ordermesh_create_orders]
    create_orders = OrderMeshCreateOrdersOperator(
        task_id="create_orders",
        orders="{{ params.orders_file }}",  # a list, a JSON array, or a .json/.jsonl file
        on_partial_failure="fail",  # fail after every batch was sent, naming each failed order
        multiple_outputs=True,  # so that create_orders.output["order_ids"] is an XCom of its own
    )
    order_ids = create_orders.output["order_ids"]
    # [END howto_operator_ordermesh_create_orders]

    # [START howto_sensor_ordermesh_shipment_status_deferrable]
    wait_for_facilities = OrderMeshShipmentStatusSensor(
        task_id="wait_for_facilities",
        order_ids=order_ids,  # every shipment of these orders, 100 orders per request
        target_statuses=["Shipped", "Delivered", "Rejected"],
        failure_statuses=["Cancelled"],
        deferrable=True,
        poke_interval=POLL_SECONDS,
        timeout=WAIT_TIMEOUT,
    )
    # [END howto_sensor_ordermesh_shipment_status_deferrable]

    @task
    def searches_by_order(order_ids: list[str], statuses: list[str] | None = None) -> list[dict[str, Any]]:
        """Shipment search filters covering every order, at most 100 orders per search."""
        chunks = [order_ids[i : i + ORDERS_PER_SEARCH] for i in range(0, len(order_ids), ORDERS_PER_SEARCH)]
        return [{"orderIds": chunk, **({"status": statuses} if statuses else {})} for chunk in chunks]

    # [START howto_operator_ordermesh_search_shipments_mapped]
    find_rejected = OrderMeshSearchShipmentsOperator.partial(
        task_id="find_rejected",
        fields=["id", "orderId", "facilityId"],
        max_results=None,
    ).expand(filters=searches_by_order.override(task_id="rejected_searches")(order_ids, ["Rejected"]))
    # [END howto_operator_ordermesh_search_shipments_mapped]

    @task
    def plan_reroutes(
        found: list[list[dict[str, Any]]], params: dict[str, Any] | None = None
    ) -> list[dict[str, str]]:
        """One reroute request per rejected shipment whose facility has a backup."""
        backups = (params or {})["backup_facilities"]
        reroutes, stranded = [], []
        for shipment in (s for batch in found for s in batch):
            backup = backups.get(shipment["facilityId"])
            if backup:
                reroutes.append(
                    {
                        "shipmentId": shipment["id"],
                        "facilityId": backup,
                        "reason": f"rejected by {shipment['facilityId']}; moved to the backup facility",
                    }
                )
            else:
                stranded.append(shipment["id"])
        if stranded:
            log.warning(
                "no backup facility for %d rejected shipments, the next wait will fail: %s",
                len(stranded),
                stranded,
            )
        log.info("rerouting %d rejected shipments", len(reroutes))
        return reroutes

    # [START howto_operator_ordermesh_bulk_reroute]
    reroute_rejected = OrderMeshBulkRerouteShipmentsOperator(
        task_id="reroute_rejected",
        reroutes=plan_reroutes(find_rejected.output),  # [{"shipmentId", "facilityId", "reason"}]
    )
    # [END howto_operator_ordermesh_bulk_reroute]

    wait_until_shipped = OrderMeshShipmentStatusSensor(
        task_id="wait_until_shipped",
        order_ids=order_ids,  # default targets Shipped and Delivered; Rejected and Cancelled fail
        deferrable=True,
        poke_interval=POLL_SECONDS,
        timeout=WAIT_TIMEOUT,
    )

    collect_shipments = OrderMeshSearchShipmentsOperator.partial(
        task_id="collect_shipments",
        fields=["id", "status", "packages"],
        max_results=None,
    ).expand(filters=searches_by_order.override(task_id="all_searches")(order_ids))

    @task
    def report_summary(
        created: dict[str, Any], shipments: list[list[dict[str, Any]]], rerouted: dict[str, Any]
    ) -> dict[str, Any]:
        """The day in numbers; this task's XCom is what `make demo` prints."""
        records = [s for batch in shipments for s in batch]
        by_status = Counter(s["status"] for s in records)
        tracking = {
            p["carrierTrackingNumber"]
            for s in records
            for p in s.get("packages") or []
            if p.get("carrierTrackingNumber")
        }
        summary = {
            "orders": {
                "requested": len(created["order_ids"]) + len(created["failures"]),
                "created": created["created"],
                "already_existed": created["already_existed"],
                "failed": len(created["failures"]),
            },
            "shipments": {
                "total": len(records),
                "shipped": by_status["Shipped"] + by_status["Delivered"],
                "by_status": dict(sorted(by_status.items())),
            },
            "tracking_numbers": len(tracking),
            "reroutes": {"rerouted": rerouted["rerouted"], "already_rerouted": rerouted["already_rerouted"]},
        }
        log.info("the day: %s", summary)
        return summary

    wait_for_facilities >> find_rejected
    reroute_rejected >> wait_until_shipped >> collect_shipments
    report_summary(create_orders.output, collect_shipments.output, reroute_rejected.output)


ordermesh_order_fulfillment()
