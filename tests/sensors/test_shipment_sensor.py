"""The shipment sensor against the sandbox: batched polls, fail fast, timeouts, soft_fail, API errors."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

import pytest
from support.orders import create_orders, search_requests, shipment_ids_of

from airflow_provider_ordermesh.compat import (
    AirflowFailException,
    AirflowRescheduleException,
    AirflowSensorTimeout,
    AirflowSkipException,
    TaskDeferred,
)
from airflow_provider_ordermesh.sensors.base import BACKSTOP_MARGIN_SECONDS
from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor, OrderMeshWaitError
from airflow_provider_ordermesh.triggers.status import OrderMeshShipmentStatusTrigger

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context, PokeReturnValue

NO_RETRIES = {"max_retries": 0}  # each 503 is then one failed poll, with no backoff sleeps


def sensor(**kwargs: Any) -> OrderMeshShipmentStatusSensor:
    return OrderMeshShipmentStatusSensor(
        **{"task_id": "wait", "poke_interval": 0.05, "timeout": 10, **kwargs}
    )


def test_poke_waits_until_every_shipment_is_shipped_and_returns_the_statuses(om, api):
    orders = create_orders(api, 2, "TSHIRT-1", "MUG-1")  # two shipments per order
    shipments = shipment_ids_of(api, orders)
    wait = sensor(order_ids=orders)
    assert wait.poke({}) is False
    om.advance(100)  # three 30 s lifecycle steps: Assigned -> Accepted -> InProduction -> Shipped
    done = cast("PokeReturnValue", wait.poke({}))
    assert done.is_done
    assert done.xcom_value == dict.fromkeys(shipments, "Shipped")


def test_250_shipments_cost_one_request_per_page_per_poll_not_one_per_shipment(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 260))
    assert len(shipments) == 260
    for page_size, pages in ((100, 3), (50, 6)):
        before = search_requests(om.stats(), "shipments.search")
        assert sensor(shipment_ids=shipments, page_size=page_size).poke({}) is False
        assert search_requests(om.stats(), "shipments.search") - before == pages


def test_whole_orders_are_polled_by_pages_too(om, api):
    orders = create_orders(api, 260)
    before = search_requests(om.stats(), "shipments.search")
    om.advance(100)
    done = cast("PokeReturnValue", sensor(order_ids=orders).poke({}))
    assert done.xcom_value is not None
    assert len(done.xcom_value) == 260 and set(done.xcom_value.values()) == {"Shipped"}
    assert search_requests(om.stats(), "shipments.search") - before == 3  # 100 + 100 + 60 shipments


def test_poke_mode_execute_pokes_until_done_and_returns_the_statuses(om, api):
    om.configure(speed=600)  # a 30 s lifecycle step every 0.05 s of real time
    shipments = shipment_ids_of(api, create_orders(api, 1))
    searched = search_requests(om.stats(), "shipments.search")
    result = sensor(shipment_ids=shipments, mode="poke", poke_interval=0.02).execute({})
    assert list(result) == shipments and result[shipments[0]] in {"Shipped", "Delivered"}
    assert search_requests(om.stats(), "shipments.search") - searched > 1, "it poked more than once"


def test_reschedule_mode_reschedules_then_returns_the_statuses(om, api):
    class TaskInstance:
        def get_first_reschedule_date(self, context: Any) -> None:
            return None

    shipments = shipment_ids_of(api, create_orders(api, 1))
    with pytest.raises(AirflowRescheduleException):
        sensor(shipment_ids=shipments, mode="reschedule").execute(cast("Context", {"ti": TaskInstance()}))
    om.advance(100)
    # A reschedule is a new task run: a fresh sensor object, as Airflow would build it.
    assert sensor(shipment_ids=shipments, mode="reschedule").execute(
        cast("Context", {"ti": TaskInstance()})
    ) == {shipments[0]: "Shipped"}


@pytest.mark.parametrize("soft_fail", [False, True])
def test_a_failure_status_fails_fast_naming_the_shipment_even_with_soft_fail(om, api, soft_fail):
    shipments = shipment_ids_of(api, create_orders(api, 2))
    om.reject_shipments([shipments[1]])
    with pytest.raises(OrderMeshWaitError, match=f"shipment {shipments[1]} is Rejected"):
        sensor(shipment_ids=shipments, soft_fail=soft_fail, timeout=60).execute({})


def test_a_timeout_fails_as_a_sensor_timeout_or_skips_with_soft_fail(om, api):
    om.configure(speed=0)  # nothing moves
    shipments = shipment_ids_of(api, create_orders(api, 1))
    with pytest.raises(AirflowSensorTimeout):
        sensor(shipment_ids=shipments, timeout=0.2).execute({})
    with pytest.raises(AirflowSkipException):
        sensor(shipment_ids=shipments, timeout=0.2, soft_fail=True).execute({})


def test_a_burst_of_503s_within_the_tolerance_does_not_fail_the_sensor(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.advance(100)
    om.set_faults([{"route": "shipments.search", "kind": "status", "status": 503, "count": 2}])
    wait = sensor(shipment_ids=shipments, max_consecutive_errors=3, hook_params=NO_RETRIES)
    assert wait.execute({}) == {shipments[0]: "Shipped"}
    assert om.stats()["requests"]["shipments.search"]["503"] == 2


@pytest.mark.parametrize("soft_fail", [False, True])
def test_503s_beyond_the_tolerance_fail_with_a_clear_message_even_with_soft_fail(om, api, soft_fail):
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.set_faults([{"route": "shipments.search", "kind": "status", "status": 503, "count": 3}])
    wait = sensor(
        shipment_ids=shipments, max_consecutive_errors=3, hook_params=NO_RETRIES, soft_fail=soft_fail
    )
    with pytest.raises(OrderMeshWaitError, match=r"gave up after 3 consecutive failed polls .* answered 503"):
        wait.execute({})


def test_an_unknown_status_name_fails_before_any_request(om, api):
    wait = sensor(
        shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], target_statuses=["OnHold"]
    )  # maybe a connection-defined name
    before = om.stats()["requestsTotal"]
    with pytest.raises(
        AirflowFailException, match="target_statuses: unknown shipment status 'OnHold'; known statuses"
    ):
        wait.execute({})  # fails without retry: a retry cannot make a bad name good
    assert om.stats()["requestsTotal"] == before


def test_the_connection_vocabulary_defines_extra_names(om, api, monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORDERMESH_DEFAULT", om.connection_json(shipment_statuses={"4": "Dispatched"})
    )
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.advance(100)
    assert sensor(shipment_ids=shipments, target_statuses=["Dispatched"]).execute({}) == {
        shipments[0]: "Dispatched"
    }


def test_deferrable_mode_pokes_once_then_defers_with_a_wall_clock_deadline(om, api):
    import time

    shipments = shipment_ids_of(api, create_orders(api, 1))
    wait = sensor(shipment_ids=shipments, deferrable=True, timeout=300, poke_interval=7)
    started = time.time()
    with pytest.raises(TaskDeferred) as deferred:
        wait.execute({})
    assert deferred.value.method_name == "execute_complete"
    trigger = deferred.value.trigger
    assert isinstance(trigger, OrderMeshShipmentStatusTrigger)
    assert started + 300 <= trigger.end_time <= time.time() + 300
    # Airflow's own timeout is a backstop after the trigger's deadline and its final poll, so the
    # trigger's timeout message (what is still pending) is what the task reports.
    assert deferred.value.timeout == timedelta(seconds=300 + 7 + BACKSTOP_MARGIN_SECONDS)
    assert trigger.shipment_ids == shipments and trigger.poll_interval == 7


def test_deferrable_mode_never_defers_a_wait_that_is_already_over(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.advance(100)
    assert sensor(shipment_ids=shipments, deferrable=True).execute({}) == {shipments[0]: "Shipped"}
