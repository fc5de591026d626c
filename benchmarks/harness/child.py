"""Run Python code in a fresh child process and read back the one JSON line it prints last."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
"""Children start here, so that ``python -m benchmarks.cases.<child>`` finds this package from anywhere."""


class ChildError(RuntimeError):
    """The child process failed or printed no JSON result."""


def run_python(args: Sequence[str], *, timeout: float = 600.0) -> dict[str, Any]:
    """Run ``python <args>`` with this process's environment; its last stdout line as JSON."""
    completed = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPOSITORY,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise ChildError(
            f"child {' '.join(args)[:120]!r} exited with {completed.returncode}: "
            f"{completed.stderr.strip()[-1500:]}"
        )
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if not lines:
        raise ChildError(f"child {' '.join(args)[:120]!r} printed nothing; stderr: {completed.stderr[-800:]}")
    # The result is the last line that is JSON: Airflow 3.4 may print a line of its own while the
    # child's interpreter shuts down (a MissingGreenlet from disposing its async engine), after it.
    for line in reversed(lines):
        try:
            return dict(json.loads(line))
        except (json.JSONDecodeError, TypeError, ValueError):
            continue
    raise ChildError(f"child printed no JSON result: {lines[-1][:300]!r}")


def run_module(module: str, *args: str, timeout: float = 600.0) -> dict[str, Any]:
    """``python -m <module> <args>`` in a child process; its JSON result."""
    return run_python(["-m", module, *args], timeout=timeout)
