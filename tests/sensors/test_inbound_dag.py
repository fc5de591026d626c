"""The inbound fallback in a real DAG run: a mapped submit's results feed the sensor as they are."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from operators.data import order
from support.dag_runner import run_dag, task_states

from airflow_provider_ordermesh.operators.inbound import OrderMeshSubmitInboundOrderOperator
from airflow_provider_ordermesh.sensors.inbound import OrderMeshInboundOrderSensor

pytestmark = pytest.mark.airflow_db

RESULTS: dict[str, Any] = {}
TRANSFORMATION_ID = "8e7c2a1b-0000-4000-8000-000000000001"


def build_dag(dag_id: str, bodies: list[dict[str, Any]], **sensor_kwargs: Any) -> Any:
    from airflow.sdk import DAG, task

    with DAG(dag_id=dag_id, schedule=None, start_date=datetime.datetime(2026, 1, 1), catchup=False) as dag:

        @task
        def record(created: Any) -> None:  # the sensor's XCom: {safeId: order id}
            RESULTS[dag_id] = created

        submitted = OrderMeshSubmitInboundOrderOperator.partial(
            task_id="submit", transformation_id=TRANSFORMATION_ID
        ).expand(body=bodies)
        waited = OrderMeshInboundOrderSensor(
            task_id="wait", safe_ids=submitted.output, poke_interval=0.05, **sensor_kwargs
        )
        record(waited.output)
    return dag


@pytest.mark.parametrize("deferrable", [False, True])
def test_every_mapped_submission_found_returns_its_order_id(airflow_db, om, api, deferrable):
    bodies = [{**order(), "safeId": f"shop-{n}-{deferrable}"} for n in range(2)]
    dag_id = f"inbound_found_{deferrable}".lower()
    run = run_dag(build_dag(dag_id, bodies, timeout=30, deferrable=deferrable))

    assert task_states(run) == {
        "submit[0]": "success",
        "submit[1]": "success",
        "wait": "success",
        "record": "success",
    }
    assert RESULTS[dag_id] == {b["safeId"]: api.orders.get_by_safe_id(b["safeId"]).id for b in bodies}


@pytest.mark.parametrize("deferrable", [False, True])
def test_a_submission_not_created_fails_the_wait_at_the_deadline(airflow_db, om, api, deferrable):
    bad = {"safeId": f"shop-bad-{deferrable}", "shippingAddress": order()["shippingAddress"]}  # no items
    dag_id = f"inbound_unknown_{deferrable}".lower()
    run = run_dag(build_dag(dag_id, [order(), bad], timeout=1, deferrable=deferrable, soft_fail=True))

    states = task_states(run)
    assert states["wait"] == "failed", "an unknown outcome is a failure, even with soft_fail"
    assert states["record"] == "upstream_failed"
    assert dag_id not in RESULTS
