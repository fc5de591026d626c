"""Sensor arguments: checked when the DAG is parsed where possible, else after templating; no request."""

from __future__ import annotations

import pytest

from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.models.statuses import UnknownStatusError
from airflow_provider_ordermesh.sensors.status import (
    OrderMeshOrderStatusSensor,
    OrderMeshShipmentStatusSensor,
)

ORDER = "65add270441de72442397b6e"


def test_defaults_wait_for_shipped_or_delivered_and_fail_on_rejected_or_cancelled():
    watch = OrderMeshShipmentStatusSensor(
        task_id="w", shipment_ids="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"
    ).build_watch(at_runtime=False)
    assert watch.targets == {4, 5} and watch.failures == {6, 7}
    order_watch = OrderMeshOrderStatusSensor(task_id="o", order_ids=ORDER).build_watch(at_runtime=False)
    assert order_watch.targets == {"Fulfilled"} and order_watch.failures == {"Cancelled"}


def test_failure_statuses_can_be_switched_off():
    sensor = OrderMeshShipmentStatusSensor(
        task_id="w", shipment_ids="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01", failure_statuses=[]
    )
    assert sensor.build_watch(at_runtime=False).failures == frozenset()


@pytest.mark.parametrize(
    ("kwargs", "error", "problem"),
    [
        (
            {
                "shipment_ids": ["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"],
                "target_statuses": ["Shiped"],
                "status_vocabulary": {},
            },
            UnknownStatusError,
            r"unknown shipment status 'Shiped'; known statuses: Unassigned \(0\)",
        ),
        (
            {
                "shipment_ids": ["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"],
                "target_statuses": ["Shipped"],
                "failure_statuses": ["Shipped"],
            },
            ValueError,
            "both contain Shipped",
        ),
        ({"order_ids": ["1/2"]}, InvalidRequestError, r"order_ids\[0\]"),
        ({}, ValueError, "nothing to wait for"),
        (
            {"shipment_ids": ["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], "max_consecutive_errors": 0},
            ValueError,
            "max_consecutive_errors",
        ),
        (
            {"shipment_ids": ["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], "page_size": 1000},
            ValueError,
            "page_size",
        ),
        (
            {
                "shipment_ids": ["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"],
                "hook_params": {"retry_policy": object()},
            },
            ValueError,
            "hook_params",
        ),
    ],
)
def test_shipment_sensor_refuses_bad_arguments_at_parse_time(kwargs, error, problem):
    with pytest.raises(error, match=problem):
        OrderMeshShipmentStatusSensor(task_id="w", **kwargs)


def test_a_name_only_the_connection_may_define_is_checked_at_run_time_not_parse_time():
    # "OnHold" is not a default name, but the connection's shipment_statuses extra may add it.
    sensor = OrderMeshShipmentStatusSensor(
        task_id="w", shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], target_statuses=["OnHold"]
    )
    with pytest.raises(UnknownStatusError, match="OnHold"):
        sensor.build_watch(at_runtime=False)


def test_templated_fields_are_checked_after_rendering_only():
    sensor = OrderMeshShipmentStatusSensor(
        task_id="w", shipment_ids="{{ params.ids }}", target_statuses="{{ params.statuses }}"
    )
    assert sensor.template_fields == (
        "ordermesh_conn_id",
        "shipment_ids",
        "order_ids",
        "target_statuses",
        "failure_statuses",
    )
    sensor.shipment_ids, sensor.target_statuses = (
        "['0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01', '0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02']",
        "Shipped,Delivered",
    )  # as rendered
    watch = sensor.build_watch(at_runtime=False)
    assert watch.shipment_ids == (
        "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01",
        "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02",
    ) and watch.targets == {4, 5}


def test_statuses_are_still_checked_when_only_the_ids_are_templated():
    with pytest.raises(UnknownStatusError, match="Fulfiled"):
        OrderMeshOrderStatusSensor(task_id="o", order_ids="{{ params.order }}", target_statuses=["Fulfiled"])


def test_order_sensor_refuses_unknown_order_statuses_listing_the_known_ones():
    with pytest.raises(UnknownStatusError, match="known statuses: Cancelled, CustomerCareHold, Fulfilled"):
        OrderMeshOrderStatusSensor(task_id="o", order_ids=[ORDER], failure_statuses=["Canceled"])


def test_deferrable_defaults_to_the_operators_default_deferrable_setting(monkeypatch):
    assert (
        OrderMeshShipmentStatusSensor(
            task_id="a", shipment_ids="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"
        ).deferrable
        is False
    )
    monkeypatch.setenv("AIRFLOW__OPERATORS__DEFAULT_DEFERRABLE", "True")
    assert (
        OrderMeshShipmentStatusSensor(
            task_id="b", shipment_ids="0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"
        ).deferrable
        is True
    )
    assert OrderMeshOrderStatusSensor(task_id="c", order_ids=ORDER, deferrable=False).deferrable is False


def test_trigger_built_by_the_sensor_carries_codes_and_renamed_statuses_only():
    sensor = OrderMeshShipmentStatusSensor(
        task_id="w",
        order_ids=[ORDER],
        status_vocabulary={"4": "Dispatched"},
        target_statuses=["Dispatched"],
        poke_interval=7,
        page_size=50,
        max_consecutive_errors=2,
        hook_params={"max_retries": 1},
    )
    trigger = sensor.make_trigger(sensor.build_watch(at_runtime=True), end_time=123.0)
    _, kwargs = trigger.serialize()
    assert kwargs["target_statuses"] == [4] and kwargs["failure_statuses"] == [6, 7]
    assert kwargs["status_names"] == {"4": "Dispatched"}
    assert (kwargs["poll_interval"], kwargs["page_size"], kwargs["max_consecutive_errors"]) == (7.0, 50, 2)
    assert kwargs["end_time"] == 123.0 and kwargs["hook_params"] == {"max_retries": 1}
