"""CI step: the built wheel installs next to the newest supported Airflow without touching Airflow.

Usage: ``python scripts/check_wheel_install.py`` (``make check-wheel``; ``.ci/run`` runs it after
the suites). It builds the wheel (``pip wheel --no-deps``), then asks pip, without installing:

1. in ``.venv-<newest minor>`` (Airflow already installed, as a user's deployment has it): what
   would ``pip install <wheel>`` change? Only the provider may change; never Airflow.
2. in a fresh venv: ``pip install apache-airflow==<pinned> <wheel>`` resolves (no conflict) to that
   Airflow, as a user adding both at once would get.

A provider that capped Airflow's minor below the newest one fails both: pip would refuse, or
downgrade Airflow. Standard library only; exits non-zero naming what went wrong.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from test_matrix import supported_minors  # noqa: E402

AIRFLOW_DISTRIBUTIONS = ("apache-airflow", "apache-airflow-core", "apache-airflow-task-sdk")


def pinned(minor: str) -> dict[str, str]:
    """The Airflow distributions' versions pinned by ``requirements/airflow-<minor>.txt``."""
    pins = {}
    for line in (ROOT / "requirements" / f"airflow-{minor}.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if name in AIRFLOW_DISTRIBUTIONS:
            pins[name] = version.strip()
    return pins


def dry_run(python: Path, *requirements: str, workdir: Path) -> dict[str, str]:
    """``{name: version}`` of what ``pip install <requirements>`` would install in ``python``'s env."""
    report = workdir / f"report-{len(list(workdir.glob('report-*')))}.json"
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--dry-run",
        "--report",
        str(report),
        *requirements,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(command[3:])}\n{result.stdout}{result.stderr}")
    installs = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"].lower(): item["metadata"]["version"] for item in installs}


def main() -> int:
    minor = supported_minors()[-1]
    venv_python = ROOT / f".venv-{minor}" / "bin" / "python"
    if not venv_python.exists():
        raise SystemExit(f"FAILED: no .venv-{minor}; run `make venv-{minor}` first")
    pins = pinned(minor)
    with tempfile.TemporaryDirectory(prefix="ordermesh-wheel-") as tmp:
        work = Path(tmp)
        subprocess.run(
            [str(venv_python), "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work), str(ROOT)],
            check=True,
        )
        (wheel,) = work.glob("airflow_provider_ordermesh-*.whl")

        changed = dry_run(venv_python, str(wheel), workdir=work)
        touched = sorted(name for name in changed if name in AIRFLOW_DISTRIBUTIONS)
        if touched:
            raise SystemExit(f"FAILED: installing {wheel.name} next to Airflow {pins} would change {touched}")
        print(
            f"ok: {wheel.name} next to the installed Airflow {pins['apache-airflow']}: installs {sorted(changed)}"
        )

        subprocess.run([sys.executable, "-m", "venv", str(work / "fresh")], check=True)
        fresh = work / "fresh" / "bin" / "python"
        resolved = dry_run(fresh, f"apache-airflow=={pins['apache-airflow']}", str(wheel), workdir=work)
        if resolved.get("apache-airflow") != pins["apache-airflow"]:
            raise SystemExit(f"FAILED: a fresh venv resolved apache-airflow {resolved.get('apache-airflow')}")
        print(
            f"ok: a fresh venv resolves apache-airflow=={pins['apache-airflow']} with {wheel.name} "
            f"({len(resolved)} distributions, no conflict)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
