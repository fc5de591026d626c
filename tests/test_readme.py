"""The README stays true: its API coverage table and the DAG code it quotes are generated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_generated_parts_are_current():
    result = subprocess.run([sys.executable, "scripts/sync_readme.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_quoted_demo_output_is_what_the_demo_prints_today():
    """``scripts/demo_output.txt`` (quoted by the README) has the demo's current lines: every task
    of the example DAG once, and the labels of ``report()``, so a changed demo needs a new run."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("ordermesh_demo_for_readme", ROOT / "scripts" / "demo.py")
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    text = (ROOT / "scripts" / "demo_output.txt").read_text()
    task_part, _, report_part = text.partition("\n\n")

    source = (ROOT / "dags" / "ordermesh_order_fulfillment.py").read_text()
    tasks = {line.split()[0].split("[")[0] for line in task_part.splitlines()}
    assert all(f'task_id="{task}"' in source or f"def {task}(" in source for task in tasks), tasks
    assert all(line.split()[1] == "done" for line in task_part.splitlines())

    summary = {"orders": {"requested": 1, "created": 1, "already_existed": 0},
               "shipments": {"total": 1, "shipped": 1, "by_status": {"Shipped": 1}},
               "tracking_numbers": 1, "reroutes": {"rerouted": 0}}
    labels = [line[:22].strip() for line in demo.report(summary, {"requestsTotal": 1, "tokensIssued": 1}, seconds=1)]
    quoted = [line[:22].strip() for line in report_part.splitlines()[1:]]
    assert report_part.splitlines()[0] == f"{demo.DAG_ID} succeeded:"
    assert quoted == labels
