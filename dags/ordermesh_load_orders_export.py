"""
### Load each exported window of orders: a consumer of the nightly export's asset events

Scheduled on the `ordermesh_orders_export` asset that `ordermesh_nightly_export` updates: every
export of the orders (a night, or each night of a backfill) is an asset event whose extra names
the window, the partition, its files and its row count.

How many events a run receives depends on Airflow's `[scheduler] batch_asset_events`: before 3.4
(and on 3.4 with it set to True) a run takes every event queued since the last run, several
nights at once after a backfill; on 3.4's default (False) each event starts its own run. This DAG
is right in both: **load_windows** iterates over every triggering event, never only the first or
the last, and each load is keyed on the window the event names, so a night exported again (a
cleared run) is loaded again and replaces what was loaded for it, never adding rows twice.

Here "loading" reads the partition's files and checks that they hold the rows the event
announced; a warehouse load would copy the same files into a table partitioned by the window.
It reads the files the export wrote (`ORDERMESH_EXPORT_BASE`, `ORDERMESH_EXPORT_CONN`, as in the
export DAG) and makes no OrderMesh call.
"""

from __future__ import annotations

import gzip
import os
from datetime import datetime
from typing import Any

from airflow.sdk import Asset, dag, task

BASE = os.environ.get("ORDERMESH_EXPORT_BASE", "file:///tmp/ordermesh-export").rstrip("/")
STORAGE_CONN = os.environ.get("ORDERMESH_EXPORT_CONN") or None

orders_export = Asset(name="ordermesh_orders_export", uri=f"{BASE}/resource=orders")


@dag(
    dag_id="ordermesh_load_orders_export",
    schedule=[orders_export],
    start_date=datetime(2026, 11, 1),
    catchup=False,
    doc_md=__doc__,
    tags=["ordermesh", "example", "export"],
)
def ordermesh_load_orders_export() -> None:
    # [START howto_consume_export_asset_events]
    @task
    def load_windows(triggering_asset_events: Any = None) -> list[dict[str, Any]]:
        """Load every window the triggering events name: one (3.4's default) or several (batched)."""
        from airflow_provider_ordermesh.files import readable_file

        loaded = []
        for event in triggering_asset_events[orders_export] if triggering_asset_events else []:
            window, paths = event.extra["window"], event.extra["paths"]
            rows = 0
            for path in paths:
                file = readable_file(path, param="paths", storage_conn_id=STORAGE_CONN)
                with file.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
                    rows += sum(1 for _ in lines)
            if rows != event.extra["rows"]:
                announced = event.extra["rows"]
                raise ValueError(f"window {window}: the event announced {announced} rows, found {rows}")
            # a warehouse load would replace the table's partition for this window here
            loaded.append({"window": window, "partition": event.extra["partition"], "rows": rows})
        return loaded

    # [END howto_consume_export_asset_events]

    load_windows()


ordermesh_load_orders_export()
