"""
### Nightly export: yesterday's orders and shipments, into the lake, safe to re-run

Every night, after midnight UTC, this DAG exports the orders and the shipments (with their
packages) that changed during the previous day to object storage, one partition per resource
and day, for the warehouse to load:

    {base}/resource=orders/date=2026-11-26/part-00000.jsonl.gz
    {base}/resource=shipments/date=2026-11-26/part-00000.jsonl.gz

The window is the run's data interval, `[start, end)`: consecutive nights neither overlap nor
leave a gap. Clearing a night (or a backfill over many) replaces those partitions atomically,
never appending duplicates. Each export updates an Asset, with the row count and window in the
event's extra, so a load DAG can be scheduled on it.

`base` is the `ORDERMESH_EXPORT_BASE` environment variable (default `file:///tmp/ordermesh-export`);
for S3 use e.g. `s3://my-lake/ordermesh` with an AWS connection in `ORDERMESH_EXPORT_CONN`.
It talks to the `ordermesh_default` connection and makes no API call while the file is parsed.
"""

from __future__ import annotations

import os
from datetime import datetime

from airflow.sdk import Asset, dag

# airflow.sdk has it from Airflow 3.2; the provider's compat module also finds it on 3.1
from airflow_provider_ordermesh.compat import CronDataIntervalTimetable
from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator

BASE = os.environ.get("ORDERMESH_EXPORT_BASE", "file:///tmp/ordermesh-export").rstrip("/")
STORAGE_CONN = os.environ.get("ORDERMESH_EXPORT_CONN") or None


# [START howto_transfer_nightly_export]
@dag(
    dag_id="ordermesh_nightly_export",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),  # data interval = the previous day
    start_date=datetime(2026, 11, 1),
    catchup=False,
    doc_md=__doc__,
    tags=["ordermesh", "example", "export"],
)
def ordermesh_nightly_export() -> None:
    for resource in ("orders", "shipments"):
        OrderMeshToObjectStorageOperator(
            task_id=f"export_{resource}",
            resource=resource,
            base_path=BASE,
            file_format="jsonl.gz",
            storage_conn_id=STORAGE_CONN,
            outlets=[Asset(name=f"ordermesh_{resource}_export", uri=f"{BASE}/resource={resource}")],
        )
    # [END howto_transfer_nightly_export]


ordermesh_nightly_export()
