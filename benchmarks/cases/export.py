"""Export: N orders to JSONL.gz with the transfer operator, against a bare paging loop.

The sandbox is loaded with 1,000 orders, its clock moved an hour, then N - 1,000 more: the first
hour is a window of 1,000 orders, the whole day one of N. Fresh child processes
(``benchmarks.cases.export_child``) export the windows: the operator (the provider's code path, writing
to a local ``file://`` path) and the baseline (``requests`` + ``json.dumps`` + gzip), runs
interleaved. Peak RSS of the operator exporting N is compared with it exporting 1,000.
"""

from __future__ import annotations

import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.harness import orders_data
from benchmarks.harness.child import run_module
from benchmarks.harness.context import Context
from benchmarks.harness.figures import Figure, Target
from benchmarks.harness.loading import create_orders

SMALL = 1000


def _export(sandbox: Any, mode: str, since: datetime, before: datetime, expected: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="ordermesh-bench-export-") as out:
        result = run_module(
            "benchmarks.cases.export_child",
            "--mode",
            mode,
            "--url",
            sandbox.url,
            "--since",
            since.isoformat(),
            "--before",
            before.isoformat(),
            "--out",
            out,
            timeout=1800,
        )
    if result["rows"] != expected:
        raise RuntimeError(f"{mode} exported {result['rows']} rows, expected {expected}")
    return result


def run(context: Context) -> list[Figure]:
    count = context.size(full=100_000, quick=2_000)
    runs = 1 if context.quick else 3
    with context.sandbox() as sandbox:
        create_orders(orders_data.iter_orders(SMALL, prefix="exp-a"), expected=SMALL)
        sandbox.advance(3600)
        create_orders(orders_data.iter_orders(count - SMALL, prefix="exp-b"), expected=count - SMALL)
        start = datetime.now(UTC) - timedelta(days=1)
        end = datetime.now(UTC) + timedelta(days=2)
        first_hour_end = _first_hour_end(sandbox)
        context.log(f"loaded {count} orders")
        provider, baseline = [], []
        for _ in range(runs):
            provider.append(_export(sandbox, "provider", start, end, count))
            baseline.append(_export(sandbox, "baseline", start, end, count))
        small = _export(sandbox, "provider", start, first_hour_end, SMALL)
    p_seconds = statistics.median(r["seconds"] for r in provider)
    b_seconds = statistics.median(r["seconds"] for r in baseline)
    large_rss = max(r["peak_rss_mb"] for r in provider)
    return [
        Figure(
            f"Export {count:,} orders to JSONL.gz: wall time (baseline: requests + json.dumps + gzip)",
            p_seconds,
            b_seconds,
            "s",
            Target.within(1 / 0.9),
            note=f"at least 0.9x the baseline's rows/s is at most 1.11x its wall time: "
            f"{count / p_seconds:,.0f} vs {count / b_seconds:,.0f} rows/s; median of {runs} interleaved runs "
            f"in fresh child processes, pages of 100; the operator writes through ObjectStoragePath to "
            f"file:// and moves the file into place",
        ),
        Figure(
            f"Export {count:,} orders: peak RSS (baseline: exporting {SMALL:,})",
            large_rss,
            small["peak_rss_mb"],
            "MB",
            Target.above_at_most(20, "MB"),
            note="peak RSS (`VmHWM`) of the child process running the operator",
        ),
    ]


def _first_hour_end(sandbox: Any) -> datetime:
    """The end of the window that holds only the first 1,000 orders: the moment of the clock move."""
    from benchmarks.harness.loading import client

    first = next(iter(client().orders.search({}, page_size=1, max_items=1)))
    return datetime.fromisoformat(first.updated_at) + timedelta(minutes=30)
