"""DAG parsing imports only what a sensor needs to check its arguments, not what it needs to wait."""

from __future__ import annotations

import subprocess
import sys

RUN_TIME_ONLY = ("waits.step", "waits.progress", "waits.coalesce", "triggers.status", "hooks.ordermesh")


def test_importing_the_sensors_leaves_the_run_time_modules_unloaded():
    script = (
        "import sys\n"
        "from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor\n"
        "OrderMeshShipmentStatusSensor(task_id='wait', order_ids=['65add270441de72442397b6e'])\n"
        f"loaded = [m for m in {RUN_TIME_ONLY!r} if 'airflow_provider_ordermesh.' + m in sys.modules]\n"
        "assert loaded == [], loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
