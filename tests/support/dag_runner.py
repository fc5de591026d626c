"""Run a DAG end to end with ``dag.test()`` inside pytest.

Airflow 3.1+ only runs DAGs that are serialized in a bundle, so ``run_dag`` first stores the DAG
in the metadata DB (through compat, which knows where each Airflow version keeps that call). The
``airflow_db`` fixture migrates a fresh SQLite DB once per session (in the private
``AIRFLOW_HOME`` that tests/conftest.py set up).
"""

from __future__ import annotations

import functools
import os
from typing import Any

import pytest


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """A migrated, empty Airflow metadata DB for this test session, and ``dag.test()`` made quick."""
    from airflow_provider_ordermesh.compat import reset_metadata_db

    os.makedirs(os.environ["AIRFLOW__CORE__DAGS_FOLDER"], exist_ok=True)
    reset_metadata_db()
    share_the_in_process_api()


def run_dag(dag: Any, **test_kwargs: Any) -> Any:
    """Serialize ``dag`` into the DB, run it with ``dag.test()`` and return the DagRun."""
    from airflow_provider_ordermesh.compat import register_dag

    register_dag(dag)
    return dag.test(**test_kwargs)


def share_the_in_process_api() -> None:
    """Build ``dag.test()``'s in-process execution API once per process, as Airflow 3.3+ does.

    Airflow 3.1 and 3.2 build a new one (its versioned routes, seconds of CPU, and an event-loop
    thread that never ends) for every task ``dag.test()`` runs: five times slower example-DAG tests.
    """
    from airflow.sdk.execution_time import supervisor

    if not hasattr(supervisor.in_process_api_server, "cache_info"):  # 3.3+ caches it already
        supervisor.in_process_api_server = functools.lru_cache(maxsize=1)(supervisor.in_process_api_server)


def task_states(dag_run: Any) -> dict[str, str]:
    """``{task_id (with map index when mapped): state}`` of a finished run, for assertions."""
    states = {}
    for ti in dag_run.get_task_instances():
        key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
        states[key] = str(ti.state)
    return states
