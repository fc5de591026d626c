"""DAG parsing imports only what a sensor needs to check its arguments, not what it needs to wait."""

from __future__ import annotations

import subprocess
import sys

import pytest

RUN_TIME_ONLY = (
    "waits.step",
    "waits.progress",
    "waits.coalesce",
    "triggers.status",
    "triggers.inbound",
    "hooks.ordermesh",
)


@pytest.mark.parametrize(
    ("module", "built"),
    [
        ("status", "OrderMeshShipmentStatusSensor(task_id='wait', order_ids=['65add270441de72442397b6e'])"),
        ("inbound", "OrderMeshInboundOrderSensor(task_id='wait', safe_ids=['shop-1'])"),
    ],
)
def test_importing_the_sensors_leaves_the_run_time_modules_unloaded(module: str, built: str) -> None:
    script = (
        "import sys\n"
        f"from airflow_provider_ordermesh.sensors.{module} import {built.split('(')[0]}\n"
        f"{built}\n"
        f"loaded = [m for m in {RUN_TIME_ONLY!r} if 'airflow_provider_ordermesh.' + m in sys.modules]\n"
        "assert loaded == [], loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
