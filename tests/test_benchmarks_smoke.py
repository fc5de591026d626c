"""The benchmark command runs end to end and prints its table; no timing is asserted here.

``python -m benchmarks --quick`` starts real sandbox processes and child interpreters, so it
takes about a minute: it is marked ``slow``. The verdict logic behind ``--check`` is tested
directly, with made-up numbers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.harness.figures import Figure, Target  # the repository root is on the path (setup.cfg)
from benchmarks.harness.report import HEADER, table

ROOT = Path(__file__).resolve().parent.parent

# One row name per benchmark: a benchmark that crashed would leave its row out.
EXPECTED_ROWS = (
    "Bulk create 500 orders: HTTP requests",
    "Bulk create 500 orders: client CPU per created order",
    "Bulk create 500 orders at 100 ms per request: wall time, vs B",
    "Watch 200 shipments: requests per poll",
    "Watch 200 shipments at 100 ms per request: requests per poll",
    "Watch 200 shipments: worker slots held while waiting",
    "200 API calls from 4 threads: token requests",
    "Import operators + sensors",
    "Iterate 2,000 orders from search: peak RSS",
    "100 shipment triggers in one event loop: TCP connections opened",
    "100 shipment triggers in one event loop: CPU",
    "Fulfillment example DAG (`dag.test()`), 100 orders: API requests per order",
)


@pytest.mark.slow
@pytest.mark.sandbox
def test_quick_run_exits_0_and_prints_one_row_per_figure(tmp_path):
    report = tmp_path / "latest.md"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--results", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "| " + " | ".join(HEADER) + " |" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    for name in EXPECTED_ROWS:
        assert any(row.startswith(f"| {name}") for row in rows), f"no row for {name!r} in:\n{result.stdout}"
    assert "could not run" not in result.stdout, result.stdout
    assert report.read_text(encoding="utf-8").strip() == result.stdout.strip()


def test_check_exits_1_only_when_a_target_is_missed():
    met = Figure("requests", 51, 5001, "req", Target.fewer(50))
    missed = Figure("wall time vs B", 1.5, 1.0, "s", Target.within(1.3))
    context_only = Figure("orders per second", 4000, 200, "orders/s", Target.info())
    assert (met.met, missed.met, context_only.met) == (True, False, None)
    assert "| **NO** |" in table([missed]) and "| yes |" in table([met])


@pytest.mark.parametrize(
    ("target", "provider", "baseline", "met"),
    [
        (Target.exactly(1), 1, 1000, True),
        (Target.exactly(1), 2, 1000, False),
        (Target.above_at_most(20, "MB"), 80, 61, True),
        (Target.above_at_most(20, "MB"), 82, 61, False),
        (Target.below(20, "%"), 19.9, 40, True),
        (Target.below(20, "%"), 20.0, 40, False),
        (Target.at_most(20, "conns"), 20, 300, True),
        (Target.fewer(5), 2.0, 9.9, False),
    ],
)
def test_each_target_kind_judges_its_figure(target, provider, baseline, met):
    assert Figure("figure", provider, baseline, "x", target).met is met
