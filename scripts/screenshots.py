"""Regenerate the docs' pictures from a real api-server and the sandbox, in a real browser.

    .venv-3.3/bin/python scripts/screenshots.py [--only NAME ...] [--chromium PATH]

Writes into ``docs/images/``:

- ``connection-form.png`` and ``connection-form-extra-fields.png``: Admin > Connections > Add
  Connection with the OrderMesh type chosen, its standard fields and its own (extra) fields;
- ``exceptions-run-portal-links.png``: a run of ``ordermesh_shipment_exceptions`` that held an order,
  its grid and the hold task's OrderMesh portal links;
- ``approval-required-action.png``: a refund waiting for a person on the Required Actions page.

It starts a sandbox and a real Airflow deployment (the tests' harness, in a temporary home, on
free loopback ports), makes each page show what it should, and has Chromium (Debian's
``chromium``, driven by Playwright, which the ``screenshots`` extra installs) capture it. Every
process it starts is stopped at the end, also after a failure. CI does not run it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "deployment"))
sys.path.insert(0, str(ROOT / "tests"))

from airflow_deployment import Deployment  # noqa: E402
from deployment.test_approvals import DAG_ID as RETURNS  # noqa: E402
from deployment.test_approvals import TASK_ID as REFUND  # noqa: E402
from deployment.test_approvals import approval_conf, waiting_requests  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from support.orders import shipment_ids_of  # noqa: E402
from test_real_deployment import _poster_orders  # noqa: E402

from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient  # noqa: E402
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle  # noqa: E402
from airflow_provider_ordermesh.sandbox.run.server import SandboxServer  # noqa: E402

IMAGES = ROOT / "docs" / "images"
EXCEPTIONS = "ordermesh_shipment_exceptions"
VIEWPORT = {"width": 1440, "height": 1000}


class Shots:
    """One deployment and one browser page; each method leaves one picture in ``docs/images``."""

    def __init__(self, airflow: Deployment, sandbox: SandboxHandle, page: Any):
        self.airflow, self.sandbox, self.page = airflow, sandbox, page

    def open(self, path: str) -> None:
        self.page.goto(f"{self.airflow.base_url}{path}")
        self.page.wait_for_load_state("networkidle")

    def connection_dialog(self) -> Any:
        """The Add Connection dialog with the OrderMesh type chosen: its standard fields open."""
        self.open("/connections")
        self.page.get_by_role("button", name="Add Connection").click()
        dialog = self.page.get_by_role("dialog")
        dialog.get_by_text("Select Connection Type").click(force=True)  # the select box covers its label
        self.page.keyboard.type("OrderMesh")
        self.page.keyboard.press("Enter")
        dialog.get_by_text("Client ID", exact=False).first.wait_for()
        return dialog

    def capture(self, dialog: Any, out: Path) -> None:
        self.page.set_viewport_size({"width": 1440, "height": 2400})  # the whole dialog, unscrolled
        self.page.wait_for_load_state("networkidle")
        dialog.screenshot(path=str(out))
        self.page.set_viewport_size(VIEWPORT)

    def connection_form(self, out: Path) -> None:
        self.capture(self.connection_dialog(), out)

    def connection_form_extra_fields(self, out: Path) -> None:
        dialog = self.connection_dialog()
        dialog.get_by_text("Extra Fields", exact=True).click()  # the provider's own fields
        self.capture(dialog, out)

    def exceptions_run(self, out: Path) -> None:
        self.sandbox.reset(speed=0)
        credentials = ClientCredentials(self.sandbox.client_id, SecretStr(self.sandbox.client_secret))
        with OrderMeshClient(self.sandbox.url, credentials) as api:
            orders = [api.orders.create(payload).id for payload in _poster_orders(2)]
            self.sandbox.reject_shipments(shipment_ids_of(api, orders))
        run_id = self.airflow.trigger(EXCEPTIONS)
        assert self.airflow.wait_for_run(EXCEPTIONS, run_id) == "success", self.airflow.explain(
            EXCEPTIONS, run_id
        )
        for run in self.airflow.runs(EXCEPTIONS):  # unpausing may have started a scheduled sweep too
            self.airflow.wait_for_run(EXCEPTIONS, run["dag_run_id"])
        sweep = next(  # the sweep that held the orders (a later one finds them held already)
            run["dag_run_id"]
            for run in self.airflow.runs(EXCEPTIONS)
            if self.airflow.xcom(EXCEPTIONS, run["dag_run_id"], "report")["held"]
        )
        self.open(f"/dags/{EXCEPTIONS}/runs/{sweep}/tasks/hold_order/mapped/0")
        self.page.get_by_text("OrderMesh order").first.wait_for()
        self.page.screenshot(path=str(out))

    def approval(self, out: Path) -> None:
        self.sandbox.reset(speed=0)
        run_id = self.airflow.trigger(RETURNS, approval_conf(timeout_seconds=3600))
        waiting_requests(self.airflow, run_id)
        self.open(f"/dags/{RETURNS}/runs/{run_id}/tasks/{REFUND}/mapped/0/required_actions")
        self.page.screenshot(path=str(out))


PICTURES: dict[str, Callable[[Shots, Path], None]] = {
    "connection-form.png": Shots.connection_form,
    "connection-form-extra-fields.png": Shots.connection_form_extra_fields,
    "exceptions-run-portal-links.png": Shots.exceptions_run,
    "approval-required-action.png": Shots.approval,
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(PICTURES), default=sorted(PICTURES))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    IMAGES.mkdir(parents=True, exist_ok=True)
    with SandboxServer() as server, tempfile.TemporaryDirectory(prefix="ordermesh-screenshots-") as home:
        sandbox = SandboxHandle(server)
        sandbox.reset(speed=0)
        airflow = Deployment(
            home=Path(home), extra_env={"AIRFLOW_CONN_ORDERMESH_DEFAULT": sandbox.connection_json()}
        )
        try:
            airflow.start_all()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
                try:
                    shots = Shots(airflow, sandbox, browser.new_page(viewport=VIEWPORT))
                    for name in args.only:
                        PICTURES[name](shots, IMAGES / name)
                        print(f"docs/images/{name}")
                finally:
                    browser.close()
        finally:
            airflow.stop()
            sandbox.close()


if __name__ == "__main__":
    main()
