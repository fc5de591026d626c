"""A real ``dag.test()`` run: a search feeds dynamic task mapping (each mapped task stores its link)
and, through a task's XComArg, a bulk operator."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest
from support.dag_runner import run_dag, task_states

from operators.data import order

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


def stored_xcoms(dag_run, key: str) -> dict[tuple[str, int], Any]:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.scalars(
            select(XComModel).where(
                XComModel.dag_id == dag_run.dag_id, XComModel.run_id == dag_run.run_id, XComModel.key == key
            )
        )
        return {(row.task_id, row.map_index): XComModel.deserialize_value(row) for row in rows}


def test_search_results_fan_out_to_one_mapped_task_per_order(om, api, airflow_db):
    from airflow.sdk import DAG, task

    from airflow_provider_ordermesh.operators.orders import (
        OrderMeshCustomerCareHoldOperator,
        OrderMeshSearchOrdersOperator,
        OrderMeshUpdateOrdersOperator,
    )

    @task
    def relabel(found: list[str]) -> list[dict[str, str]]:
        return [{"id": order_id, "externalId": f"held-{order_id[-4:]}"} for order_id in found]

    order_ids = sorted(api.orders.create(order(external_id=f"m-{i}")).id for i in range(3))
    with DAG(
        dag_id="ordermesh_mapping", schedule=None, start_date=datetime.datetime(2026, 1, 1), catchup=False
    ) as dag:
        search = OrderMeshSearchOrdersOperator(task_id="search", filters={"status": ["Open"]})
        OrderMeshCustomerCareHoldOperator.partial(task_id="hold", reason="fraud check").expand(
            order_id=search.output
        )
        # an XComArg where the types say what it holds at run time (only Airflow's mypy plugin knows)
        OrderMeshUpdateOrdersOperator(
            task_id="update_orders", updates=cast(Any, relabel(cast(Any, search.output)))
        )

    dag_run = run_dag(dag)

    assert task_states(dag_run) == {
        "search": "success",
        "hold[0]": "success",
        "hold[1]": "success",
        "hold[2]": "success",
        "relabel": "success",
        "update_orders": "success",
    }
    assert [api.orders.get(i).status for i in order_ids] == ["CustomerCareHold"] * 3
    assert [api.orders.get(i).external_id for i in order_ids] == [f"held-{i[-4:]}" for i in order_ids]
    held = stored_xcoms(dag_run, "return_value")
    assert sorted(held[("hold", i)]["order_id"] for i in range(3)) == order_ids
    links = stored_xcoms(dag_run, "_link_OrderMeshOrderLink")
    assert sorted(links[("hold", i)] for i in range(3)) == [
        f"https://portal.test/orders/{i}" for i in order_ids
    ]
