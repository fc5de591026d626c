"""The order event trigger against the sandbox: fires for new orders, once each; resumes from its store."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, cast

from support.orders import create_orders, search_requests

from airflow_provider_ordermesh.triggers.events import OrderMeshOrderEventTrigger

if TYPE_CHECKING:
    from airflow.sdk.execution_time.context import AssetStateStoreAccessors


class MemoryStateStore:
    """Stands in for the asset state store the Airflow 3.3 triggerer hands to a watcher.

    It has the store's ``aget`` and ``aset`` only, so tests cast it to the store's type.
    """

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    async def aget(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    async def aset(self, key: str, value: Any) -> None:
        self.values[key] = json.loads(json.dumps(value))  # stored as JSON, as Airflow does


async def wait_until(condition: Callable[[], object], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


@asynccontextmanager
async def running(trigger: OrderMeshOrderEventTrigger) -> AsyncIterator[list[dict[str, Any]]]:
    """Run the trigger in the background (as the triggerer does); the payloads it fires, as they come."""
    events: list[dict[str, Any]] = []

    async def consume() -> None:
        async for event in trigger.run():
            events.append(event.payload)

    task = asyncio.ensure_future(consume())
    try:
        yield events
    finally:
        task.cancel()
        (outcome,) = await asyncio.gather(task, return_exceptions=True)
        if isinstance(outcome, Exception):  # the trigger crashed rather than being stopped
            raise outcome


def polls(om: Any) -> int:
    return search_requests(om.stats(), "orders.search")


async def after_polls(om: Any, count: int) -> None:
    """Wait until the trigger has polled ``count`` more times."""
    target = polls(om) + count
    await wait_until(lambda: polls(om) >= target)


async def test_fires_for_new_orders_only_and_never_twice_for_the_same_ones(om, api):
    existing = create_orders(api, 2)
    async with running(OrderMeshOrderEventTrigger(statuses=["Open"], poll_interval=0.02)) as events:
        await after_polls(om, 1)  # the first poll learns what already exists
        new = create_orders(api, 3)
        await wait_until(lambda: events)
        await after_polls(om, 3)
        assert events == [
            {"orders": dict.fromkeys(new, "Open"), "count": 3, "watermark": events[0]["watermark"]}
        ]
        assert not set(existing) & set(events[0]["orders"])
        assert json.loads(json.dumps(events)) == events


async def test_status_changes_fire_when_no_status_filter_is_set(om, api):
    async with running(OrderMeshOrderEventTrigger(poll_interval=0.02)) as events:
        await after_polls(om, 1)
        order = create_orders(api, 1)[0]
        await wait_until(lambda: len(events) == 1)
        api.orders.cancel({"orderId": order})
        await wait_until(lambda: len(events) == 2)
        await after_polls(om, 3)
    assert [event["orders"] for event in events] == [{order: "Open"}, {order: "Cancelled"}]


async def test_a_start_watermark_reports_what_already_exists_in_batches(om, api):
    existing = create_orders(api, 5)
    trigger = OrderMeshOrderEventTrigger(
        start_watermark="2000-01-01T00:00:00Z", max_orders_per_event=2, poll_interval=0.02
    )
    async with running(trigger) as events:
        await wait_until(lambda: len(events) == 3)
        await after_polls(om, 2)
    assert [event["count"] for event in events] == [2, 2, 1]
    assert [order for event in events for order in event["orders"]] == existing


async def test_api_errors_never_end_the_watch(om, api):
    om.set_faults([{"route": "orders.search", "kind": "status", "status": 503, "count": 4}])
    trigger = OrderMeshOrderEventTrigger(
        poll_interval=0.02, max_consecutive_errors=2, hook_params={"max_retries": 0}
    )
    async with running(trigger) as events:
        await wait_until(
            lambda: om.stats()["requests"].get("orders.search", {}).get("503", 0) == 4, timeout=10
        )
        await after_polls(om, 1)  # the baseline, once the API is back
        new = create_orders(api, 1)
        await wait_until(lambda: events)
    assert events[0]["orders"] == {new[0]: "Open"}


async def test_a_restarted_watcher_resumes_from_its_stored_watermark(om, api):
    store = MemoryStateStore()
    first = OrderMeshOrderEventTrigger(statuses=["Open"], poll_interval=0.02)
    first.asset_state_store = cast("AssetStateStoreAccessors", store)
    async with running(first) as events:
        await after_polls(om, 1)
        reported = create_orders(api, 2)
        await wait_until(lambda: events)
    assert events[0]["orders"] == dict.fromkeys(reported, "Open")
    assert store.values[first.state_key]["watermark"] == events[0]["watermark"]

    while_down = create_orders(api, 1)  # created while no triggerer ran it
    second = OrderMeshOrderEventTrigger(**first.serialize()[1])
    second.asset_state_store = cast("AssetStateStoreAccessors", store)
    async with running(second) as events:
        await wait_until(lambda: events)
        await after_polls(om, 3)
    assert events == [{"orders": {while_down[0]: "Open"}, "count": 1, "watermark": events[0]["watermark"]}]


async def test_a_restarted_watcher_does_not_repeat_orders_updated_since_with_the_same_status(om, api):
    store = MemoryStateStore()
    first = OrderMeshOrderEventTrigger(statuses=["Open"], poll_interval=0.02)
    first.asset_state_store = cast("AssetStateStoreAccessors", store)
    async with running(first) as events:
        await after_polls(om, 1)
        early = create_orders(api, 2)
        await wait_until(lambda: events)
        later = create_orders(api, 1)  # moves the watermark past the first two
        await wait_until(lambda: len(events) == 2)
        await after_polls(om, 2)

    om.advance_shipments(to_status="Accepted")  # every order is updated, and stays Open
    assert {api.orders.get(order_id).status for order_id in early + later} == {"Open"}
    while_down = create_orders(api, 1)
    second = OrderMeshOrderEventTrigger(**first.serialize()[1])
    second.asset_state_store = cast("AssetStateStoreAccessors", store)
    async with running(second) as events:
        await wait_until(lambda: events)
        await after_polls(om, 3)
    assert [event["orders"] for event in events] == [{while_down[0]: "Open"}]


async def test_a_restart_before_the_first_event_keeps_the_starting_point(om, api):
    store = MemoryStateStore()
    first = OrderMeshOrderEventTrigger(statuses=["Open"], poll_interval=0.02)
    first.asset_state_store = cast("AssetStateStoreAccessors", store)
    async with running(first):
        await after_polls(om, 2)  # the baseline, saved though there was nothing to report
    created_while_down = create_orders(api, 1)
    second = OrderMeshOrderEventTrigger(**first.serialize()[1])
    second.asset_state_store = cast("AssetStateStoreAccessors", store)
    async with running(second) as events:
        await wait_until(lambda: events)
    assert events[0]["orders"] == {created_while_down[0]: "Open"}


async def test_two_instances_of_one_watcher_at_once_report_each_order_once(om, api):
    # Airflow can run one watcher's trigger on two triggerers for a while (apache/airflow#69319).
    store = MemoryStateStore()
    first = OrderMeshOrderEventTrigger(statuses=["Open"], poll_interval=0.02)
    first.asset_state_store = cast("AssetStateStoreAccessors", store)
    async with running(first) as events_first:
        await after_polls(om, 1)  # the starting point, saved
        second = OrderMeshOrderEventTrigger(**first.serialize()[1])
        second.asset_state_store = cast("AssetStateStoreAccessors", store)
        async with running(second) as events_second:
            await after_polls(om, 2)  # both are polling now
            created = []
            for _ in range(3):
                created += create_orders(api, 2)
                await after_polls(om, 4)
    reported = [order_id for event in events_first + events_second for order_id in event["orders"]]
    assert sorted(reported) == sorted(created)  # every order, and none twice
    assert set(store.values[first.state_key]["orders"]) >= set(created)
