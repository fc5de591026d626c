"""Child process of the end-to-end benchmark: the fulfillment example DAG run with ``dag.test()``.

Run as ``python -m benchmarks.cases.end_to_end_child --orders-file F [--migrate]`` with
``AIRFLOW_CONN_ORDERMESH_DEFAULT`` pointing at a sandbox and ``ORDERMESH_EXAMPLE_POLL_SECONDS``
set (the DAG reads it when it is parsed). ``--migrate`` first re-creates the Airflow metadata DB
of ``AIRFLOW_HOME`` (SQLite), which is not timed. Then the DAG is parsed from ``dags/``, stored
in the DB as the DAG processor would, and run once with the orders file as its ``orders_file``
param, as ``scripts/demo.py`` does. Prints one JSON line: the run's state, the failed tasks, the
summary task's XCom, and the wall and CPU time of ``dag.test()``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.harness.child import REPOSITORY

DAG_FILE = REPOSITORY / "dags" / "ordermesh_order_fulfillment.py"
DAG_ID = "ordermesh_order_fulfillment"
SUMMARY_TASK = "report_summary"


def run_dag(orders_file: Path) -> dict[str, Any]:
    from airflow_provider_ordermesh.compat import DagBag, register_dag

    bag = DagBag(dag_folder=str(DAG_FILE), safe_mode=False)
    if DAG_ID not in bag.dags:
        raise RuntimeError(f"{DAG_FILE.name} did not parse: {bag.import_errors}")
    dag: Any = bag.dags[DAG_ID]  # a DAG; Airflow 3.4 types DagBag's values as DAG | SerializedDAG
    register_dag(dag)
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    run = dag.test(logical_date=datetime.now(UTC), run_conf={"orders_file": str(orders_file)})
    cpu, wall = time.process_time() - cpu_started, time.perf_counter() - wall_started
    failed, summary = [], None
    for ti in run.get_task_instances():
        if str(ti.state) != "success":
            failed.append(f"{ti.task_id}[{ti.map_index}]: {ti.state}")
        elif ti.task_id == SUMMARY_TASK:
            summary = ti.xcom_pull(task_ids=SUMMARY_TASK)
    return {
        "state": str(run.state),
        "failed": failed,
        "summary": summary,
        "wall_seconds": wall,
        "cpu_seconds": cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders-file", required=True, type=Path)
    parser.add_argument("--migrate", action="store_true")
    args = parser.parse_args()
    if args.migrate:
        from airflow_provider_ordermesh.compat import reset_metadata_db

        os.makedirs(os.environ["AIRFLOW__CORE__DAGS_FOLDER"], exist_ok=True)
        reset_metadata_db()
    print(json.dumps(run_dag(args.orders_file), default=str))


if __name__ == "__main__":
    main()
