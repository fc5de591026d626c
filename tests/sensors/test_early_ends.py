"""Waits that should end early do (issue 22): unknown ids of every kind, empty inputs, uncovered statuses.

Each behaviour runs against the sandbox over HTTP in poke, reschedule and deferrable modes.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
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
from airflow_provider_ordermesh.sensors.status import (
    OrderMeshOrderStatusSensor,
    OrderMeshShipmentStatusSensor,
    OrderMeshWaitError,
)

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context

UNKNOWN_ORDER = "65add270441de72442397b00"
"""A well-formed order id the sandbox does not know."""
UNKNOWN_SHIPMENT = "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b99"


def shipment_sensor(**kwargs: Any) -> OrderMeshShipmentStatusSensor:
    return OrderMeshShipmentStatusSensor(
        **{"task_id": "wait", "poke_interval": 0.02, "timeout": 30, **kwargs}
    )


def order_sensor(**kwargs: Any) -> OrderMeshOrderStatusSensor:
    return OrderMeshOrderStatusSensor(**{"task_id": "wait", "poke_interval": 0.02, "timeout": 30, **kwargs})


class RescheduledTaskInstance:
    """What a reschedule-mode sensor asks of its task instance: when the wait's first poke ran."""

    def __init__(self, first_poke: datetime | None) -> None:
        self.first_poke = first_poke

    def get_first_reschedule_date(self, context: Any) -> datetime | None:
        return self.first_poke


# --- an order id OrderMesh does not know ------------------------------------------------------


def test_a_shipment_sensor_given_an_unknown_order_fails_after_the_grace_not_at_the_timeout(om, api):
    order = create_orders(api, 1)[0]
    wait = shipment_sensor(order_ids=[order, UNKNOWN_ORDER], unknown_id_grace=2, mode="poke")
    started = time.monotonic()
    with pytest.raises(
        OrderMeshWaitError, match=f"does not know order {UNKNOWN_ORDER}: not found in 2 polls"
    ):
        wait.execute({})
    assert time.monotonic() - started < 30, "it ended before the timeout"


def test_the_order_lookup_is_made_only_for_orders_without_shipments(om, api):
    orders = create_orders(api, 3)
    searched = search_requests(om.stats(), "orders.search")
    assert shipment_sensor(order_ids=orders).poke({}) is False
    assert search_requests(om.stats(), "orders.search") == searched, "every order has shipments: no lookup"
    assert shipment_sensor(order_ids=[*orders, UNKNOWN_ORDER]).poke({}) is False
    assert search_requests(om.stats(), "orders.search") == searched + 1, (
        "one lookup for the order without any"
    )


def test_in_reschedule_mode_the_grace_counts_the_pokes_of_earlier_runs(om, api):
    # Each reschedule is a new task run: the grace counts the poke intervals since the first poke.
    shipments = shipment_ids_of(api, create_orders(api, 1))
    just_started = RescheduledTaskInstance(None)
    with pytest.raises(AirflowRescheduleException):
        shipment_sensor(
            shipment_ids=[*shipments, UNKNOWN_SHIPMENT],
            mode="reschedule",
            poke_interval=60,
            unknown_id_grace=3,
        ).execute(cast("Context", {"ti": just_started}))
    two_pokes_ago = RescheduledTaskInstance(datetime.now(UTC) - timedelta(seconds=125))
    with pytest.raises(
        OrderMeshWaitError, match=f"does not know shipment {UNKNOWN_SHIPMENT}: not found in 3 polls"
    ):
        shipment_sensor(
            shipment_ids=[*shipments, UNKNOWN_SHIPMENT],
            mode="reschedule",
            poke_interval=60,
            unknown_id_grace=3,
        ).execute(cast("Context", {"ti": two_pokes_ago}))


def test_in_reschedule_mode_an_unknown_order_of_a_shipment_wait_ends_it_too(om, api):
    long_ago = RescheduledTaskInstance(datetime.now(UTC) - timedelta(minutes=10))
    with pytest.raises(OrderMeshWaitError, match=f"does not know order {UNKNOWN_ORDER}"):
        shipment_sensor(order_ids=[UNKNOWN_ORDER], mode="reschedule", poke_interval=60).execute(
            cast("Context", {"ti": long_ago})
        )


def test_in_deferrable_mode_the_trigger_ends_the_wait_on_an_unknown_order(om, api):
    wait = shipment_sensor(order_ids=[UNKNOWN_ORDER], deferrable=True, unknown_id_grace=2, poke_interval=0.01)
    with pytest.raises(TaskDeferred) as deferred:
        wait.execute({})
    events = asyncio.run(_events(deferred.value.trigger))
    assert [event["status"] for event in events] == ["failure"]
    with pytest.raises(
        OrderMeshWaitError, match=f"does not know order {UNKNOWN_ORDER}: not found in 2 polls"
    ):
        wait.execute_complete({}, events[0])


async def _events(trigger: Any) -> list[dict[str, Any]]:
    return [event.payload async for event in trigger.run()]


# --- an empty input --------------------------------------------------------------------------


@pytest.mark.parametrize("make", [shipment_sensor, order_sensor])
@pytest.mark.parametrize("mode", ["poke", "reschedule", "deferrable"])
def test_an_empty_input_fails_by_default_naming_the_option(om, make, mode):
    wait = make(order_ids="{{ ti.xcom_pull('find') }}", **_mode(mode))
    wait.order_ids = "[]"  # as rendered from an upstream that found nothing
    before = om.stats()["requestsTotal"]
    with pytest.raises(
        AirflowFailException, match=r"nothing to wait for; .*on_empty='skip' or on_empty='succeed'"
    ):
        wait.execute({"ti": RescheduledTaskInstance(None)})
    assert om.stats()["requestsTotal"] == before, "nothing is sent"


@pytest.mark.parametrize("make", [shipment_sensor, order_sensor])
@pytest.mark.parametrize("mode", ["poke", "reschedule", "deferrable"])
def test_an_empty_input_can_skip_or_succeed_without_a_request(om, make, mode):
    before = om.stats()["requestsTotal"]
    with pytest.raises(AirflowSkipException, match="on_empty='skip'"):
        make(order_ids=[], on_empty="skip", **_mode(mode)).execute({"ti": RescheduledTaskInstance(None)})
    assert (
        make(order_ids="[]", on_empty="succeed", **_mode(mode)).execute({"ti": RescheduledTaskInstance(None)})
        == {}
    )
    assert om.stats()["requestsTotal"] == before


def test_a_literal_empty_input_still_fails_at_parse_time_unless_on_empty_allows_it():
    with pytest.raises(ValueError, match="order_ids and order_item_ids are empty"):
        order_sensor(order_ids=[])
    order_sensor(order_ids=[], on_empty="skip")


@pytest.mark.parametrize("value", ["Skip", "ignore", None, True])
def test_a_bad_on_empty_is_refused_naming_the_choices(value):
    with pytest.raises(ValueError, match=r"on_empty: must be one of 'fail', 'skip', 'succeed'"):
        shipment_sensor(shipment_ids=[UNKNOWN_SHIPMENT], on_empty=value)


def _mode(mode: str) -> dict[str, Any]:
    return {"deferrable": True} if mode == "deferrable" else {"mode": mode}


# --- statuses that are neither target nor failure -------------------------------------------

WAIT_GOES_ON = {
    "poke": AirflowSensorTimeout,
    "reschedule": AirflowRescheduleException,
    "deferrable": TaskDeferred,
}


MISSED = (
    "Cancelled, Delivered, Rejected: neither a target nor a failure status, so an id that reaches one waits"
)


@pytest.mark.parametrize("mode", ["poke", "reschedule", "deferrable"])
def test_a_warning_at_the_start_names_end_statuses_that_are_neither_target_nor_failure(om, api, capsys, mode):
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.reject_shipments(shipments)  # Rejected, and it is no failure status here: the wait cannot end
    wait = shipment_sensor(
        shipment_ids=shipments, target_statuses=["Shipped"], failure_statuses=[], timeout=0.1, **_mode(mode)
    )
    with pytest.raises(WAIT_GOES_ON[mode]):
        wait.execute(cast("Context", {"ti": RescheduledTaskInstance(None)}))
    logged = capsys.readouterr().out
    assert MISSED in logged
    assert logged.index(MISSED) < logged.index("still waiting"), "the warning comes before the first poll"


def test_no_warning_with_the_default_statuses_and_one_for_an_order_wait_that_misses_fulfilled(
    om, api, capsys
):
    orders = create_orders(api, 1)
    om.advance(100)
    shipment_sensor(order_ids=orders).execute({})
    order_sensor(order_ids=orders).execute({})
    assert "neither a target nor a failure" not in capsys.readouterr().out
    with pytest.raises(AirflowSensorTimeout):
        order_sensor(order_ids=orders, target_statuses=["InProduction"], timeout=0.1).execute({})
    assert "Fulfilled: neither a target nor a failure status" in capsys.readouterr().out
