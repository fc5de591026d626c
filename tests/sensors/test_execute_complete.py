"""execute_complete handles every trigger event status explicitly and fails closed on anything else."""

from __future__ import annotations

import pytest

from airflow_provider_ordermesh.compat import AirflowException, AirflowSensorTimeout
from airflow_provider_ordermesh.sensors.status import (
    OrderMeshOrderStatusSensor,
    OrderMeshShipmentStatusSensor,
    OrderMeshWaitError,
)

ORDER = "65add270441de72442397b6e"
SENSORS = [
    lambda: OrderMeshShipmentStatusSensor(task_id="s", shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"]),
    lambda: OrderMeshOrderStatusSensor(task_id="o", order_ids=[ORDER]),
]


def event(status, **extra):
    return {
        "status": status,
        "message": f"the {status} message",
        "statuses": {"0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01": "Shipped"},
        "pending": [],
        "error_type": None,
        **extra,
    }


@pytest.mark.parametrize("make", SENSORS)
def test_success_returns_the_statuses(make):
    assert make().execute_complete({}, event("success")) == {
        "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01": "Shipped"
    }


@pytest.mark.parametrize(
    ("payload", "error", "text"),
    [
        (
            event("failure", message="OrderMesh wait failed: shipment s1 is Cancelled"),
            OrderMeshWaitError,
            "shipment s1 is Cancelled",
        ),
        (event("timeout"), AirflowSensorTimeout, "the timeout message"),
        (
            event("error", error_type="AuthenticationError"),
            OrderMeshWaitError,
            r"the error message \[AuthenticationError\]",
        ),
        (event("cancelled"), OrderMeshWaitError, "status 'cancelled'.*failing closed"),
        (event("SUCCESS"), OrderMeshWaitError, "failing closed"),
        ({"message": "no status at all"}, OrderMeshWaitError, "failing closed"),
        (None, OrderMeshWaitError, "failing closed"),
        ("success", OrderMeshWaitError, "failing closed"),
    ],
)
@pytest.mark.parametrize("make", SENSORS)
def test_every_other_status_raises_with_the_events_message(make, payload, error, text):
    with pytest.raises(error, match=text):
        make().execute_complete({}, payload)


def test_real_failures_are_not_airflow_exceptions_so_soft_fail_cannot_turn_them_into_skips():
    # BaseSensorOperator.resume_execution skips on any AirflowException when soft_fail is set.
    assert not issubclass(OrderMeshWaitError, AirflowException)
    assert issubclass(AirflowSensorTimeout, AirflowException)
