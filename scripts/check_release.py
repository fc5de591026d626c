"""``make release-check``: what a release would publish, checked the way a user would install it.

1. ``python -m build`` makes the sdist and the wheel into ``dist/``; ``twine check --strict`` reads them.
2. A fresh venv gets the newest supported Airflow alone (its constraints file), then the wheel beside it:
   the install must not error, and Airflow's version must not change (no cap that downgrades a user).
3. ``airflow providers list`` and ``airflow providers hooks`` in that venv show the provider and its
   ``ordermesh`` connection type.
Standard library only; run with the development venv's Python (``make release-check`` does).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from test_matrix import supported_minors  # noqa: E402


def run(*command: str | Path, env: dict[str, str] | None = None) -> str:
    """Run a command, echo it, and return its output; exit with its output when it fails."""
    print("+", " ".join(str(part) for part in command), flush=True)
    result = subprocess.run(
        [str(part) for part in command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def airflow_pin(constraints: Path) -> str:
    """The ``apache-airflow==X`` line of a constraints file."""
    match = re.search(r"^apache-airflow==(\S+)$", constraints.read_text(), re.M)
    if not match:
        sys.exit(f"{constraints} pins no apache-airflow version")
    return match.group(1)


def main() -> int:
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    run(sys.executable, "-m", "build", "--outdir", dist, ROOT)
    artefacts = sorted(dist.iterdir())
    run(sys.executable, "-m", "twine", "check", "--strict", *artefacts)
    (wheel,) = dist.glob("*.whl")

    minor = supported_minors()[-1]
    constraints = ROOT / "requirements" / f"airflow-{minor}.txt"
    version = airflow_pin(constraints)
    pre = ["--pre"] if re.search(r"[a-z]", version) else []
    with tempfile.TemporaryDirectory(prefix="ordermesh-release-") as scratch:
        venv = Path(scratch) / "venv"
        run(sys.executable, "-m", "venv", venv)
        pip: list[str | Path] = [
            venv / "bin" / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            *pre,
            "-c",
            constraints,
        ]
        run(*pip, f"apache-airflow=={version}")
        run(*pip, wheel)
        installed = run(venv / "bin" / "python", "-c", "import airflow; print(airflow.__version__)").strip()
        if installed != version:
            sys.exit(f"installing the wheel changed Airflow from {version} to {installed}")
        env = {**os.environ, "AIRFLOW_HOME": str(Path(scratch) / "airflow-home")}
        providers = run(venv / "bin" / "airflow", "providers", "list", "--output", "plain", env=env)
        hooks = run(venv / "bin" / "airflow", "providers", "hooks", "--output", "plain", env=env)
    if "airflow-provider-ordermesh" not in providers:
        sys.exit(f"`airflow providers list` does not show the provider:\n{providers}")
    if not re.search(r"^ordermesh\b", hooks, re.M):
        sys.exit(f"`airflow providers hooks` does not show the ordermesh connection type:\n{hooks}")
    print(
        f"release check passed: {', '.join(a.name for a in artefacts)}; installs beside Airflow {version} "
        "without changing it; Airflow lists the provider and its connection type"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
