"""The provider never drives an event loop from synchronous code, so Airflow 3.4's stricter loops cannot bite.

Airflow 3.4's ``BaseOperator`` event loop (``asyncio.Runner``, used by ``BaseAsyncOperator``)
raises when entered from a running loop. The provider's async code (the async client, the hook's
``get_async_client``, the triggers and the shared searches under them) runs only inside the loop
Airflow gives it: the triggerer's. Two proofs, on every minor:

* the source: no module of the package starts, nests or fetches a loop (``asyncio.run``,
  ``run_until_complete``, ``new_event_loop``, ``get_event_loop``, ``asyncio.Runner``, Airflow's
  ``event_loop()``, ``BaseAsyncOperator``), and only the async layers define coroutines;
* at run time: each trigger runs to its event inside a running loop (as in the triggerer) with
  every way of making or entering another loop turned into a failure.
"""

from __future__ import annotations

import ast
import asyncio
import time
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

import airflow_provider_ordermesh

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import TriggerEvent

PACKAGE = Path(airflow_provider_ordermesh.__file__).parent
LOOP_DRIVERS = {
    "run",
    "run_until_complete",
    "new_event_loop",
    "get_event_loop",
    "Runner",
    "event_loop",
    "BaseAsyncOperator",
    "run_forever",
    "async_to_sync",
}
"""Names whose call (or, for BaseAsyncOperator, subclassing) would drive a loop from sync code."""
ASYNC_HOMES = ("client", "hooks", "receiver", "triggers", "waits")
"""Where coroutines may live: the async client, the hook's async client, triggers and their waits, and
the webhook receiver's routes (run by the API server's own event loop, never by an operator)."""


def provider_modules() -> list[Path]:
    """The provider's modules, the sandbox excepted (a separate server that owns its own loop)."""
    return [p for p in PACKAGE.rglob("*.py") if "sandbox" not in p.relative_to(PACKAGE).parts]


def loop_drivers(path: Path) -> list[str]:
    """``name (line)`` of every call or base class in ``path`` that names a loop driver."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        targets = []
        if isinstance(node, ast.Call):
            targets.append(node.func)
        elif isinstance(node, ast.ClassDef):
            targets.extend(node.bases)
        for target in targets:
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
            if name in LOOP_DRIVERS and not (name == "run" and not _is_asyncio(target)):
                found.append(f"{name} (line {cast('ast.Call | ast.ClassDef', node).lineno})")
    return found


def _is_asyncio(target: ast.expr) -> bool:
    return isinstance(target, ast.Attribute) and getattr(target.value, "id", None) == "asyncio"


def test_the_scan_sees_the_async_code():
    assert len(provider_modules()) > 50
    # the scan finds what asyncio's own runner does (a positive control)
    found = loop_drivers(Path(asyncio.__file__).with_name("runners.py"))
    assert any(name.startswith("run_until_complete (") for name in found), found


def test_no_module_drives_an_event_loop():
    found = {str(p.relative_to(PACKAGE)): drivers for p in provider_modules() if (drivers := loop_drivers(p))}
    assert found == {}, "run async code only in the loop Airflow provides (the triggerer's)"


def test_coroutines_live_only_in_the_async_layers():
    homes: set[str] = set()
    for path in provider_modules():
        tree = ast.parse(path.read_text())
        if any(isinstance(node, ast.AsyncFunctionDef) for node in ast.walk(tree)):
            homes.add(path.relative_to(PACKAGE).parts[0])
    assert homes == set(ASYNC_HOMES)


def refuse(*_args, **_kwargs):
    raise AssertionError("a second event loop was started from inside the running one")


@pytest.mark.sandbox
async def test_every_trigger_runs_to_its_event_inside_the_running_loop(om, api):
    from operators.data import order

    from airflow_provider_ordermesh.triggers.events import OrderMeshOrderEventTrigger
    from airflow_provider_ordermesh.triggers.status import OrderMeshOrderStatusTrigger

    created = api.orders.create(order(external_id="loop-check"))
    status = OrderMeshOrderStatusTrigger(
        order_ids=[created.id], target_statuses=["Open"], poll_interval=0.1, end_time=time.time() + 60
    )
    watcher = OrderMeshOrderEventTrigger(
        statuses=["Open"],
        poll_interval=0.1,
        max_orders_per_event=10,
        start_watermark="2000-01-01T00:00:00+00:00",
    )

    for trigger in (status, watcher):
        with pytest.MonkeyPatch.context() as guard:  # making, running or entering another loop fails
            guard.setattr(asyncio, "run", refuse)
            guard.setattr(asyncio, "new_event_loop", refuse)
            guard.setattr(asyncio.Runner, "__enter__", refuse)
            guard.setattr(asyncio.BaseEventLoop, "run_until_complete", refuse)
            events = cast("AsyncGenerator[TriggerEvent, None]", trigger.run())  # closed below
            event = await asyncio.wait_for(anext(events), timeout=60)
            await events.aclose()
        assert event.payload, trigger
