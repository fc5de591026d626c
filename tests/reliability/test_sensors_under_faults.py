"""Status waits on 200 shipments through bursts of 503s: within the tolerance they go on, beyond it
they fail naming the cause, and a deferred wait survives its trigger being rebuilt from ``serialize()``.

The waits' own sleeps (the sensor's poke interval, the trigger's poll interval) are replaced by a
script that, at each wait, arms the next burst of faults or moves the shipments on. So every poll
is deterministic and nothing sleeps for real. The client makes no retries of its own here
(``max_retries: 0``), so each 503 is one failed poll that the wait's error budget must absorb.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from support.orders import create_orders, shipment_ids_of

from airflow_provider_ordermesh.compat import TaskDeferred
from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor, OrderMeshWaitError
from reliability.support import requests_to, reset_stats

pytestmark = pytest.mark.sandbox

SHIPMENTS = 200
TOLERANCE = 3
"""``max_consecutive_errors``: the third failed poll in a row ends the wait."""


def burst(sandbox: Any, polls: int) -> Callable[[], None]:
    """A step that makes the next ``polls`` polls fail with 503 (a poll stops at its first failed page)."""
    return lambda: sandbox.set_faults(
        [{"route": "shipments.search", "kind": "status", "status": 503, "count": polls}]
    )


class Script:
    """Stands in for the wait's sleep: each wait runs the next step (arm faults, ship), then returns."""

    def __init__(self, *steps: Callable[[], None] | None) -> None:
        self.steps = list(steps)
        self.waits = 0

    def __call__(self, seconds: float) -> None:
        self.waits += 1
        if self.steps and (step := self.steps.pop(0)) is not None:
            step()

    async def asleep(self, seconds: float) -> None:
        self(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def shipments(om: Any, record_property: Callable[[str, object], None]) -> Iterator[list[str]]:
    """200 shipments (one per order), Assigned; the request counts then start from zero.

    Afterwards it records the wait's figures for the proof table (tests/support/proofs.py).
    """
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    with OrderMeshHook().client as client:
        ids = shipment_ids_of(client, create_orders(client, SHIPMENTS))
    assert len(ids) == SHIPMENTS
    reset_stats(om)
    yield ids
    searches = requests_to(om.stats(), "shipments.search")
    record_property(f"waits on {SHIPMENTS} shipments", 1)
    record_property("searches answered 200", searches.get("200", 0))
    record_property("searches answered 503", searches.get("503", 0))


@pytest.fixture
def ship(om: Any) -> Callable[[], None]:
    return lambda: om.advance_shipments(to_status="Shipped")


def sensor(ids: list[str], **kwargs: Any) -> OrderMeshShipmentStatusSensor:
    return OrderMeshShipmentStatusSensor(
        task_id="wait_for_shipping",
        shipment_ids=ids,
        poke_interval=30,
        timeout=3600,
        max_consecutive_errors=TOLERANCE,
        hook_params={"max_retries": 0},
        **kwargs,
    )


@pytest.fixture
def scripted_pokes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Script]]:
    """Install a ``Script`` as the sensor's sleep between pokes (poke mode)."""
    import airflow.sdk.bases.sensor as sensor_module

    def install(*steps: Callable[[], None] | None) -> Script:
        script = Script(*steps)
        monkeypatch.setattr(sensor_module, "time", SimpleNamespace(sleep=script, monotonic=time.monotonic))
        return script

    yield install


@pytest.fixture
def scripted_polls(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Script]:
    """Install a ``Script`` as the triggers' sleep between polls."""
    import airflow_provider_ordermesh.triggers.status as trigger_module

    def install(*steps: Callable[[], None] | None) -> Script:
        script = Script(*steps)
        monkeypatch.setattr(trigger_module, "asyncio", SimpleNamespace(sleep=script.asleep))
        return script

    return install


async def first_event(trigger: Any) -> dict[str, Any]:
    async for event in trigger.run():
        return event.payload
    raise AssertionError("the trigger ended without an event")


# --- poke mode -------------------------------------------------------------------------------


def test_poke_mode_keeps_going_through_bursts_within_its_tolerance(om, shipments, ship, scripted_pokes):
    script = scripted_pokes(
        burst(om, TOLERANCE - 1),  # after poke 1 (all Assigned): pokes 2 and 3 fail
        None,
        None,  # poke 4 succeeds (still Assigned) and resets the count
        burst(om, TOLERANCE - 1),  # pokes 5 and 6 fail
        None,
        ship,  # the shipments ship; poke 7 sees it
    )

    result = sensor(shipments, mode="poke").execute({})

    assert result == dict.fromkeys(shipments, "Shipped")
    assert script.waits == 6
    # 3 good polls of 2 pages each (200 ids, 100 per search), 4 polls failed at their first page.
    assert requests_to(om.stats(), "shipments.search") == {"200": 6, "503": 4}


def test_poke_mode_fails_with_a_clear_message_beyond_its_tolerance(om, shipments, scripted_pokes):
    scripted_pokes(burst(om, TOLERANCE))

    with pytest.raises(OrderMeshWaitError) as failed:
        sensor(shipments, mode="poke").execute({})

    message = str(failed.value)
    assert f"gave up after {TOLERANCE} consecutive failed polls of the OrderMesh API" in message
    assert f"max_consecutive_errors={TOLERANCE}" in message
    assert "ServerError: OrderMesh answered 503 to GET /shipment/v1/search" in message
    assert requests_to(om.stats(), "shipments.search") == {"200": 2, "503": TOLERANCE}


# --- deferrable: the trigger ------------------------------------------------------------------


def defer(ids: list[str]) -> tuple[OrderMeshShipmentStatusSensor, Any]:
    """The sensor in deferrable mode: it pokes once (nothing shipped yet) and hands over its trigger."""
    wait = sensor(ids, deferrable=True)
    with pytest.raises(TaskDeferred) as deferred:
        wait.execute({})
    return wait, deferred.value.trigger


async def test_the_trigger_keeps_polling_through_bursts_within_its_tolerance(
    om, shipments, ship, scripted_polls
):
    wait, trigger = defer(shipments)
    scripted_polls(burst(om, TOLERANCE - 1), None, None, burst(om, TOLERANCE - 1), None, ship)

    event = await first_event(trigger)

    assert event["status"] == "success" and event["statuses"] == dict.fromkeys(shipments, "Shipped")
    assert wait.execute_complete({}, event) == dict.fromkeys(shipments, "Shipped")
    # The sensor's first poke (2 pages), then the trigger: 3 good polls, 4 failed.
    assert requests_to(om.stats(), "shipments.search") == {"200": 8, "503": 4}


async def test_the_trigger_ends_with_an_error_event_beyond_its_tolerance_and_the_task_fails(
    om, shipments, scripted_polls
):
    wait, trigger = defer(shipments)
    scripted_polls(burst(om, TOLERANCE))

    event = await first_event(trigger)

    assert event["status"] == "error" and event["error_type"] == "ServerError"
    assert f"gave up after {TOLERANCE} consecutive failed polls" in event["message"]
    assert sorted(event["pending"]) == sorted(shipments), "the event says what was still awaited"
    with pytest.raises(OrderMeshWaitError, match=r"consecutive failed polls.*\[ServerError\]"):
        wait.execute_complete({}, event)


async def test_a_trigger_rebuilt_from_serialize_resumes_where_it_was(om, shipments, ship, scripted_polls):
    wait, trigger = defer(shipments)
    classpath, kwargs = trigger.serialize()
    # The triggerer stores the arguments as JSON and may run the trigger on another host.
    stored = json.loads(json.dumps(kwargs))

    # The first triggerer polls once, then dies (its task is cancelled while it waits).
    def triggerer_dies() -> None:
        raise asyncio.CancelledError

    scripted_polls(triggerer_dies)
    with pytest.raises(asyncio.CancelledError):
        await first_event(trigger)

    module, _, name = classpath.rpartition(".")
    rebuilt = getattr(importlib.import_module(module), name)(**stored)  # what the triggerer does
    assert rebuilt.serialize() == (classpath, kwargs)
    assert rebuilt.shipment_ids == shipments and rebuilt.end_time == trigger.end_time > time.time()

    scripted_polls(burst(om, TOLERANCE - 1), None, None, ship)
    event = await first_event(rebuilt)

    assert event["status"] == "success"
    assert wait.execute_complete({}, event) == dict.fromkeys(shipments, "Shipped")
