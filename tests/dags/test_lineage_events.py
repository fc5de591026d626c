"""OpenLineage events of a ``dag.test()`` run of the nightly export, through the OpenLineage provider's
own listener and a file transport: the inputs and outputs are exactly the expected datasets (issue 28)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from support.dag_runner import run_dag, task_states

from airflow_provider_ordermesh.assets import host_of

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


def _events(path):
    return (
        [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    )


def test_the_nightly_export_emits_its_ordermesh_inputs_and_partition_outputs(
    airflow_db, example_dag, ordermesh, example_orders, tmp_path, monkeypatch
):
    pytest.importorskip("airflow.providers.openlineage", reason="needs apache-airflow-providers-openlineage")
    from airflow.providers.openlineage import conf as ol_conf

    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    events_file = tmp_path / "events.jsonl"
    monkeypatch.setenv(
        "AIRFLOW__OPENLINEAGE__TRANSPORT",
        json.dumps({"type": "file", "log_file_path": str(events_file), "append": True}),
    )
    monkeypatch.setenv("AIRFLOW__OPENLINEAGE__DISABLED", "False")
    for cached in (ol_conf.transport, ol_conf.is_disabled):
        getattr(cached, "cache_clear", lambda: None)()
    lake = tmp_path / "lake"
    monkeypatch.setenv("ORDERMESH_EXPORT_BASE", f"file://{lake}")
    ordermesh.reset(speed=0, step_seconds=1_000_000)
    with OrderMeshHook().client as client:
        for o in example_orders()[:3]:
            client.orders.create({k: v for k, v in o.items() if k != "safeId"})
    day = ordermesh.backend.state.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)

    run = run_dag(example_dag("ordermesh_nightly_export"), logical_date=day + timedelta(days=1))
    assert str(run.state) == "success", task_states(run)

    complete = {
        e["job"]["name"].rsplit(".", 1)[-1]: e
        for e in _events(events_file)
        if e.get("eventType") == "COMPLETE" and "." in e["job"]["name"]
    }
    namespace = f"ordermesh://{host_of(ordermesh.url)}"
    for resource in ("orders", "shipments"):
        event = complete[f"export_{resource}"]
        assert [(d["namespace"], d["name"]) for d in event["inputs"]] == [(namespace, resource)]
        partition = lake / f"resource={resource}" / f"date={day:%Y-%m-%d}"
        assert [(d["namespace"], d["name"]) for d in event["outputs"]] == [("file", str(partition))]
        stats = event["outputs"][0]["outputFacets"]["outputStatistics"]
        assert stats["fileCount"] == 1 and stats["rowCount"] >= 1
        assert event["run"]["facets"]["ordermesh_window"]["since"] == day.isoformat()
