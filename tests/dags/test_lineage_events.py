"""OpenLineage events of ``dag.test()`` runs of the example DAGs, through the OpenLineage provider's
own listener and a file transport: inputs and outputs are exactly the expected datasets (issue 28)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from support.dag_runner import run_dag, task_states
from support.lineage_events import (
    FULFILLMENT_TASKS,
    assert_nightly_export,
    complete_events,
    datasets_by_task,
    file_transport,
    fulfillment_datasets,
)

from airflow_provider_ordermesh.assets import host_of

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


@pytest.fixture
def events_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The file the OpenLineage provider's listener writes every event to, one JSON per line.

    The provider reads its settings once and registers its listener when Airflow loads plugins,
    which an earlier test of the session may have done without a transport: the settings' caches
    are cleared, the listener registered with the task runner's listener manager if it is not, and
    its client rebuilt, then all of it undone.
    """
    pytest.importorskip("airflow.providers.openlineage", reason="needs apache-airflow-providers-openlineage")
    from airflow.providers.openlineage import conf as ol_conf
    from airflow.providers.openlineage.plugins.listener import get_openlineage_listener

    try:  # the task runner's listener manager: airflow.sdk from 3.2, core in 3.1
        from airflow.sdk.listener import get_listener_manager
    except ImportError:
        from airflow.listeners import listener as core_listeners

        get_listener_manager = cast(Any, core_listeners.get_listener_manager)  # core's manager, its own type

    path = tmp_path / "events.jsonl"
    for name, value in file_transport(path).items():
        monkeypatch.setenv(name, value)

    def forget_settings() -> None:
        for setting in vars(ol_conf).values():
            getattr(setting, "cache_clear", lambda: None)()
        get_openlineage_listener().adapter._client = None

    forget_settings()
    manager, listener = get_listener_manager(), get_openlineage_listener()
    added = not manager.pm.is_registered(listener)
    if added:
        manager.add_listener(listener)
    try:
        yield path
    finally:
        if added:
            manager.pm.unregister(listener)
        monkeypatch.undo()
        forget_settings()


def test_the_nightly_export_emits_its_ordermesh_inputs_and_partition_outputs(
    airflow_db, example_dag, ordermesh, example_orders, export_lake, monkeypatch, events_file
):
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    lake = export_lake
    monkeypatch.setenv("ORDERMESH_EXPORT_BASE", f"file://{lake}")
    ordermesh.reset(speed=0, step_seconds=1_000_000)
    with OrderMeshHook().client as client:
        for o in example_orders()[:3]:
            client.orders.create({k: v for k, v in o.items() if k != "safeId"})
    day = ordermesh.backend.state.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)

    run = run_dag(example_dag("ordermesh_nightly_export"), logical_date=day + timedelta(days=1))
    assert str(run.state) == "success", task_states(run)

    assert_nightly_export(complete_events(events_file), f"ordermesh://{host_of(ordermesh.url)}", lake, day)


def test_the_fulfillment_and_returns_dags_emit_exactly_their_ordermesh_datasets(
    airflow_db, example_dag, ordermesh, example_orders, tmp_path, events_file
):
    om = f"ordermesh://{host_of(ordermesh.url)}"
    orders = ((om, "orders"),)
    ordermesh.reset(speed=600, step_seconds=30, reject_rate=0.0)
    day = tmp_path / "orders.jsonl"
    day.write_text("".join(f"{json.dumps(o)}\n" for o in example_orders()[:10]), encoding="utf-8")

    run = run_dag(example_dag("ordermesh_order_fulfillment"), run_conf={"orders_file": str(day)})
    assert str(run.state) == "success", task_states(run)
    assert datasets_by_task(events_file, FULFILLMENT_TASKS) == fulfillment_datasets(om, day)

    ordermesh.reset(speed=0)
    run = run_dag(example_dag("ordermesh_returns_and_refunds"))
    assert str(run.state) == "success", task_states(run)
    found = datasets_by_task(
        events_file, {"create_orders", "read_orders", "cancel_items", "refund_items", "read_back"}
    )
    assert found["read_orders"] == found["read_back"] == {(orders, ())}
    assert found["cancel_items"] == found["refund_items"] == {((), orders)}
    assert ((), orders) in found["create_orders"]
