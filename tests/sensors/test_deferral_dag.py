"""Deferrable sensors through dag.test(): the trigger runs inline and execute_complete decides the state."""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

import pytest
from support.dag_runner import run_dag, task_states
from support.orders import create_orders, search_requests, shipment_ids_of

from airflow_provider_ordermesh.sensors.status import (
    OrderMeshOrderStatusSensor,
    OrderMeshShipmentStatusSensor,
)

pytestmark = pytest.mark.airflow_db

RESULTS: dict[str, Any] = {}


def build_dag(dag_id: str, sensor: Any) -> Any:
    from airflow.sdk import DAG, task

    with DAG(dag_id=dag_id, schedule=None, start_date=datetime.datetime(2026, 1, 1), catchup=False) as dag:

        @task
        def record(statuses: dict[str, str]) -> None:
            RESULTS[dag_id] = statuses

        waited = sensor()
        record(waited.output)
    return dag


def test_shipments_deferred_to_the_trigger_until_shipped(airflow_db, om, api):
    om.configure(speed=600)
    shipments = shipment_ids_of(api, create_orders(api, 2))
    dag = build_dag(
        "defer_shipments",
        lambda: OrderMeshShipmentStatusSensor(
            task_id="wait", shipment_ids=shipments, deferrable=True, poke_interval=0.05, timeout=30
        ),
    )
    run = run_dag(dag)
    assert task_states(run) == {"wait": "success", "record": "success"}
    assert set(RESULTS["defer_shipments"]) == set(shipments)
    assert set(RESULTS["defer_shipments"].values()) <= {"Shipped", "Delivered"}


def test_a_failure_found_by_the_trigger_fails_the_task_even_with_soft_fail(airflow_db, om, api):
    om.configure(speed=0)
    shipments = shipment_ids_of(api, create_orders(api, 1))
    searched = search_requests(om.stats(), "shipments.search")

    def reject_once_the_trigger_polls() -> None:
        # The sensor's own poke is one search; anything after it is the trigger, so the sensor
        # has deferred by the time the facility rejects the shipment.
        deadline = time.monotonic() + 60
        while search_requests(om.stats(), "shipments.search") < searched + 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        om.reject_shipments(shipments)

    rejecter = threading.Thread(target=reject_once_the_trigger_polls, daemon=True)
    rejecter.start()
    dag = build_dag(
        "defer_rejected",
        lambda: OrderMeshShipmentStatusSensor(
            task_id="wait",
            shipment_ids=shipments,
            deferrable=True,
            poke_interval=0.05,
            timeout=30,
            soft_fail=True,
        ),
    )
    run = run_dag(dag)
    rejecter.join(timeout=5)
    assert task_states(run) == {"wait": "failed", "record": "upstream_failed"}
    assert om.stats()["shipmentsByStatus"] == {"Rejected": 1}


def test_a_trigger_timeout_skips_with_soft_fail(airflow_db, om, api):
    om.configure(speed=0)
    orders = create_orders(api, 1)
    dag = build_dag(
        "defer_timeout",
        lambda: OrderMeshOrderStatusSensor(
            task_id="wait", order_ids=orders, deferrable=True, poke_interval=0.05, timeout=0.5, soft_fail=True
        ),
    )
    run = run_dag(dag)
    assert task_states(run) == {"wait": "skipped", "record": "skipped"}
