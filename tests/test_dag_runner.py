"""The dag.test() harness itself works: a two-task DAG with an XCom hand-off runs to success."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest
from support.dag_runner import run_dag, task_states


@pytest.mark.airflow_db
def test_run_dag_runs_a_small_dag_to_success(airflow_db):
    from airflow.sdk import dag, task

    @dag(dag_id="harness_smoke", schedule=None, start_date=datetime.datetime(2024, 1, 1), catchup=False)
    def harness_smoke():
        @task
        def produce() -> int:
            return 21

        @task
        def double(value: int) -> int:
            return value * 2

        double(cast(Any, produce()))  # an XComArg where the task takes what it holds at run time

    run = run_dag(harness_smoke())
    assert str(run.state) == "success"
    assert task_states(run) == {"produce": "success", "double": "success"}
