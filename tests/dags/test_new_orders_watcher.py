"""``ordermesh_new_orders_watcher``: its watcher fires for new orders, and a run holds the large ones."""

from __future__ import annotations

import asyncio

import pytest
from support.dag_runner import run_dag, task_states

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


def test_a_run_holds_the_large_new_orders_for_review(
    airflow_db, example_dag, ordermesh, xcom, single_product_order
):
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    ordermesh.reset(speed=0)
    client = OrderMeshHook().client
    small = client.orders.create(single_product_order("MUG")).id
    bulk_order = {**single_product_order("TSHIRT"), "safeId": "team-shirts-1"}
    bulk_order["items"] = [{**bulk_order["items"][0], "quantity": 12}]
    large = client.orders.create(bulk_order).id

    run = run_dag(example_dag("ordermesh_new_orders_watcher"), run_conf={"order_ids": [small, large]})

    assert str(run.state) == "success", task_states(run)
    assert xcom(run, "report") == {"new_orders": 2, "held_for_review": 1}
    assert client.orders.get(large).status == "CustomerCareHold"
    assert client.orders.get(small).status == "Open"


def test_a_run_with_no_new_orders_succeeds_and_holds_nothing(airflow_db, example_dag, ordermesh, xcom):
    run = run_dag(example_dag("ordermesh_new_orders_watcher"))

    assert str(run.state) == "success", task_states(run)
    assert xcom(run, "report") == {"new_orders": 0, "held_for_review": 0}


def test_the_dags_watcher_reports_orders_created_after_it_started(
    example_dag, ordermesh, single_product_order
):
    """The DAG's own AssetWatcher trigger, run as the triggerer would, against the sandbox."""
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    dag = example_dag("ordermesh_new_orders_watcher")
    (asset,) = dag.timetable.asset_condition.objects  # schedule=[new_orders]
    (watcher,) = asset.watchers
    client = OrderMeshHook().client
    before = client.orders.create(single_product_order("MUG")).id  # already there: not reported

    def searches() -> int:
        return sum(ordermesh.stats()["requests"].get("orders.search", {}).values())

    async def first_event() -> dict:
        events = watcher.trigger.run()
        first = asyncio.ensure_future(events.__anext__())
        while not await asyncio.to_thread(searches):  # its first poll only learns what exists
            await asyncio.sleep(0.05)
        created = await asyncio.to_thread(client.orders.create, single_product_order("POSTER"))
        event = await asyncio.wait_for(first, timeout=30)
        await events.aclose()
        return {"event": event.payload, "created": created.id}

    outcome = asyncio.run(first_event())

    assert outcome["event"]["orders"] == {outcome["created"]: "Open"}
    assert before not in outcome["event"]["orders"]
