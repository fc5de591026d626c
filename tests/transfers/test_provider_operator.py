"""The transfer is a provider operator: templated connection id, ``hook_params``, and no retries
for answers no retry can fix, like every other OrderMesh operator (issue 25, item 3)."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from operators.conftest import FAST_RETRIES
from operators.context import make_context
from operators.data import order

from airflow_provider_ordermesh.client import RetryPolicy
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator

pytestmark = pytest.mark.sandbox


def _day(om):
    day = om.backend.state.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return {"updated_since": day.isoformat(), "updated_before": (day + timedelta(days=1)).isoformat()}


def _run(op, **context):
    ctx = {**make_context(task_id=op.task_id), **context}
    op.render_template_fields(ctx)
    return op.execute(ctx)


def test_the_transfer_is_built_on_the_providers_base_operator():
    assert issubclass(OrderMeshToObjectStorageOperator, OrderMeshBaseOperator)
    assert "ordermesh_conn_id" in OrderMeshToObjectStorageOperator.template_fields


def test_a_templated_connection_id_reads_from_the_connection_it_renders_to(om, api, tmp_path, monkeypatch):
    om.reset(speed=0, step_seconds=1_000_000)
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_LAKE", om.connection_json())
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORDERMESH_DEFAULT", '{"conn_type": "ordermesh", "host": "http://127.0.0.1:9"}'
    )
    placed = api.orders.create(order("MUG-11OZ-WHITE", external_id="conn-1")).id
    op = OrderMeshToObjectStorageOperator(
        task_id="export",
        resource="orders",
        base_path=f"file://{tmp_path}",
        ordermesh_conn_id="{{ params.source }}",
        **_day(om),
    )

    result = _run(op, params={"source": "ordermesh_lake"})

    assert op.ordermesh_conn_id == "ordermesh_lake"
    assert result["rows"] == 1
    [written] = [p for p in tmp_path.rglob("*.jsonl.gz")]
    assert placed in gzip.decompress(written.read_bytes()).decode()


def test_hook_params_reach_the_client(om, api, tmp_path):
    om.reset(speed=0, step_seconds=1_000_000)
    api.orders.create(order("MUG-11OZ-WHITE", external_id="hp-1"))
    om.set_faults([{"route": "orders.search", "kind": "status", "status": 503, "count": 2}])
    no_retries = {"retry_policy": RetryPolicy(max_retries=0, backoff_base=0.0, jitter=lambda c: 0.0)}

    def build(hook_params):
        return OrderMeshToObjectStorageOperator(
            task_id="export",
            resource="orders",
            base_path=f"file://{tmp_path}",
            hook_params=hook_params,
            **_day(om),
        )

    # Without client retries the 503 reaches Airflow, which may retry it: not a no-retry failure.
    with pytest.raises(Exception) as failed:
        _run(build(no_retries))
    assert not isinstance(failed.value, AirflowFailException)
    # The client's own retries (given through hook_params) ride out the second 503.
    assert _run(build(FAST_RETRIES))["rows"] == 1


def test_an_answer_no_retry_can_fix_fails_without_retries_and_writes_nothing(om, tmp_path):
    om.reset(speed=0, step_seconds=1_000_000)
    om.set_faults([{"route": "orders.search", "kind": "status", "status": 422}])
    op = OrderMeshToObjectStorageOperator(
        task_id="export",
        resource="orders",
        base_path=f"file://{tmp_path}",
        hook_params=FAST_RETRIES,
        **_day(om),
    )

    with pytest.raises(AirflowFailException, match="422"):
        _run(op)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
