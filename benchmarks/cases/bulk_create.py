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

Every path runs twice: on loopback as it is (where the sandbox's own CPU is most of a wall time),
and with ``LATENCY_MS`` added to every request, token request included, as a real API over the
internet adds round trips. Baseline A, which sends one request per order, runs at that latency
on ``A_AT_LATENCY`` of the orders, and its wall time is scaled to N.

The client-side CPU of each run (``time.process_time()`` of this process, all its threads; the
sandbox is another process) is counted per created order, and one more run of the operator,
untimed, is profiled to say where that CPU goes (``harness.profiling``).
"""

from __future__ import annotations

import functools
import statistics
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
from benchmarks.harness.profiling import Part, profile, shares
from benchmarks.harness.sandbox_process import SandboxProcess, cpu_seconds
from benchmarks.harness.task_context import task_context

WARM_UP_ORDERS = 100
LATENCY_MS = 100
A_AT_LATENCY = {"full": 500, "quick": 50}
"""Orders baseline A sends at ``LATENCY_MS`` (one request each: 5,000 would take ten minutes)."""

PROFILE_PARTS: dict[str, tuple[Part, ...]] = {
    "validation": (Part("pydantic/main.py", "model_validate", caller="_validated_entries"),),
    "safeId derivation": (
        Part("operators/idempotency.py", "from_context"),
        Part("operators/idempotency.py", "safe_id_of_canonical"),
    ),
    "JSON encoding": (
        Part("models/_base.py", "to_api_json"),
        Part("models/_base.py", "to_api", caller="make_entry"),
        Part("operators/idempotency.py", "canonical_content"),
        Part("operators/idempotency.py", "with_safe_id_json"),
        Part("client/resources/orders.py", "create_bulk"),
        Part("json/__init__.py", "dumps", caller="_request"),
    ),
    "HTTP through `requests`": (Part("client/transport.py", "send"),),
}
"""What each share of the profile note counts (``harness.profiling.Part``).

- validation: the operator's pass over every order before anything is sent (``model_validate``);
- safeId derivation: the task instance's identity and the two hashes of a derived safeId;
- JSON encoding: each order's request JSON (``to_api_json``, or for a derived safeId the canonical
  JSON that is hashed and then sent), and joining each batch's body (``create_bulk``) or encoding
  a body when the request is made (``json.dumps``: the token request);
- HTTP: sending each request and receiving its answer through ``requests`` (what B spends most on).
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    requests: int
    created: int
    sandbox_cpu: float  # CPU seconds the sandbox process spent serving the run
    client_cpu: float  # CPU seconds this process (all its threads) spent on the run

    def per_second(self) -> float:
        return self.created / self.seconds

    @property
    def cpu_per_order(self) -> float:
        """Client-side CPU per created order, in microseconds."""
        return self.client_cpu / self.created * 1e6


def measure(
    sandbox: SandboxProcess, what: str, action: Callable[[], object], *, expected: int, latency_ms: int = 0
) -> Run:
    """Reset the sandbox (adding ``latency_ms`` to every request), time ``action``, read what it counted."""
    sandbox.reset()
    if latency_ms:
        sandbox.add_latency(latency_ms)
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


def median_cpu_per_order(runs: list[Run]) -> float:
    return statistics.median(run.cpu_per_order for run in runs)


def interleaved(
    sandbox: SandboxProcess,
    prepare: dict[str, Callable[[list[dict]], Callable[[], object]]],
    names: tuple[str, ...],
    orders: list[dict],
    *,
    rounds: int,
    latency_ms: int = 0,
) -> dict[str, list[Run]]:
    """``rounds`` runs of each named path, interleaved, so that a busy moment hits every path alike."""
    timed: dict[str, list[Run]] = {name: [] for name in names}
    for _ in range(rounds):
        for name in names:
            action = prepare[name](orders)
            timed[name].append(measure(sandbox, name, action, expected=len(orders), latency_ms=latency_ms))
    return timed


def without_safe_ids(orders: list[dict]) -> list[dict]:
    """The same orders without their ``safeId``, for the operator to derive one for each."""
    return [{key: value for key, value in order.items() if key != "safeId"} for order in orders]


def profile_note(sandbox: SandboxProcess, orders: list[dict]) -> str:
    """Where the operator's client CPU goes, from one profiled (untimed) run on ``orders`` as given
    (their own safeIds, as timed) and one on the same orders without safeIds (each derived)."""
    described = []
    for label, source in (("as timed (own safeIds)", orders), ("safeIds derived", without_safe_ids(orders))):
        sandbox.reset()
        operator = provider_operator(source)
        stats = profile(functools.partial(provider_create, operator))
        if int(sandbox.stats()["orders"]) != len(source):
            raise RuntimeError(f"the profiled run ({label}) did not create {len(source)} orders")
        total, parts = shares(stats, PROFILE_PARTS)
        rest = 1 - sum(parts.values())
        described.append(
            f"{label}: "
            + ", ".join(f"{name} {share:.0%}" for name, share in parts.items())
            + f", the rest (reading answers, per-item bookkeeping, threads) {rest:.0%} "
            f"of {total / len(source) * 1e6:,.0f} µs per order profiled"
        )
    return (
        "shares of the operator's client CPU in a `cProfile` run of `execute` (every thread, CPU time "
        "per thread, so waiting counts for nothing; profiling inflates Python-heavy parts): "
        + "; ".join(described)
        + ". What each share counts: `benchmarks/cases/bulk_create.py`, `PROFILE_PARTS`"
    )


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
    a_count = A_AT_LATENCY[context.mode]
    orders = orders_data.orders(count)
    label = f"Bulk create {count:,} orders"
    slow = f"{label} at {LATENCY_MS} ms per request"
    with context.sandbox() as sandbox:
        prepare = paths(sandbox)
        # Warm-up of each path: first calls pay for lazy imports (in both processes) and caches.
        warm_up = orders[:WARM_UP_ORDERS]
        for name, path in prepare.items():
            measure(sandbox, f"{name} warm-up", path(warm_up), expected=len(warm_up))
        timed = interleaved(
            sandbox, prepare, ("this provider", "bulk engine", "baseline B"), orders, rounds=rounds
        )
        timed["baseline A"] = [measure(sandbox, "baseline A", prepare["baseline A"](orders), expected=count)]
        far = interleaved(
            sandbox, prepare, ("this provider", "baseline B"), orders, rounds=rounds, latency_ms=LATENCY_MS
        )
        far["baseline A"] = interleaved(
            sandbox, prepare, ("baseline A",), orders[:a_count], rounds=1, latency_ms=LATENCY_MS
        )["baseline A"]
        for where, runs_by_name in (("no latency", timed), (f"{LATENCY_MS} ms", far)):
            for name, runs in runs_by_name.items():
                context.log(
                    f"{where}, {name}: "
                    + ", ".join(
                        f"{r.seconds:.2f} s ({r.requests} req, {r.cpu_per_order:.0f} µs CPU/order)"
                        for r in runs
                    )
                )
        profiled = profile_note(sandbox, orders)
    provider, engine, bare, one_by_one = (
        median_run(timed[name]) for name in ("this provider", "bulk engine", "baseline B", "baseline A")
    )
    far_provider, far_bare, far_one = (
        median_run(far[name]) for name in ("this provider", "baseline B", "baseline A")
    )
    scale = count / a_count
    how = (
        f"sandbox reset before each run; requests = the sandbox's requestsTotal (token requests included); "
        f"orders counted by the sandbox; wall times are the median of {rounds} interleaved runs (A: one run)"
    )
    cpu_seconds_note = (
        "CPU seconds per run, of its wall time, spent by the sandbox process / by the benchmark process "
        "(client side, all threads): "
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
            Target.within(1.0),
            note=cpu_seconds_note
            + ", ".join(
                f"{who} {run.sandbox_cpu:.2f} / {run.client_cpu:.2f} of {run.seconds:.2f} s"
                for who, run in (("provider", provider), ("engine", engine), ("B", bare), ("A", one_by_one))
            )
            + "; every order is validated and encoded before the first request (nothing may be sent "
            "for an invalid input), so that pass is not overlapped with sending, which runs its "
            "batches in flight together",
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
            f"{label}: client CPU per created order, vs B",
            median_cpu_per_order(timed["this provider"]),
            median_cpu_per_order(timed["baseline B"]),
            "µs",
            Target.within(3),
            note="`time.process_time()` of the benchmark process (all threads) over each run, divided by the "
            f"orders created; median of {rounds} runs (no latency). At {LATENCY_MS} ms: provider "
            f"{median_cpu_per_order(far['this provider']):.0f} µs, B {median_cpu_per_order(far['baseline B']):.0f} µs. "
            + profiled,
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
        Figure(
            f"{slow}: wall time, vs B",
            far_provider.seconds,
            far_bare.seconds,
            "s",
            Target.fewer(3),
            note=f"the sandbox holds every API request {LATENCY_MS} ms, the token request included (a fault rule "
            f"`*:latency={LATENCY_MS}`); the provider keeps its default batches in flight, B sends one at a time; "
            f"median of {rounds} interleaved runs; "
            + cpu_seconds_note
            + ", ".join(
                f"{who} {run.sandbox_cpu:.2f} / {run.client_cpu:.2f} of {run.seconds:.2f} s"
                for who, run in (("provider", far_provider), ("B", far_bare), ("A", far_one))
            ),
        ),
        Figure(
            f"{slow}: wall time, vs A (A measured on {a_count:,} orders, x{scale:,.0f})",
            far_provider.seconds,
            far_one.seconds * scale,
            "s",
            Target.fewer(100),
            note=f"A sent {a_count:,} orders ({far_one.requests:,} requests, its token included) in "
            f"{far_one.seconds:.1f} s; scaled to {count:,} orders that is {far_one.seconds * scale:,.0f} s "
            f"(the scaling counts its one token request {scale:,.0f} times: {LATENCY_MS} ms each)",
        ),
        Figure(
            f"{slow}: HTTP requests, vs B",
            far_provider.requests,
            far_bare.requests,
            "req",
            Target.info(),
        ),
    ]
