"""The README stays true: its API coverage table and the DAG code it quotes are generated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_generated_parts_are_current():
    result = subprocess.run(
        [sys.executable, "scripts/sync_readme.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_quoted_demo_output_is_what_the_demo_prints_today():
    """``scripts/demo_output.txt`` (quoted by the README) has the demo's current lines: every task
    of the example DAG once, and the labels of ``report()``, so a changed demo needs a new run."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("ordermesh_demo_for_readme", ROOT / "scripts" / "demo.py")
    assert spec is not None and spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    text = (ROOT / "scripts" / "demo_output.txt").read_text()
    task_part, _, report_part = text.partition("\n\n")

    source = (ROOT / "dags" / "ordermesh_order_fulfillment.py").read_text()
    tasks = {line.split()[0].split("[")[0] for line in task_part.splitlines()}
    assert all(f'task_id="{task}"' in source or f"def {task}(" in source for task in tasks), tasks
    assert all(line.split()[1] == "done" for line in task_part.splitlines())

    summary = {
        "orders": {"requested": 1, "created": 1, "already_existed": 0},
        "shipments": {"total": 1, "shipped": 1, "by_status": {"Shipped": 1}},
        "tracking_numbers": 1,
        "reroutes": {"rerouted": 0},
    }
    labels = [
        line[:22].strip() for line in demo.report(summary, {"requestsTotal": 1, "tokensIssued": 1}, seconds=1)
    ]
    quoted = [line[:22].strip() for line in report_part.splitlines()[1:]]
    assert report_part.splitlines()[0] == f"{demo.DAG_ID} succeeded:"
    assert quoted == labels


def test_make_demo_then_the_readme_test_in_a_fresh_clone(tmp_path):
    """The README's two commands in their order (issue 22): ``make demo`` leaves every tracked file as
    it was, so the README test that ``make test`` runs next stays green. The clone reuses this venv
    (``REUSE_VENV=1``) and imports its own package (``PYTHONPATH``), so no install is paid for."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_", "ORDERMESH_"))},
        "PYTHONPATH": str(clone),
    }
    venv = Path(sys.prefix)

    demo = subprocess.run(
        ["make", "demo", "REUSE_VENV=1", f"VENV={venv}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert changed == ""
    assert "succeeded:" in (clone / ".airflow-demo" / "last-run.txt").read_text()

    readme = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_readme.py",
            "-k",
            "not fresh_clone",
        ],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
    )
    assert readme.returncode == 0, readme.stdout[-3000:]
