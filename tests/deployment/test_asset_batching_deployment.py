"""Airflow 3.4 with ``[scheduler] batch_asset_events = True``: the example consumers stay right.

3.4 starts one run per asset event by default (``test_real_deployment`` checks that mode on 3.4
and the batched one before it); a user who sets the option back to True gets 3.3's batching. Here
a deployment with the option set exports three nights at once, and the example consumer of the
export's events loads each night exactly once, in as few runs as the scheduler batched them into.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from support.orders import create_orders
from test_real_deployment import FROZEN, LOAD_DAG_ID, assert_each_export_loaded_once

from airflow_provider_ordermesh import compat

pytestmark = [
    pytest.mark.deployment,
    pytest.mark.slow,
    pytest.mark.skipif(
        compat.airflow_version() < (3, 4),
        reason="before 3.4 asset events are always batched: test_real_deployment covers that mode",
    ),
]


@pytest.fixture(scope="module")
def deployment_settings() -> dict[str, str]:
    """This module's deployment batches asset events, as 3.3 did."""
    return {"AIRFLOW__SCHEDULER__BATCH_ASSET_EVENTS": "True"}


def test_three_nights_exported_at_once_are_each_loaded_once(deployment, deployed_sandbox, deployed_api):
    airflow = deployment
    airflow.unpause(LOAD_DAG_ID)
    deployed_sandbox.reset(**FROZEN)
    order_ids = create_orders(deployed_api, 20)
    changed = datetime.fromisoformat(str(deployed_api.orders.get(order_ids[0]).updated_at))
    last_night = datetime.combine(changed.astimezone(UTC).date(), time(), UTC)

    nights = [last_night - timedelta(days=days) for days in (2, 1, 0)]
    run_ids = [
        airflow.trigger("ordermesh_nightly_export", data_interval=(night, night + timedelta(days=1)))
        for night in nights
    ]
    for run_id in run_ids:
        assert airflow.wait_for_run("ordermesh_nightly_export", run_id) == "success", airflow.explain(
            "ordermesh_nightly_export", run_id
        )

    assert_each_export_loaded_once(airflow, batched=True)
