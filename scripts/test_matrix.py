"""``make test``: the whole suite once per supported Airflow minor, each in its own venv.

Usage: ``python scripts/test_matrix.py [MINOR ...]`` (``make test AIRFLOW=3.2`` passes one). The
supported minors are the constraints files ``requirements/airflow-<minor>.txt``. For each one it
installs ``.venv-<minor>`` (``make venv-<minor>``, a no-op when up to date), runs pytest there,
and at the end prints one line per minor with pytest's closing line and the times; it exits
non-zero if any install or any suite failed. Standard library only: it runs before any venv exists.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOSING_LINE = re.compile(r"\b(passed|failed|error|errors|no tests ran)\b.* in [\d.]+s")


def supported_minors() -> list[str]:
    """The minors with a constraints file, oldest first."""
    names = (
        p.name.removeprefix("airflow-").removesuffix(".txt") for p in ROOT.glob("requirements/airflow-*.txt")
    )
    return sorted(names, key=lambda minor: tuple(int(part) for part in minor.split(".")))


def marker_filter(minor: str, newest: str) -> list[str]:
    """The distributed deployment tests (PostgreSQL, Celery, two triggerers: minutes of wall time)
    run on the newest supported minor only, so that the whole matrix stays within CI's hour."""
    return [] if minor == newest else ["-m", "not distributed"]


def run_suite(minor: str, newest: str) -> tuple[int, str]:
    """Run pytest in ``.venv-<minor>``, echoing its output; its exit code and closing line."""
    python = ROOT / f".venv-{minor}" / "bin" / "python"
    closing = "(no closing line)"
    process = subprocess.Popen(
        [str(python), "-m", "pytest", "-q", *marker_filter(minor, newest)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(line)
        if CLOSING_LINE.search(line):
            closing = line.strip().strip("=").strip()
    sys.stdout.flush()
    return process.wait(), closing


def main(argv: list[str]) -> int:
    known = supported_minors()
    wanted = argv or known
    unknown = [minor for minor in wanted if minor not in known]
    if unknown:
        print(
            f"unsupported Airflow minor {', '.join(unknown)}: choose from {' '.join(known)} "
            "(each has requirements/airflow-<minor>.txt)",
            file=sys.stderr,
        )
        return 2
    results: list[tuple[str, str, float, float]] = []
    started = time.monotonic()
    for minor in wanted:
        print(f"\n===== Airflow {minor}: installing .venv-{minor} =====", flush=True)
        t0 = time.monotonic()
        installed = (
            subprocess.run(
                ["make", "--no-print-directory", f"venv-{minor}"], cwd=ROOT, check=False
            ).returncode
            == 0
        )
        t1 = time.monotonic()
        if not installed:
            results.append((minor, "FAILED to install (see above)", t1 - t0, 0.0))
            continue
        print(f"===== Airflow {minor}: running the suite =====", flush=True)
        code, closing = run_suite(minor, known[-1])
        results.append(
            (minor, ("ok      " if code == 0 else "FAILED  ") + closing, t1 - t0, time.monotonic() - t1)
        )
    print("\n===== results per Airflow minor =====")
    for minor, outcome, install, suite in results:
        print(f"Airflow {minor:<5} {outcome}   (install {install:.0f} s, suite {suite:.0f} s)")
    failed = [minor for minor, outcome, *_ in results if not outcome.startswith("ok")]
    total = time.monotonic() - started
    print(
        f"{'FAILED on ' + ', '.join(failed) if failed else 'all passed'}: {len(results)} minor(s) in {total:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
