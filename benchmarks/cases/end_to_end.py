"""End to end: the fulfillment example DAG at two sizes, its API requests per order and wall time.

``dags/ordermesh_order_fulfillment.py`` runs with ``dag.test()`` in a fresh child process
(``benchmarks.cases.end_to_end_child``), as ``scripts/demo.py`` runs it: create the orders in bulk,
wait deferred for the facilities, find and reroute the rejected shipments, wait until shipped,
collect the shipments, report. The sandbox runs the demo's clock (60 virtual seconds per second,
a status step every 30 s, 5% of new shipments rejected, seed 7) and the waits poll every 2 s, so a
run takes seconds; it is reset between the sizes. The sandbox counts the requests.

Every step of the DAG sends one request per 100 orders (bulk create and reroute, searches of 100
order ids, each wait's poll), so requests per order should not grow with the number of orders:
the larger run is held to at most 1.25x the smaller run's requests per order, which leaves room
for one more poll round of each wait (the wall time of creating and shipping grows with the
orders, the poll interval does not).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.harness import orders_data
from benchmarks.harness.child import run_module
from benchmarks.harness.context import Context
from benchmarks.harness.environment import ordermesh_connection
from benchmarks.harness.figures import Figure, Target
from benchmarks.harness.sandbox_process import SandboxProcess

SANDBOX_ARGS = ("--speed", "60", "--step-seconds", "30", "--reject-rate", "0.05", "--seed", "7")
"""The demo's sandbox (``scripts/demo.py``): shipments move, and some are rejected, in seconds."""

POLL_SECONDS = "2"
"""The waits' poll interval against that sandbox (``ORDERMESH_EXAMPLE_POLL_SECONDS``), as in the demo."""

SCALE_LIMIT = 1.25


@contextlib.contextmanager
def environment(url: str) -> Iterator[None]:
    """``ordermesh_default`` on the sandbox and the short poll interval, for the child processes."""
    variables = {
        "AIRFLOW_CONN_ORDERMESH_DEFAULT": json.dumps(ordermesh_connection(url)),
        "ORDERMESH_EXAMPLE_POLL_SECONDS": POLL_SECONDS,
    }
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_day(sandbox: SandboxProcess, workdir: Path, count: int, *, migrate: bool) -> dict[str, Any]:
    """One DAG run on ``count`` new orders in a reset sandbox; the child's result and the requests."""
    orders_file = workdir / f"orders_{count}.jsonl"
    with orders_file.open("w", encoding="utf-8") as handle:
        for record in orders_data.iter_orders(count, prefix=f"e2e{count}"):
            handle.write(json.dumps(record) + "\n")
    sandbox.reset()
    args = ["--orders-file", str(orders_file), *(["--migrate"] if migrate else [])]
    result = run_module("benchmarks.cases.end_to_end_child", *args, timeout=1800)
    stats = sandbox.stats()
    summary = result.get("summary") or {}
    if result["state"] != "success" or result["failed"]:
        raise RuntimeError(f"the DAG run on {count} orders ended {result['state']}: {result['failed'][:5]}")
    created = summary.get("orders", {}).get("created")
    shipments = summary.get("shipments", {})
    if created != count or shipments.get("shipped") != shipments.get("total"):
        raise RuntimeError(f"the DAG run on {count} orders reported {summary}")
    result["count"] = count
    result["requests"] = int(stats["requestsTotal"])
    result["by_endpoint"] = {
        name: sum(int(n) for n in by_status.values()) for name, by_status in sorted(stats["requests"].items())
    }
    result["tokens"] = int(stats["tokensIssued"])
    result["per_order"] = result["requests"] / count
    return result


def breakdown(run: dict[str, Any]) -> str:
    endpoints = ", ".join(f"{name} {n}" for name, n in run["by_endpoint"].items() if n)
    reroutes = run["summary"]["reroutes"]["rerouted"]
    return (
        f"{run['count']:,} orders: {run['requests']} requests ({endpoints}; tokens issued {run['tokens']}), "
        f"{reroutes} shipments rerouted, dag.test() {run['wall_seconds']:.1f} s wall, "
        f"{run['cpu_seconds']:.1f} s CPU in the child"
    )


def run(context: Context) -> list[Figure]:
    from airflow_provider_ordermesh.client.auth import TokenCache

    small, large = context.size(full=300, quick=20), context.size(full=3000, quick=100)
    with (
        SandboxProcess(args=SANDBOX_ARGS, after_reset=TokenCache.clear_all) as sandbox,
        environment(sandbox.url),
        tempfile.TemporaryDirectory() as workdir,
    ):
        first = run_day(sandbox, Path(workdir), small, migrate=True)
        context.log(breakdown(first))
        second = run_day(sandbox, Path(workdir), large, migrate=False)
        context.log(breakdown(second))
    label = "Fulfillment example DAG (`dag.test()`)"
    how = (
        f"sandbox at the demo's clock (60x, 5% rejected), waits polling every {POLL_SECONDS} s; "
        f"{breakdown(first)}; {breakdown(second)}"
    )
    return [
        Figure(
            f"{label}, {small:,} orders: API requests per order",
            first["per_order"],
            None,
            "req",
            Target.info(),
            note=how,
        ),
        Figure(
            f"{label}, {large:,} orders: API requests per order (baseline: at {small:,} orders)",
            second["per_order"],
            first["per_order"],
            "req",
            Target.within(SCALE_LIMIT),
            note=f"each step sends a request per 100 orders, so requests per order must not grow with "
            f"the orders; {SCALE_LIMIT}x leaves room for one more poll round of each wait",
        ),
        Figure(f"{label}, {small:,} orders: wall time", first["wall_seconds"], None, "s", Target.info()),
        Figure(
            f"{label}, {large:,} orders: wall time",
            second["wall_seconds"],
            None,
            "s",
            Target.info(),
            note="wall time of dag.test() in the child, mostly the sandbox's clock and the 2 s polls",
        ),
    ]
