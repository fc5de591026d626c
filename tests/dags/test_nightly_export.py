"""``ordermesh_nightly_export`` exports the previous day's orders and shipments, and a re-run replaces them."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from pathlib import Path

import pytest
from support.dag_runner import run_dag, task_states

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


def _ids(path: Path) -> list[str]:
    return sorted(json.loads(line)["id"] for line in gzip.decompress(path.read_bytes()).decode().splitlines())


def test_yesterdays_orders_and_shipments_land_in_their_partitions(
    airflow_db, example_dag, ordermesh, xcom, example_orders, export_lake, monkeypatch
):
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    monkeypatch.setenv("ORDERMESH_EXPORT_BASE", f"file://{export_lake}")
    ordermesh.reset(speed=0, step_seconds=1_000_000)
    with OrderMeshHook().client as client:
        created = [
            client.orders.create({k: v for k, v in o.items() if k != "safeId"}).id
            for o in example_orders()[:3]
        ]
    day = ordermesh.backend.state.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    next_midnight = day + timedelta(days=1)

    for _ in range(2):  # the second run of the same night replaces, never appends
        run = run_dag(
            example_dag("ordermesh_nightly_export"), logical_date=next_midnight
        )  # the run at midnight exports the day before
        assert str(run.state) == "success", task_states(run)

    orders = xcom(run, "export_orders")
    assert orders["rows"] == 3
    assert orders["window"] == {"since": day.isoformat(), "before": next_midnight.isoformat()}
    partition = export_lake / "resource=orders" / f"date={day:%Y-%m-%d}"
    assert sorted(p.name for p in partition.iterdir()) == ["_manifest.json", "part-00000.jsonl.gz"]
    assert _ids(partition / "part-00000.jsonl.gz") == sorted(created)
    shipments = xcom(run, "export_shipments")
    assert shipments["rows"] == len(ordermesh.backend.state.shipments) > 0
    # The asset event carries the row count and window, for DAGs scheduled on the export.
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        extra = session.scalars(
            select(AssetEvent.extra)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.name == "ordermesh_orders_export")
            .order_by(AssetEvent.id.desc())
        ).first()
    assert extra is not None
    assert extra["rows"] == 3 and extra["window"] == orders["window"]
