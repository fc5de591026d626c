"""The status triggers' run() under asyncio against the sandbox: one event per run, every outcome."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from support.orders import create_orders, search_requests, shipment_ids_of

from airflow_provider_ordermesh.compat import import_string  # the triggerer's loader
from airflow_provider_ordermesh.triggers.status import (
    OrderMeshOrderStatusTrigger,
    OrderMeshShipmentStatusTrigger,
)

NO_RETRIES = {"max_retries": 0}


def shipment_trigger(**kwargs: Any) -> OrderMeshShipmentStatusTrigger:
    args = {
        "target_statuses": [4, 5],
        "failure_statuses": [6, 7],
        "end_time": time.time() + 10,
        "poll_interval": 0.02,
        **kwargs,
    }
    return OrderMeshShipmentStatusTrigger(**args)


async def run_once(trigger: Any, timeout: float = 5) -> dict[str, Any]:
    """The trigger's event, checking that it is its only one (the generator ends after it)."""
    events = [event.payload async for event in _bounded(trigger.run(), timeout)]
    assert len(events) == 1, events
    assert json.loads(json.dumps(events[0])) == events[0], "the payload must be plain JSON"
    return events[0]


async def wait_until(condition: Any, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def _bounded(agen: Any, timeout: float) -> Any:
    while True:
        try:
            yield await asyncio.wait_for(anext(agen), timeout)
        except StopAsyncIteration:
            return


async def test_success_when_every_shipment_is_shipped(om, api):
    om.configure(speed=1000)
    orders = create_orders(api, 2)
    shipments = shipment_ids_of(api, orders)
    event = await run_once(shipment_trigger(order_ids=orders))
    assert event["status"] == "success" and event["pending"] == [] and event["error_type"] is None
    assert set(event["statuses"]) == set(shipments)
    assert set(event["statuses"].values()) <= {"Shipped", "Delivered"}


async def test_the_trigger_reads_the_connection_only_through_the_async_api(om, api, monkeypatch):
    from airflow_provider_ordermesh.compat import BaseHook

    def sync_lookup(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("sync get_connection called inside the event loop")

    monkeypatch.setattr(BaseHook, "get_connection", classmethod(sync_lookup))
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.advance(100)
    assert (await run_once(shipment_trigger(shipment_ids=shipments)))["status"] == "success"


async def test_failure_names_the_shipment_and_its_status(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 2))
    om.reject_shipments([shipments[0]])
    event = await run_once(shipment_trigger(shipment_ids=shipments))
    assert event["status"] == "failure"
    assert f"shipment {shipments[0]} is Rejected" in event["message"]
    assert event["statuses"] == {shipments[0]: "Rejected", shipments[1]: "Assigned"}
    assert event["pending"] == [shipments[1]]


MISSING = "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b99"
"""A well-formed shipment id the sandbox does not know."""


async def test_timeout_after_a_final_check_lists_what_is_pending(om, api):
    om.configure(speed=0)
    shipments = shipment_ids_of(api, create_orders(api, 1))
    started = time.time()
    event = await run_once(
        shipment_trigger(shipment_ids=[*shipments, MISSING], end_time=started + 0.3, unknown_id_grace=1000)
    )
    assert event["status"] == "timeout"
    assert time.time() - started >= 0.3
    assert event["pending"] == [shipments[0], MISSING]
    assert f"shipment {shipments[0]} is Assigned" in event["message"]
    assert f"shipment {MISSING} not found" in event["message"]
    assert "timed out at 20" in event["message"], "the deadline is shown as a time, not an epoch"


async def test_an_id_the_api_does_not_know_fails_the_wait_after_the_grace_not_at_the_timeout(om, api):
    om.configure(speed=0)
    shipments = shipment_ids_of(api, create_orders(api, 1))
    started = time.time()

    event = await run_once(
        shipment_trigger(
            shipment_ids=[*shipments, MISSING],
            end_time=started + 3600,
            poll_interval=0.01,
            unknown_id_grace=2,
        )
    )

    assert event["status"] == "failure" and time.time() - started < 60
    assert f"does not know shipment {MISSING}: not found in 2 polls in a row" in event["message"]
    assert shipments[0] not in event["message"].split(":")[0]


UNKNOWN_ORDER = "65add270441de72442397b00"
"""A well-formed order id the sandbox does not know."""


async def test_an_order_the_api_does_not_know_ends_a_shipment_wait_after_the_grace(om, api):
    # Issue 22: a missing order was taken for "no shipments yet" and waited for until the timeout.
    om.configure(speed=0)
    order = create_orders(api, 1)[0]
    started = time.time()

    event = await run_once(
        shipment_trigger(
            order_ids=[order, UNKNOWN_ORDER], end_time=started + 3600, poll_interval=0.01, unknown_id_grace=2
        )
    )

    assert event["status"] == "failure" and time.time() - started < 60
    assert f"does not know order {UNKNOWN_ORDER}: not found in 2 polls in a row" in event["message"]
    assert UNKNOWN_ORDER in event["pending"] and order not in event["message"]


async def test_a_passed_deadline_still_checks_once_before_declaring_a_timeout(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.advance(100)
    event = await run_once(shipment_trigger(shipment_ids=shipments, end_time=time.time() - 60))
    assert event["status"] == "success"


async def test_a_rebuilt_trigger_resumes_with_the_same_ids_and_deadline(om, api):
    om.configure(speed=0)
    shipments = shipment_ids_of(api, create_orders(api, 1))
    first = shipment_trigger(shipment_ids=shipments, end_time=time.time() + 30)
    searched = search_requests(om.stats(), "shipments.search")
    task = asyncio.ensure_future(run_once(first))
    # A few polls, then the triggerer stops it (a restart, or a move to another triggerer).
    await wait_until(lambda: search_requests(om.stats(), "shipments.search") >= searched + 2)
    task.cancel()
    classpath, kwargs = first.serialize()
    rebuilt = import_string(classpath)(**kwargs)
    assert rebuilt.end_time == first.end_time, "the deadline must not restart"
    om.advance(100)
    event = await run_once(rebuilt)
    assert event == {
        "status": "success",
        "message": event["message"],
        "statuses": {shipments[0]: "Shipped"},
        "pending": [],
        "error_type": None,
    }


async def test_a_burst_of_503s_within_the_tolerance_is_survived(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.advance(100)
    om.set_faults([{"route": "shipments.search", "kind": "status", "status": 503, "count": 2}])
    searched = om.stats()["requests"]["shipments.search"]["200"]
    event = await run_once(
        shipment_trigger(shipment_ids=shipments, max_consecutive_errors=3, hook_params=NO_RETRIES)
    )
    assert event["status"] == "success"
    assert om.stats()["requests"]["shipments.search"] == {"503": 2, "200": searched + 1}


async def test_503s_beyond_the_tolerance_end_in_an_error_event_with_the_error_type(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.set_faults([{"route": "shipments.search", "kind": "status", "status": 503, "count": 3}])
    event = await run_once(
        shipment_trigger(shipment_ids=shipments, max_consecutive_errors=3, hook_params=NO_RETRIES)
    )
    assert event["status"] == "error" and event["error_type"] == "ServerError"
    assert "gave up after 3 consecutive failed polls" in event["message"] and "503" in event["message"]


async def test_the_clients_own_retries_count_as_one_poll(om, api):

    shipments = shipment_ids_of(api, create_orders(api, 1))
    om.advance(100)
    om.set_faults(
        [{"route": "shipments.search", "kind": "status", "status": 503, "retryAfter": 0, "count": 2}]
    )
    trigger = shipment_trigger(
        shipment_ids=shipments, max_consecutive_errors=1, hook_params={"max_retries": 2}
    )
    assert (await run_once(trigger))["status"] == "success"  # two retries inside one poll, no failed poll


async def test_a_permanent_error_ends_the_wait_at_once(om, api, monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORDERMESH_DEFAULT", om.connection_json().replace("sandbox-secret", "wrong")
    )
    event = await run_once(
        shipment_trigger(shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], max_consecutive_errors=5)
    )
    assert event["status"] == "error" and event["error_type"] == "AuthenticationError"
    assert "wrong" not in json.dumps(event), "no secret in the event"


async def test_bad_arguments_end_in_an_error_event_naming_the_field(om):
    event = await run_once(shipment_trigger(order_ids=["not/an-order"]))
    assert event["status"] == "error" and event["error_type"] == "InvalidRequestError"
    assert "order_ids[0]" in event["message"]


async def test_order_trigger_success_and_failure(om, api):
    orders = create_orders(api, 2, "TSHIRT-1", "MUG-1")
    items = [item.id for item in api.orders.get(orders[1]).items]
    om.advance(100)
    trigger = OrderMeshOrderStatusTrigger(
        order_ids=orders,
        order_item_ids=items,
        target_statuses=["Fulfilled"],
        failure_statuses=["Cancelled"],
        end_time=time.time() + 5,
        poll_interval=0.02,
    )
    event = await run_once(trigger)
    assert event["status"] == "success"
    assert event["statuses"] == dict.fromkeys([*orders, *items], "Fulfilled")

    cancelled = create_orders(api, 1)[0]
    api.orders.cancel({"orderId": cancelled})
    trigger = OrderMeshOrderStatusTrigger(
        order_ids=[*orders, cancelled],
        target_statuses=["Fulfilled"],
        failure_statuses=["Cancelled"],
        end_time=time.time() + 5,
        poll_interval=0.02,
    )
    event = await run_once(trigger)
    assert event["status"] == "failure" and f"order {cancelled} is Cancelled" in event["message"]


@pytest.mark.parametrize("limit", [0, "3"])
async def test_a_bad_error_limit_is_an_error_event_not_a_crash(om, limit):
    event = await run_once(
        shipment_trigger(shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"], max_consecutive_errors=limit)
    )
    assert event["status"] == "error" and "max_consecutive_errors" in event["message"]


async def test_the_order_trigger_names_rejected_shipments_in_its_timeout_and_fails_on_them_when_asked(
    om, api
):
    om.configure(speed=0)
    order = create_orders(api, 1)[0]
    (shipment,) = api.orders.get(order).shipment_ids
    om.reject_shipments([shipment])
    args: dict[str, Any] = {"order_ids": [order], "target_statuses": ["Fulfilled"], "poll_interval": 0.02}
    timed_out = await run_once(OrderMeshOrderStatusTrigger(**args, end_time=time.time() + 0.2))
    assert timed_out["status"] == "timeout"
    assert f"order {order} is Open (shipment {shipment} is Rejected)" in timed_out["message"]
    trigger = OrderMeshOrderStatusTrigger(**args, end_time=time.time() + 10, fail_on_rejected_shipments=True)
    rebuilt = OrderMeshOrderStatusTrigger(**trigger.serialize()[1])
    failed = await run_once(rebuilt)
    assert failed["status"] == "failure" and f"shipment {shipment} is Rejected" in failed["message"]


async def test_triggers_of_one_event_loop_share_their_searches_and_each_gets_only_its_own_shipments(om, api):
    shipments = shipment_ids_of(api, create_orders(api, 3))
    rejected, shipped = shipments[0], shipments[1:]
    om.reject_shipments([rejected])
    om.advance(100)
    searched = search_requests(om.stats(), "shipments.search")
    # A 10 s poll interval lets each search wait 0.1 s for the others' (every wait ends at its first poll).
    triggers = [shipment_trigger(shipment_ids=[shipment], poll_interval=10) for shipment in shipments]

    events = await asyncio.gather(*(run_once(trigger) for trigger in triggers))

    assert search_requests(om.stats(), "shipments.search") == searched + 1, "one search for the three waits"
    assert events[0]["status"] == "failure" and events[0]["statuses"] == {rejected: "Rejected"}
    assert [event["statuses"] for event in events[1:]] == [{shipment: "Shipped"} for shipment in shipped]
    assert all(event["status"] == "success" for event in events[1:])
