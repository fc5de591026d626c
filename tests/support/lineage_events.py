"""OpenLineage events as the OpenLineage provider's file transport writes them, and what the example
DAGs' OrderMesh tasks must report in them (issue 28).

One home for the expectations: ``tests/dags/test_lineage_events.py`` checks them on ``dag.test()``
runs, ``tests/deployment/test_real_deployment.py`` on runs of a real deployment, whose workers
write to the same kind of file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

Pair = tuple[str, str]
"""A dataset as (namespace, name)."""
Datasets = tuple[tuple[Pair, ...], tuple[Pair, ...]]
"""A COMPLETE event's (inputs, outputs)."""

EXPORTED = ("orders", "shipments")
"""What the nightly export DAG exports: task ``export_{resource}`` reads ``resource``."""

FULFILLMENT_TASKS = frozenset(
    {
        "create_orders",
        "wait_for_facilities",
        "find_rejected",
        "reroute_rejected",
        "wait_until_shipped",
        "collect_shipments",
    }
)
"""The OrderMesh tasks of ``ordermesh_order_fulfillment`` (its plain Python tasks report nothing)."""


def file_transport(path: Path) -> dict[str, str]:
    """The Airflow settings (environment) that send every OpenLineage event to ``path``, one JSON a line.

    ``append`` keeps one file for every process that emits (the workers, the scheduler).
    """
    return {
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(
            {"type": "file", "log_file_path": str(path), "append": True}
        ),
        "AIRFLOW__OPENLINEAGE__DISABLED": "False",
    }


def complete_events(path: Path, run_id: str | None = None) -> list[dict[str, Any]]:
    """The COMPLETE events of tasks (job names ``dag.task``) written so far, of one DAG run if given."""
    lines = path.read_text().splitlines() if path.exists() else []
    events = [json.loads(line) for line in lines if line.strip()]
    return [
        e
        for e in events
        if e.get("eventType") == "COMPLETE"
        and "." in e["job"]["name"]
        and (run_id is None or run_id_of(e) == run_id)
    ]


def run_id_of(event: dict[str, Any]) -> str | None:
    """The Airflow run id of a task's event (the provider's ``airflow`` run facet)."""
    return event["run"]["facets"].get("airflow", {}).get("dagRun", {}).get("run_id")


def pairs(datasets: list[dict[str, Any]]) -> tuple[Pair, ...]:
    """(namespace, name) of each dataset of an event, in its order."""
    return tuple((d["namespace"], d["name"]) for d in datasets)


def task_id_of(event: dict[str, Any]) -> str:
    return str(event["job"]["name"].rsplit(".", 1)[-1])


def datasets_by_task(path: Path, tasks: Iterable[str], run_id: str | None = None) -> dict[str, set[Datasets]]:
    """``{task_id: {(inputs, outputs), ...}}`` of the given tasks (a mapped or re-run task: one per
    distinct answer)."""
    wanted = set(tasks)
    found: dict[str, set[Datasets]] = {}
    for event in complete_events(path, run_id):
        if (task_id := task_id_of(event)) in wanted:
            found.setdefault(task_id, set()).add((pairs(event["inputs"]), pairs(event["outputs"])))
    return found


def partition(base: Path, resource: str, day: date) -> Path:
    """The nightly export's partition folder of ``resource`` for ``day`` under a ``file://`` base."""
    return base / f"resource={resource}" / f"date={day.isoformat()}"


def assert_nightly_export(events: list[dict[str, Any]], ordermesh: str, base: Path, night: datetime) -> None:
    """Each export task read its OrderMesh resource and wrote exactly its partition, one file of rows,
    with the window from ``night`` as a run facet. ``events``: COMPLETE events of the run(s);
    ``ordermesh``: the dataset namespace, ``ordermesh://{host}``; ``base``: the export's folder."""
    for resource in EXPORTED:
        ours = [e for e in events if task_id_of(e) == f"export_{resource}"]
        assert ours, f"no COMPLETE event of export_{resource} among {[e['job']['name'] for e in events]}"
        for event in ours:
            assert pairs(event["inputs"]) == ((ordermesh, resource),)
            assert pairs(event["outputs"]) == (("file", str(partition(base, resource, night.date()))),)
            stats = event["outputs"][0]["outputFacets"]["outputStatistics"]
            assert stats["fileCount"] == 1 and stats["rowCount"] >= 1
            assert datetime.fromisoformat(event["run"]["facets"]["ordermesh_window"]["since"]) == night


def fulfillment_datasets(ordermesh: str, orders_file: Path) -> dict[str, set[Datasets]]:
    """What each OrderMesh task of ``ordermesh_order_fulfillment`` reads and writes, exactly."""
    orders, shipments = ((ordermesh, "orders"),), ((ordermesh, "shipments"),)
    return {
        "create_orders": {((("file", str(orders_file)),), orders)},
        "wait_for_facilities": {(shipments, ())},
        "find_rejected": {(shipments, ())},
        "reroute_rejected": {((), shipments)},
        "wait_until_shipped": {(shipments, ())},
        "collect_shipments": {(shipments, ())},
    }
