"""Bulk order creation: N realistic orders into a fresh sandbox, three ways.

- This provider: ``OrderMeshCreateOrdersOperator.execute`` (validation, safeIds, batches of 100
  through the bulk engine with its default bounded concurrency, per-item results).
- Baseline A, what users write without the provider: one ``POST /v1/orders`` per order through
  Airflow's stock ``HttpHook``, after fetching a bearer token.
- Baseline B, the practical limit: a bare ``requests.Session`` posting bulk batches back to back.

The sandbox is reset before each run (orders, tokens and counters), so each run creates the
same N orders from scratch and its requests are counted alone by ``/_sandbox/stats``. Each run
is checked to have created all N orders before its figures are used.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks import baselines, orders_data
from benchmarks.context import Context
from benchmarks.environment import ORDERMESH_CONN_ID
from benchmarks.figures import Figure, Target
from benchmarks.sandbox_process import SandboxProcess
from benchmarks.task_context import task_context

WARM_UP_ORDERS = 100


@dataclass(frozen=True)
class Run:
    seconds: float
    requests: int
    created: int

    def per_second(self) -> float:
        return self.created / self.seconds


def measure(sandbox: SandboxProcess, what: str, action: Callable[[], object], *, expected: int) -> Run:
    """Reset the sandbox, time ``action``, and read what the sandbox counted."""
    sandbox.reset()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    stats = sandbox.stats()
    created = int(stats["orders"])
    if created != expected:
        raise RuntimeError(f"{what} created {created} orders, expected {expected}")
    return Run(seconds=seconds, requests=int(stats["requestsTotal"]), created=created)


def provider_operator(orders: list[dict]) -> Any:
    """The operator as a DAG declares it; building it is DAG-parse work, so it is not timed."""
    from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrdersOperator

    return OrderMeshCreateOrdersOperator(
        task_id="create_orders", orders=orders, ordermesh_conn_id=ORDERMESH_CONN_ID
    )


def provider_create(operator: Any) -> dict:
    """The operator's ``execute`` as a task runs it (first try), minus the task runner."""
    result = operator.execute(task_context("create_orders"))
    if result["failures"]:
        raise RuntimeError(
            f"the operator reported {len(result['failures'])} failures: {result['failures'][:3]}"
        )
    return result


def run(context: Context) -> list[Figure]:
    count = context.size(full=5000, quick=500)
    orders = orders_data.orders(count)
    label = f"Bulk create {count:,} orders"
    with context.sandbox() as sandbox:
        # Warm-up of each path: first calls pay for lazy imports (in both processes) and caches.
        warm_up = orders[:WARM_UP_ORDERS]
        measure(
            sandbox, "warm-up", lambda: provider_create(provider_operator(warm_up)), expected=len(warm_up)
        )
        measure(
            sandbox,
            "warm-up",
            lambda: baselines.create_orders_bulk_with_requests(sandbox.url, warm_up),
            expected=len(warm_up),
        )
        measure(
            sandbox, "warm-up", lambda: baselines.create_orders_one_by_one(warm_up), expected=len(warm_up)
        )
        operator = provider_operator(orders)
        provider = measure(sandbox, "this provider", lambda: provider_create(operator), expected=count)
        context.log(f"provider: {provider}")
        bare = measure(
            sandbox,
            "baseline B",
            lambda: baselines.create_orders_bulk_with_requests(sandbox.url, orders),
            expected=count,
        )
        context.log(f"baseline B: {bare}")
        one_by_one = measure(
            sandbox, "baseline A", lambda: baselines.create_orders_one_by_one(orders), expected=count
        )
        context.log(f"baseline A: {one_by_one}")
    how = (
        "sandbox reset before each run; requests = the sandbox's requestsTotal (token requests included); "
        "orders counted by the sandbox"
    )
    return [
        Figure(
            f"{label}: HTTP requests, vs A (`HttpHook`, one POST per order)",
            provider.requests,
            one_by_one.requests,
            "req",
            Target.fewer(50),
            note=how,
        ),
        Figure(f"{label}: wall time, vs A", provider.seconds, one_by_one.seconds, "s", Target.fewer(5)),
        Figure(
            f"{label}: wall time, vs B (bare `requests`, bulk batches back to back)",
            provider.seconds,
            bare.seconds,
            "s",
            Target.within(1.3),
        ),
        Figure(
            f"{label}: orders per second, vs A",
            provider.per_second(),
            one_by_one.per_second(),
            "orders/s",
            Target.info(),
        ),
        Figure(
            f"{label}: orders per second, vs B",
            provider.per_second(),
            bare.per_second(),
            "orders/s",
            Target.info(),
        ),
    ]
