"""Watching shipments: N shipments watched until shipped, by poll count, request count and worker slots.

The sandbox clock is frozen (``--speed 0``) and moved by ``POLL_SECONDS`` after every poll, so
the provider and the baseline see the same timeline: shipments are Assigned when created and
reach Shipped after three facility steps.

- This provider, poke mode: one ``OrderMeshShipmentStatusSensor`` for all N shipments; its
  ``poke`` is called once per poll. Requests per poll should be the number of search pages
  (ceil(N / 100)).
- Baseline: one stock ``HttpSensor`` per shipment (``GET /shipment/v1/{id}`` with a
  ``response_check``), each poked every poll until its shipment is shipped, in the same loop.
  The two are told apart in the sandbox's counters by endpoint (``shipments.search`` and
  ``shipments.get``).
- This provider, deferrable mode, on N new shipments: ``execute`` pokes once and raises
  ``TaskDeferred``; the trigger it hands over is then run in an event loop until it fires. A
  worker slot is held while waiting exactly when ``execute`` is still running after its first
  poke: for the deferrable sensor that count is 0 when ``execute`` has raised ``TaskDeferred``;
  for the baseline it is the number of ``HttpSensor`` tasks (poke mode: ``HttpSensor`` cannot
  defer when it has a ``response_check``) whose shipment was not shipped at the first poke.
  The trigger's wait between polls is replaced by a move of the sandbox clock, so that it runs
  in a moment; its polls are counted by wrapping the fetch it awaits.
- At a real API's latency, on N new shipments: the sandbox holds every request ``LATENCY_MS``
  (token request included) and the provider's sensor watches them in poke mode again, poll by
  poll timed: its request counts must be those of the wait without latency. The baseline's poll
  is timed on ``BASELINE_AT_LATENCY`` of the shipments (one ``HttpSensor`` each, one poll) and
  scaled to N: a poll of N sensors would take N round trips.
"""

from __future__ import annotations

import asyncio
import functools
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from benchmarks.cases import baselines
from benchmarks.harness.context import Context
from benchmarks.harness.environment import ORDERMESH_CONN_ID
from benchmarks.harness.figures import Figure, Target
from benchmarks.harness.loading import PAGE_SIZE, create_shipments
from benchmarks.harness.sandbox_process import SandboxProcess
from benchmarks.harness.task_context import task_context

POLL_SECONDS = 30.0
MAX_POLLS = 20
LATENCY_MS = 100
BASELINE_AT_LATENCY = {"full": 50, "quick": 10}
"""``HttpSensor``s whose poll is timed at ``LATENCY_MS``, then scaled to all N."""


@dataclass
class Counted:
    """Requests to one endpoint, and wall time, poll by poll."""

    per_poll: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.per_poll)

    @property
    def mean(self) -> float:
        return statistics.mean(self.per_poll) if self.per_poll else 0.0

    @property
    def mean_seconds(self) -> float:
        return statistics.mean(self.seconds) if self.seconds else 0.0


def counting(sandbox: SandboxProcess, endpoint: str, counted: Counted, action: Callable[[], Any]) -> Any:
    """Run ``action`` and add the requests it made to ``endpoint`` and its wall time, even when it
    raises (a deferral). The counters are read outside the timing."""
    before = sandbox.requests_to(endpoint)
    started = time.perf_counter()
    try:
        return action()
    finally:
        counted.seconds.append(time.perf_counter() - started)
        counted.per_poll.append(sandbox.requests_to(endpoint) - before)


def poke_all(sensors: Sequence[Any], context: Any) -> list[Any]:
    """Poke each sensor once; those still waiting."""
    return [sensor for sensor in sensors if not sensor.poke(context)]


@dataclass
class PokeModeResult:
    provider: Counted
    baseline: Counted
    slots_held: int


def provider_sensor(shipment_ids: Sequence[str]) -> Any:
    """The provider's sensor in poke mode, for all ``shipment_ids``."""
    from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor

    return OrderMeshShipmentStatusSensor(
        task_id="wait_for_shipments",
        shipment_ids=list(shipment_ids),
        ordermesh_conn_id=ORDERMESH_CONN_ID,
        poke_interval=POLL_SECONDS,
        mode="poke",
        deferrable=False,
    )


def watch_in_poke_mode(
    sandbox: SandboxProcess, shipment_ids: Sequence[str], *, baseline: bool = True
) -> PokeModeResult:
    """Poll with the provider's sensor, and with one HttpSensor per shipment unless ``baseline`` is
    False, until all are shipped."""
    sensor = provider_sensor(shipment_ids)
    if baseline:
        token = baselines.token_with_http_hook()
        pending = baselines.shipment_sensors(shipment_ids, token, poke_interval=POLL_SECONDS)
    else:
        pending = []
    context = task_context("wait_for_shipments")
    provider, baseline_counts = Counted(), Counted()
    provider_done, slots_held = False, -1
    for _ in range(MAX_POLLS):
        if not provider_done:
            provider_done = bool(
                counting(sandbox, "shipments.search", provider, lambda: sensor.poke(context))
            )
        if pending:
            pending = counting(
                sandbox, "shipments.get", baseline_counts, functools.partial(poke_all, pending, context)
            )
            if slots_held < 0:
                slots_held = len(pending)
        if provider_done and not pending:
            break
        sandbox.advance(POLL_SECONDS)
    else:
        raise RuntimeError(f"shipments not all shipped after {MAX_POLLS} polls")
    return PokeModeResult(provider, baseline_counts, slots_held)


@dataclass
class LatencyResult:
    provider: Counted
    baseline_poll: Counted  # one poll of a subset of HttpSensors
    baseline_sensors: int


def watch_at_latency(sandbox: SandboxProcess, shipment_ids: Sequence[str], subset: int) -> LatencyResult:
    """The provider's poke-mode wait with ``LATENCY_MS`` on every request, and one timed poll of
    ``subset`` HttpSensors (their token is fetched, untimed, first)."""
    with sandbox.latency(LATENCY_MS):
        provider = watch_in_poke_mode(sandbox, shipment_ids, baseline=False).provider
    sensors = baselines.shipment_sensors(
        shipment_ids[:subset], baselines.token_with_http_hook(), poke_interval=POLL_SECONDS
    )
    baseline = Counted()
    with sandbox.latency(LATENCY_MS):
        counting(
            sandbox,
            "shipments.get",
            baseline,
            functools.partial(poke_all, sensors, task_context("wait_for_shipments")),
        )
    return LatencyResult(provider, baseline, subset)


@dataclass
class DeferredResult:
    slots_held: int
    first_poke: int
    trigger: Counted
    event: dict[str, Any]


def watch_deferred(sandbox: SandboxProcess, shipment_ids: Sequence[str]) -> DeferredResult:
    """The deferrable sensor: execute (one poke, then defer), then its trigger until the event."""
    import airflow_provider_ordermesh.triggers.status as trigger_module
    from airflow_provider_ordermesh.compat import TaskDeferred
    from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor

    sensor = OrderMeshShipmentStatusSensor(
        task_id="wait_deferred",
        shipment_ids=list(shipment_ids),
        ordermesh_conn_id=ORDERMESH_CONN_ID,
        poke_interval=POLL_SECONDS,
        deferrable=True,
    )
    first = Counted()
    try:
        counting(sandbox, "shipments.search", first, lambda: sensor.execute(task_context("wait_deferred")))
    except TaskDeferred as deferred:
        trigger, slots_held = deferred.trigger, 0
    else:
        raise RuntimeError(
            "the deferrable sensor finished without deferring: the shipments were already shipped"
        )
    sandbox.advance(POLL_SECONDS)

    trigger_counts = Counted()
    real_afetch = trigger_module.afetch

    async def one_poll(*args: Any, **kwargs: Any) -> Any:
        before = sandbox.requests_to("shipments.search")
        found = await real_afetch(*args, **kwargs)
        trigger_counts.per_poll.append(sandbox.requests_to("shipments.search") - before)
        sandbox.advance(POLL_SECONDS)  # stands in for the wait between polls
        return found

    async def first_event() -> dict[str, Any]:
        async for event in trigger.run():
            return dict(event.payload)
        raise RuntimeError("the trigger ended without an event")

    trigger.poll_interval = 0.0
    with mock.patch.object(trigger_module, "afetch", one_poll):
        event = asyncio.run(asyncio.wait_for(first_event(), timeout=120))
    if event.get("status") != "success":
        raise RuntimeError(f"the trigger fired {event.get('status')!r}: {event.get('message')}")
    return DeferredResult(slots_held, first.total, trigger_counts, event)


def run(context: Context) -> list[Figure]:
    count = context.size(full=1000, quick=200)
    pages = math.ceil(count / PAGE_SIZE)
    with context.sandbox() as sandbox:
        poke = watch_in_poke_mode(sandbox, create_shipments(count, prefix="watch"))
        context.log(f"poke mode: provider {poke.provider.per_poll}, baseline {poke.baseline.per_poll}")
        deferred = watch_deferred(sandbox, create_shipments(count, prefix="defer"))
        context.log(f"deferrable: first poke {deferred.first_poke}, trigger {deferred.trigger.per_poll}")
        subset = BASELINE_AT_LATENCY[context.mode]
        far = watch_at_latency(sandbox, create_shipments(count, prefix="far"), subset)
        context.log(
            f"at {LATENCY_MS} ms: provider {far.provider.per_poll} req, "
            + ", ".join(f"{s:.2f}" for s in far.provider.seconds)
            + f" s per poll; {subset} HttpSensors: {far.baseline_poll.per_poll} req, "
            f"{far.baseline_poll.mean_seconds:.2f} s"
        )
    label = f"Watch {count:,} shipments"
    slow = f"{label} at {LATENCY_MS} ms per request"
    scale = count / subset
    return [
        Figure(
            f"{label}: requests per poll (baseline: one `HttpSensor` per shipment)",
            poke.provider.mean,
            poke.baseline.mean,
            "req",
            Target.exactly(pages),
            note=f"{pages} search pages of {PAGE_SIZE} ids; polls until all shipped: provider "
            f"{len(poke.provider.per_poll)}, baseline {len(poke.baseline.per_poll)} (clock moved "
            f"{POLL_SECONDS:.0f} s per poll); token requests not counted",
        ),
        Figure(
            f"{label}: requests over the whole wait",
            poke.provider.total,
            poke.baseline.total,
            "req",
            Target.fewer(50),
        ),
        Figure(
            f"{label}: worker slots held while waiting (deferrable; baseline poke mode)",
            deferred.slots_held,
            poke.slots_held,
            "slots",
            Target.exactly(0),
            note="provider: `execute` raised `TaskDeferred` after its first poke, so it holds no slot; "
            "baseline: `HttpSensor` tasks still running after their first poke (with a "
            "`response_check` they cannot defer)",
        ),
        Figure(
            f"{label}: trigger requests per poll (deferrable)",
            deferred.trigger.mean,
            poke.baseline.mean,
            "req",
            Target.exactly(pages),
            note=f"trigger polls until its event: {len(deferred.trigger.per_poll)}, plus "
            f"{deferred.first_poke} requests in `execute`'s first poke",
        ),
        Figure(
            f"{slow}: requests per poll, vs the same wait without latency",
            far.provider.mean,
            poke.provider.mean,
            "req",
            Target.exactly(pages),
            note=f"the sandbox holds every API request {LATENCY_MS} ms, the token request included; new "
            f"shipments, the same clock moves; polls until all shipped: {len(far.provider.per_poll)}",
        ),
        Figure(
            f"{slow}: requests over the whole wait, vs the same wait without latency",
            far.provider.total,
            poke.provider.total,
            "req",
            Target.exactly(poke.provider.total),
        ),
        Figure(
            f"{slow}: wall time per poll (baseline: {subset} `HttpSensor`s timed, x{scale:,.0f})",
            far.provider.mean_seconds,
            far.baseline_poll.mean_seconds * scale,
            "s",
            Target.info(),
            note="provider: mean over its polls, "
            + ", ".join(f"{seconds:.2f}" for seconds in far.provider.seconds)
            + f" s (its pages are read one after the other); baseline: one poll of {subset} sensors took "
            f"{far.baseline_poll.mean_seconds:.2f} s ({far.baseline_poll.total} requests), scaled to {count:,}",
        ),
    ]
