"""Incremental mode: each run starts at the previous run's cursor and stops ``lag`` before now."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from operators.context import make_context
from operators.data import order

from airflow_provider_ordermesh.transfers.window import incremental_window

pytestmark = pytest.mark.sandbox


def test_the_next_window_starts_at_the_cursor_and_ends_lag_before_now():
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    first = incremental_window(None, first_since="2026-11-26T00:00:00Z", now=now, lag=timedelta(minutes=5))
    assert (first.since, first.before) == (datetime(2026, 11, 26, tzinfo=UTC), now - timedelta(minutes=5))
    early = incremental_window(first.before.isoformat(), first_since=None, now=now, lag=timedelta(minutes=10))
    assert early.empty and early.since == first.before  # never runs backwards


def test_runs_chain_through_the_previous_runs_xcom(om, api, export, read, tmp_path):
    om.reset(speed=1, step_seconds=1_000_000)  # the sandbox's clock runs with the wall clock
    base = f"file://{tmp_path}"
    start = om.backend.state.clock.now() - timedelta(hours=1)
    older = api.orders.create(order("MUG-11OZ-WHITE", external_id="inc-1")).id

    first = export(
        base,
        incremental=True,
        lag=timedelta(0),
        updated_since=start.isoformat(),
        context=make_context(task_id="export_orders"),
    )
    assert first["rows"] == 1 and first["window"]["since"] == start.isoformat()
    time.sleep(0.01)
    newer = api.orders.create(order("MUG-11OZ-WHITE", external_id="inc-2")).id
    second = export(
        base,
        incremental=True,
        lag=timedelta(0),
        updated_since=start.isoformat(),
        context=make_context(task_id="export_orders", pulled={"export_orders": first}),
    )

    assert second["window"]["since"] == first["cursor"]
    assert [r["id"] for r in read(first["paths"][0])] == [older]
    assert [r["id"] for r in read(second["paths"][0])] == [newer]
