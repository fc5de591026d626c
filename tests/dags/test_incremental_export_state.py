"""Incremental exports inside real DAG runs keep their cursor in the outlet asset's state store."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest
from operators.data import order
from support.dag_runner import run_dag, task_states

from airflow_provider_ordermesh import compat

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


def _dag(base: str, since: str):
    from airflow.sdk import DAG, Asset

    from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator

    with DAG("ordermesh_incremental_export_test", schedule=None, start_date=datetime(2026, 11, 1)) as dag:
        OrderMeshToObjectStorageOperator(
            task_id="export_orders",
            resource="orders",
            base_path=base,
            incremental=True,
            lag=timedelta(0),
            updated_since=since,
            outlets=[Asset(name="ordermesh_incremental_orders", uri=f"{base}/resource=orders")],
        )
    return dag


@pytest.mark.skipif(
    not compat.has_asset_state_store(),
    reason="the asset state store is Airflow 3.3+; before it the cursor rides on the previous run's XCom, "
    "which tests/transfers/test_export.py covers",
)
def test_the_second_run_starts_where_the_first_stopped(airflow_db, ordermesh, xcom, tmp_path):
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    ordermesh.reset(speed=1, step_seconds=1_000_000)
    since = (ordermesh.backend.state.clock.now() - timedelta(hours=1)).isoformat()
    with OrderMeshHook().client as client:
        client.orders.create(order("MUG-11OZ-WHITE", external_id="inc-a"))
    first = run_dag(_dag(f"file://{tmp_path}", since))
    assert str(first.state) == "success", task_states(first)
    time.sleep(0.01)
    second = run_dag(_dag(f"file://{tmp_path}", since))
    assert str(second.state) == "success", task_states(second)

    one, two = xcom(first, "export_orders"), xcom(second, "export_orders")
    assert one["rows"] == 1 and two["rows"] == 0
    assert two["window"]["since"] == one["cursor"]
    # The cursor lives in the asset's state store, not only in XCom.
    from airflow.models.asset import AssetModel
    from airflow.models.asset_state_store import AssetStateStoreModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        stored = session.scalars(
            select(AssetStateStoreModel.value)
            .join(AssetModel, AssetStateStoreModel.asset_id == AssetModel.id)
            .where(AssetModel.name == "ordermesh_incremental_orders")
        ).all()
    assert [json.loads(v) if v.startswith('"') else v for v in stored] == [two["cursor"]]
