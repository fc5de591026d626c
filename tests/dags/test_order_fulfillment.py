"""``ordermesh_order_fulfillment`` runs end to end against the sandbox, and its summary is the sandbox's truth."""

from __future__ import annotations

import json

import pytest
from support.dag_runner import run_dag, task_states

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


def test_the_day_is_created_shipped_rerouted_and_summarised(
    airflow_db, example_dag, ordermesh, xcom, example_orders
):
    # A status step every 0.2 s (shipped 0.6 s after creation, delivered 0.2 s later), and one
    # shipment in ten rejected by its facility so that the reroute path has work.
    ordermesh.reset(speed=150, step_seconds=30, reject_rate=0.1, seed=7)

    run = run_dag(example_dag("ordermesh_order_fulfillment"))

    assert str(run.state) == "success", task_states(run)
    summary = xcom(run, "report_summary")
    stats = ordermesh.stats()
    day = len(example_orders())
    assert summary["orders"] == {"requested": day, "created": day, "already_existed": 0, "failed": 0}
    assert stats["orders"] == day
    assert stats["duplicateSafeIdAttempts"] == 0
    # Every shipment has shipped, in the summary and in the sandbox. Shipments keep moving after
    # the DAG read them (Shipped -> Delivered), so the sandbox may only be further along.
    by_status, now = summary["shipments"]["by_status"], stats["shipmentsByStatus"]
    assert summary["shipments"]["total"] == summary["shipments"]["shipped"] == stats["shipments"]
    assert set(by_status) <= {"Shipped", "Delivered"} and set(now) <= {"Shipped", "Delivered"}
    assert sum(by_status.values()) == sum(now.values())
    assert by_status.get("Delivered", 0) <= now.get("Delivered", 0)
    assert summary["tracking_numbers"] == stats["shipments"]
    assert summary["reroutes"]["rerouted"] == len(_moved_from_their_first_facility(ordermesh.backend)) > 0


def test_running_the_day_again_creates_nothing_twice(
    airflow_db, example_dag, ordermesh, xcom, tmp_path, example_orders
):
    ordermesh.reset(speed=600, step_seconds=30, reject_rate=0.0)
    day = tmp_path / "orders.jsonl"  # the first 20 orders of the day, to keep the test short
    day.write_text("".join(f"{json.dumps(order)}\n" for order in example_orders()[:20]), encoding="utf-8")

    first = run_dag(example_dag("ordermesh_order_fulfillment"), run_conf={"orders_file": str(day)})
    second = run_dag(example_dag("ordermesh_order_fulfillment"), run_conf={"orders_file": str(day)})

    assert str(first.state) == str(second.state) == "success", (task_states(first), task_states(second))
    assert xcom(first, "report_summary")["orders"] == {
        "requested": 20,
        "created": 20,
        "already_existed": 0,
        "failed": 0,
    }
    assert xcom(second, "report_summary")["orders"] == {
        "requested": 20,
        "created": 0,
        "already_existed": 20,
        "failed": 0,
    }
    assert ordermesh.stats()["orders"] == 20


def _moved_from_their_first_facility(backend) -> list[str]:
    """Shipments now at a facility other than the one their SKUs route to: the rerouted ones."""
    from airflow_provider_ordermesh.sandbox.backend.facilities import facility_for_sku

    return [
        s.id
        for s in backend.state.shipments.values()
        if any(facility_for_sku(item.submitted.sku) != s.facility for item in s.lines)
    ]
