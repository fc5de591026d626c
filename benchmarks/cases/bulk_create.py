"""Bulk order creation: N realistic orders into a fresh sandbox, three ways.

- This provider: ``OrderMeshCreateOrdersOperator.execute`` (validation, safeIds, batches of 100
  through the bulk engine with its default bounded concurrency, per-item results). The bulk
  engine alone (``client.bulk.run_bulk``) is timed too, for context.
- Baseline A, what users write without the provider: one ``POST /v1/orders`` per order through
  Airflow's stock ``HttpHook``, after fetching a bearer token.
- Baseline B, the practical limit: a bare ``requests.Session`` posting bulk batches back to back.

The sandbox is reset before each run (orders, tokens and counters), so each run creates the
same N orders from scratch and its requests are counted alone by ``/_sandbox/stats``. Each run
is checked to have created all N orders before its figures are used.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.cases import baselines
from benchmarks.harness import orders_data
from benchmarks.harness.context import Context
from benchmarks.harness.environment import ORDERMESH_CONN_ID
from benchmarks.harness.figures import Figure, Target
from benchmarks.harness.loading import create_orders
from benchmarks.harness.sandbox_process import SandboxProcess, cpu_seconds
from benchmarks.harness.task_context import task_context

WARM_UP_ORDERS = 100


@dataclass(frozen=True)
class Run:
    seconds: float
    requests: int
    created: int
    sandbox_cpu: float  # CPU seconds the sandbox process spent serving the run
    client_cpu: float  # CPU seconds this process (all its threads) spent on the run

    def per_second(self) -> float:
        return self.created / self.seconds


def measure(sandbox: SandboxProcess, what: str, action: Callable[[], object], *, expected: int) -> Run:
    """Reset the sandbox, time ``action``, and read what the sandbox counted."""
    sandbox.reset()
    cpu_before, client_before = cpu_seconds(sandbox.pid), time.process_time()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    sandbox_cpu, client_cpu = cpu_seconds(sandbox.pid) - cpu_before, time.process_time() - client_before
    stats = sandbox.stats()
    created = int(stats["orders"])
    if created != expected:
        raise RuntimeError(f"{what} created {created} orders, expected {expected}")
    return Run(
        seconds=seconds,
        requests=int(stats["requestsTotal"]),
        created=created,
        sandbox_cpu=sandbox_cpu,
        client_cpu=client_cpu,
    )


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


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time (wall times of back-to-back runs vary on a shared machine)."""
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def paths(sandbox: SandboxProcess) -> dict[str, Callable[[list[dict]], Callable[[], object]]]:
    """For each path, ``prepare(orders)``: untimed set-up that returns the timed action.

    The operator is built afresh for every run (DAG-parse work, so outside the timing), as every
    task run gets a new operator and hook; a reused hook would keep its token.
    """
    return {
        "this provider": lambda orders: functools.partial(provider_create, provider_operator(orders)),
        "bulk engine": lambda orders: functools.partial(create_orders, orders, expected=len(orders)),
        "baseline B": lambda orders: functools.partial(
            baselines.create_orders_bulk_with_requests, sandbox.url, orders
        ),
        "baseline A": lambda orders: functools.partial(baselines.create_orders_one_by_one, orders),
    }


def run(context: Context) -> list[Figure]:
    count = context.size(full=5000, quick=500)
    rounds = context.size(full=3, quick=1)
    orders = orders_data.orders(count)
    label = f"Bulk create {count:,} orders"
    with context.sandbox() as sandbox:
        prepare = paths(sandbox)
        # Warm-up of each path: first calls pay for lazy imports (in both processes) and caches.
        warm_up = orders[:WARM_UP_ORDERS]
        for name, path in prepare.items():
            measure(sandbox, f"{name} warm-up", path(warm_up), expected=len(warm_up))
        timed: dict[str, list[Run]] = {name: [] for name in prepare}
        for _ in range(rounds):  # interleaved, so that a busy moment hits every path alike
            for name in ("this provider", "bulk engine", "baseline B"):
                timed[name].append(measure(sandbox, name, prepare[name](orders), expected=count))
        timed["baseline A"].append(
            measure(sandbox, "baseline A", prepare["baseline A"](orders), expected=count)
        )
        for name, runs in timed.items():
            context.log(f"{name}: " + ", ".join(f"{r.seconds:.2f} s ({r.requests} req)" for r in runs))
    provider, engine, bare, one_by_one = (
        median_run(timed[name]) for name in ("this provider", "bulk engine", "baseline B", "baseline A")
    )
    how = (
        f"sandbox reset before each run; requests = the sandbox's requestsTotal (token requests included); "
        f"orders counted by the sandbox; wall times are the median of {rounds} interleaved runs (A: one run)"
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
            note="CPU seconds per run, of its wall time, spent by the sandbox process / by the benchmark "
            "process (client side, all threads): "
            + ", ".join(
                f"{who} {run.sandbox_cpu:.2f} / {run.client_cpu:.2f} of {run.seconds:.2f} s"
                for who, run in (("provider", provider), ("engine", engine), ("B", bare), ("A", one_by_one))
            ),
        ),
        Figure(
            f"{label}: wall time, the bulk engine alone (each order validated once), vs B",
            engine.seconds,
            bare.seconds,
            "s",
            Target.info(),
            note="`client.bulk.run_bulk` with `create_orders_batch`, the operator's engine, fed the same "
            "orders without the operator's up-front validation pass",
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
