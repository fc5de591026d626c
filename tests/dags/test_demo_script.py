"""``scripts/demo.py`` (``make demo``): the parts that decide what it says and whether it fails.

Two runs end to end with three orders (about half a minute each): one with a foreign
``AIRFLOW_CONN_ORDERMESH_DEFAULT`` pointing at a second local listener, which must receive nothing,
and one where a task fails, which must be reported as failed with one line and no traceback.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"
SECRET = "s3cret-client-secret"


@pytest.fixture(scope="module")
def demo():
    spec = importlib.util.spec_from_file_location("ordermesh_demo_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.mark.parametrize(
    ("value", "host"),
    [
        (
            json.dumps(
                {
                    "conn_type": "ordermesh",
                    "host": "https://api.ordermesh.io",
                    "login": "id",
                    "password": SECRET,
                }
            ),
            "api.ordermesh.io",
        ),
        (
            json.dumps({"conn_type": "ordermesh", "host": "api.dev.ordermesh.io", "password": SECRET}),
            "api.dev.ordermesh.io",
        ),
        (
            json.dumps({"conn_type": "ordermesh", "login": "id", "password": SECRET}),
            "api.ordermesh.io (the default host)",
        ),
        (f"ordermesh://id:{SECRET}@api.stg.ordermesh.io/?timeout=30", "api.stg.ordermesh.io"),
        ('{"host": "x", "password": "' + SECRET + '"', "(a connection value that is not valid JSON)"),
    ],
)
def test_the_host_is_named_and_the_secret_never(demo, value, host):
    assert demo.host_of(value) == host


SUMMARY = {
    "orders": {"requested": 300, "created": 300, "already_existed": 0, "failed": 0},
    "shipments": {"total": 360, "shipped": 360, "by_status": {"Delivered": 350, "Shipped": 10}},
    "tracking_numbers": 360,
    "reroutes": {"rerouted": 21, "already_rerouted": 0},
}


def test_the_summary_agrees_with_a_sandbox_that_moved_on(demo):
    stats = {
        "orders": 300,
        "shipments": 360,
        "shipmentsByStatus": {"Delivered": 360},
        "requestsTotal": 44,
        "tokensIssued": 1,
    }

    assert demo.disagreements(SUMMARY, stats) == []
    text = "\n".join(demo.report(SUMMARY, stats, seconds=61))
    assert "300 of 300" in text and "Delivered 350, Shipped 10" in text and "21 shipments" in text
    assert "API requests made   44" in text


def test_a_summary_the_sandbox_contradicts_is_a_failure(demo):
    stats = {"orders": 301, "shipments": 360, "shipmentsByStatus": {"Delivered": 359, "Rejected": 1}}

    assert demo.disagreements(SUMMARY, stats) == [
        "orders: the DAG reports 300, the sandbox holds 301",
        "shipped shipments: the DAG reports 360, the sandbox holds 359",
    ]


ORDERS = SCRIPT.parents[1] / "dags" / "data" / "orders_2026-11-26.jsonl"


def run_demo(tmp_path: Path, orders: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """``scripts/demo.py --orders-file`` with these orders, in its own demo home; its output."""
    orders_file = tmp_path / "orders.jsonl"
    orders_file.write_text("".join(f"{line}\n" for line in orders))
    environment = {**os.environ, "ORDERMESH_DEMO_HOME": str(tmp_path / "home"), **env}
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--orders-file", str(orders_file)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


class Listener:
    """A loopback socket that counts the connections made to it (and answers none)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.mark.slow
@pytest.mark.sandbox
def test_a_foreign_connection_in_the_shell_is_ignored_and_receives_nothing(tmp_path):
    listener = Listener()
    try:
        foreign = json.dumps(
            {
                "conn_type": "ordermesh",
                "host": listener.url,
                "login": "prod-client",
                "password": SECRET,
                "extra": {"allow_insecure_http": True},
            }
        )
        result = run_demo(
            tmp_path, ORDERS.read_text().splitlines()[:3], AIRFLOW_CONN_ORDERMESH_DEFAULT=foreign
        )
    finally:
        listener.close()

    assert result.returncode == 0, result.stdout + result.stderr
    assert listener.connections == 0
    assert "AIRFLOW_CONN_ORDERMESH_DEFAULT is set in this shell (127.0.0.1): ignored" in result.stdout
    assert "orders created      3 of 3" in result.stdout
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.sandbox
def test_a_failed_task_is_reported_as_failed_in_one_line(tmp_path):
    bad_order = json.dumps({"safeId": "shop-bad-0001", "items": []})  # no address, no items: refused

    result = run_demo(tmp_path, [bad_order])

    assert result.returncode == 1
    assert "    create_orders            FAILED" in result.stdout
    assert "FAILED: ordermesh_order_fulfillment ended failed (create_orders" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_real_ordermesh_is_only_reached_through_the_flag_naming_it(demo, monkeypatch):
    monkeypatch.setenv(demo.CONN_VAR, json.dumps({"host": "https://api.ordermesh.io", "password": SECRET}))
    assert json.loads(demo.real_connection("https://api.ordermesh.io"))["host"] == "https://api.ordermesh.io"
    with pytest.raises(
        demo.DemoFailed, match=r"names api\.ordermesh\.io, the flag names api\.dev\.ordermesh\.io"
    ):
        demo.real_connection("https://api.dev.ordermesh.io")
    with pytest.raises(demo.DemoFailed, match="https URL"):
        demo.real_connection("http://api.ordermesh.io")
    monkeypatch.delenv(demo.CONN_VAR)
    with pytest.raises(demo.DemoFailed, match="needs the credentials"):
        demo.real_connection("https://api.ordermesh.io")


def test_the_child_environment_keeps_no_airflow_setting_of_the_shell(demo, monkeypatch):
    monkeypatch.setenv("AIRFLOW__SECRETS__BACKEND", "some.vault.Backend")
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_OTHER", "ordermesh://x:y@api.ordermesh.io")
    env = demo.airflow_env("sandbox-connection")
    assert env[demo.CONN_VAR] == "sandbox-connection"
    assert "AIRFLOW__SECRETS__BACKEND" not in env and "AIRFLOW_CONN_ORDERMESH_OTHER" not in env


def test_a_second_demo_in_the_same_checkout_is_refused(demo, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(demo, "DEMO_HOME", tmp_path)

    with demo.only_demo_in_this_checkout():
        code = demo.main([])

    assert code == 1
    assert "another demo is running in this checkout" in capsys.readouterr().err
