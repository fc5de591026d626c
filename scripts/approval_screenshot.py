"""Regenerate docs/images/approval-required-action.png: a refund request on Airflow's Required Actions page.

    .venv-3.3/bin/python scripts/approval_screenshot.py [--out PATH] [--chromium PATH]

It starts a sandbox and a real Airflow deployment (the tests' harness, in a temporary home, on
free loopback ports), runs the returns example DAG with its approval threshold at zero, waits
until the first refund task waits for a person, and has a headless Chromium (Debian's
``chromium``, fresh profile) load that task's Required Actions page from the api-server. Every
process it starts is stopped by process group at the end, also after a failure.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "deployment"))
sys.path.insert(0, str(ROOT / "tests"))

from airflow_deployment import Deployment  # noqa: E402
from deployment.test_approvals import DAG_ID, TASK_ID, approval_conf, waiting_requests  # noqa: E402

from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle  # noqa: E402
from airflow_provider_ordermesh.sandbox.run.server import SandboxServer  # noqa: E402

OUT = ROOT / "docs" / "images" / "approval-required-action.png"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1440,1500",
    "--virtual-time-budget=20000",
)


def screenshot(chromium: str, url: str, out: Path) -> None:
    """Load ``url`` in a headless Chromium with a fresh profile and save the page as ``out``."""
    with tempfile.TemporaryDirectory(prefix="approval-chromium-") as profile:
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}", url]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            output, _ = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                import os
                import signal

                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
    if not out.exists():
        raise SystemExit(f"chromium wrote no screenshot:\n{output.decode(errors='replace')[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.unlink(missing_ok=True)
    with SandboxServer() as server, tempfile.TemporaryDirectory(prefix="approval-screenshot-") as home:
        sandbox = SandboxHandle(server)
        sandbox.reset(speed=0)
        airflow = Deployment(
            home=Path(home), extra_env={"AIRFLOW_CONN_ORDERMESH_DEFAULT": sandbox.connection_json()}
        )
        try:
            airflow.start_all()
            run_id = airflow.trigger(DAG_ID, approval_conf(timeout_seconds=3600))
            waiting_requests(airflow, run_id)
            url = f"{airflow.base_url}/dags/{DAG_ID}/runs/{run_id}/tasks/{TASK_ID}/mapped/0/required_actions"
            screenshot(args.chromium, url, args.out)
            print(f"{args.out}: the Required Actions page of {TASK_ID}[0] in run {run_id}")
        finally:
            airflow.stop()
            sandbox.close()


if __name__ == "__main__":
    main()
