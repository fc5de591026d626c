"""Child process of the triggerer-load benchmark: many shipment waits in one event loop, CPU measured.

Run as ``python -m benchmarks.cases.triggerer_child --mode provider|baseline --ids-file F --window S
--poll-interval S --url URL [--stagger]``. ``provider`` runs one ``OrderMeshShipmentStatusTrigger`` per
shipment, as a triggerer would (``async for event in trigger.run()``); ``baseline`` runs one
polling loop per shipment, each with its own ``httpx.AsyncClient`` kept for the whole wait (a
trigger written without a shared transport; ``HttpAsyncHook``'s session per request costs
more). After imports and set-up, the process's CPU time is read before and after ``window``
seconds of wall time, and the polls started meanwhile are counted (each trigger's fetch, each
baseline request): triggers share their searches, so requests do not tell polls. With
``--stagger`` the waits start at scattered moments over the first poll interval instead of
together. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

SHIPPED = (4, 5)
FAILED = (6, 7)


POLLS = [0]
"""Polls made by all waits together (a trigger's fetch, or one baseline request), for the rounds."""


def provider_waits(
    ids: list[str], *, poll_interval: float, deadline: float
) -> list[Callable[[], Awaitable[Any]]]:
    import airflow_provider_ordermesh.triggers.status as trigger_module
    from airflow_provider_ordermesh.triggers.status import OrderMeshShipmentStatusTrigger
    from benchmarks.harness.environment import ORDERMESH_CONN_ID

    real_afetch = trigger_module.afetch

    async def counted_afetch(*args: Any, **kwargs: Any) -> Any:
        POLLS[0] += 1
        return await real_afetch(*args, **kwargs)

    trigger_module.afetch = counted_afetch

    triggers = [
        OrderMeshShipmentStatusTrigger(
            shipment_ids=[shipment_id],
            target_statuses=SHIPPED,
            failure_statuses=FAILED,
            end_time=deadline,
            ordermesh_conn_id=ORDERMESH_CONN_ID,
            poll_interval=poll_interval,
        )
        for shipment_id in ids
    ]

    def wait(trigger: Any) -> Callable[[], Awaitable[Any]]:
        async def first_event() -> Any:
            async for event in trigger.run():
                return event.payload

        return first_event

    return [wait(trigger) for trigger in triggers]


def baseline_waits(ids: list[str], *, url: str, poll_interval: float) -> list[Callable[[], Awaitable[Any]]]:
    import httpx

    from benchmarks.cases.baselines import TOKEN_BODY, TOKEN_PATH, bearer

    headers = bearer(httpx.post(url + TOKEN_PATH, json=TOKEN_BODY, timeout=30).json()["accessToken"])

    def wait(shipment_id: str) -> Callable[[], Awaitable[Any]]:
        async def poll_until_shipped() -> Any:
            async with httpx.AsyncClient(timeout=30) as client:
                while True:
                    POLLS[0] += 1
                    answer = await client.get(f"{url}/shipment/v1/{shipment_id}", headers=headers)
                    if answer.status_code == 200 and answer.json().get("shipmentStatus") in SHIPPED + FAILED:
                        return answer.json()
                    await asyncio.sleep(poll_interval)

        return poll_until_shipped

    return [wait(shipment_id) for shipment_id in ids]


def staggered(waits: list[Callable[[], Awaitable[Any]]], spread: float) -> list[Callable[[], Awaitable[Any]]]:
    """The waits, each started after its own delay drawn evenly from ``[0, spread)`` (seeded), as
    tasks deferred at scattered moments reach a triggerer."""
    rng = random.Random(7)

    def later(wait: Callable[[], Awaitable[Any]], delay: float) -> Callable[[], Awaitable[Any]]:
        async def start_later() -> Any:
            await asyncio.sleep(delay)
            return await wait()

        return start_later

    return [later(wait, rng.uniform(0, spread)) for wait in waits]


async def measure(waits: list[Callable[[], Awaitable[Any]]], window: float) -> dict[str, Any]:
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    tasks: list[asyncio.Future[Any]] = [asyncio.ensure_future(wait()) for wait in waits]
    await asyncio.sleep(window)
    cpu, wall = time.process_time() - cpu_started, time.perf_counter() - wall_started
    polls = POLLS[0]
    finished = [task for task in tasks if task.done()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    errors = [repr(task.exception())[:200] for task in finished if not task.cancelled() and task.exception()]
    return {
        "cpu_seconds": cpu,
        "wall_seconds": wall,
        "polls": polls,
        "finished": len(finished),
        "errors": errors[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("provider", "baseline"), required=True)
    parser.add_argument("--ids-file", required=True)
    parser.add_argument("--window", type=float, required=True)
    parser.add_argument("--poll-interval", type=float, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--stagger", action="store_true", help="start the waits over one poll interval")
    args = parser.parse_args()
    with open(args.ids_file, encoding="utf-8") as handle:
        ids = json.load(handle)
    if args.mode == "provider":
        waits = provider_waits(
            ids, poll_interval=args.poll_interval, deadline=time.time() + args.window + 3600
        )
    else:
        waits = baseline_waits(ids, url=args.url, poll_interval=args.poll_interval)
    if args.stagger:
        waits = staggered(waits, args.poll_interval)
    print(json.dumps(asyncio.run(measure(waits, args.window))))


if __name__ == "__main__":
    main()
