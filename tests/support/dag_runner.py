"""Run a DAG end to end with ``dag.test()`` inside pytest.

Airflow 3.3 only runs DAGs that are serialized in a bundle, so ``run_dag`` first syncs the DAG
to the metadata DB. The ``airflow_db`` fixture migrates a fresh SQLite DB once per session
(in the private ``AIRFLOW_HOME`` that tests/conftest.py set up).
"""

from __future__ import annotations

import os
from typing import Any

import pytest


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """A migrated, empty Airflow metadata DB for this test session."""
    from airflow.utils import db

    os.makedirs(os.environ["AIRFLOW__CORE__DAGS_FOLDER"], exist_ok=True)
    db.resetdb()


def run_dag(dag: Any, **test_kwargs: Any) -> Any:
    """Serialize ``dag`` into the DB, run it with ``dag.test()`` and return the DagRun."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder=os.devnull)
    bag.bag_dag(dag)
    sync_bag_to_db(bag, "dags-folder", None)
    return dag.test(**test_kwargs)


def task_states(dag_run: Any) -> dict[str, str]:
    """``{task_id (with map index when mapped): state}`` of a finished run, for assertions."""
    states = {}
    for ti in dag_run.get_task_instances():
        key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
        states[key] = str(ti.state)
    return states
