"""Memory: peak RSS of a process iterating N orders from search, against iterating 1,000.

The sandbox is loaded with N orders through the bulk engine, then two fresh child processes
(``benchmarks.cases.memory_child``, plain client, no Airflow) iterate ``client.orders.search()``:
one stops after 1,000 orders, the other reads all N. Lazy pagination keeps one page in memory
at a time, so the difference in peak RSS should not grow with N.
"""

from __future__ import annotations

import time

from benchmarks.harness import orders_data
from benchmarks.harness.child import run_module
from benchmarks.harness.context import Context
from benchmarks.harness.figures import Figure, Target
from benchmarks.harness.loading import create_orders
from benchmarks.harness.sandbox_process import SandboxProcess

SMALL = 1000


def load_orders(sandbox: SandboxProcess, count: int) -> float:
    """Create ``count`` orders; the seconds it took."""
    started = time.perf_counter()
    create_orders(orders_data.iter_orders(count, prefix="mem"), expected=count)
    if int(sandbox.stats()["orders"]) != count:
        raise RuntimeError(f"the sandbox holds {sandbox.stats()['orders']} orders, expected {count}")
    return time.perf_counter() - started


def iterate(sandbox: SandboxProcess, count: int) -> dict:
    result = run_module("benchmarks.cases.memory_child", "--url", sandbox.url, "--count", str(count))
    if result["seen"] != count:
        raise RuntimeError(f"iterating {count} orders saw {result['seen']}")
    return result


def run(context: Context) -> list[Figure]:
    count = context.size(full=50_000, quick=2_000)
    with context.sandbox() as sandbox:
        loaded_in = load_orders(sandbox, count)
        context.log(f"loaded {count} orders in {loaded_in:.1f} s")
        small = iterate(sandbox, SMALL)
        large = iterate(sandbox, count)
        context.log(f"iterating: {SMALL} -> {small}, {count} -> {large}")
    return [
        Figure(
            f"Iterate {count:,} orders from search: peak RSS (baseline: iterating {SMALL:,})",
            large["peak_rss_mb"],
            small["peak_rss_mb"],
            "MB",
            Target.above_at_most(20, "MB"),
            note=f"peak RSS (`VmHWM`) of a fresh child process using the plain client, pages of 100; "
            f"before iterating {large['rss_before_mb']:.0f} MB; iterating took "
            f"{large['seconds']:.1f} s ({count / large['seconds']:,.0f} orders/s) and "
            f"{small['seconds']:.1f} s",
        ),
    ]
