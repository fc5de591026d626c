"""``scripts/demo.py`` (``make demo``): the parts that decide what it says and whether it fails.

The demo as a whole takes about a minute, so the suite does not run it; it checks the sandbox
process it starts, how it reads Airflow's log, how it judges the result, and that with a real
connection it names the host first and never the secret.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"
SECRET = "s3cret-client-secret"


@pytest.fixture(scope="module")
def demo():
    spec = importlib.util.spec_from_file_location("ordermesh_demo_script", SCRIPT)
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


def test_with_a_real_connection_it_names_the_host_before_running_anything(
    demo, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv(demo.CONN_VAR, f"ordermesh://client:{SECRET}@api.ordermesh.io")
    monkeypatch.delenv(demo.POLL_VAR, raising=False)
    said_before_airflow, envs = [], []

    def fake_airflow(*args, env, **kwargs):
        said_before_airflow.append(capsys.readouterr().out)
        envs.append(env)
        return 1  # as if the command failed: the demo must stop there

    monkeypatch.setattr(demo, "airflow", fake_airflow)
    monkeypatch.setattr(demo, "DEMO_HOME", tmp_path)
    monkeypatch.setattr(
        demo.Sandbox, "__init__", lambda *a, **k: pytest.fail("no sandbox with a real connection")
    )

    code = demo.main(["--yes"])

    out = "".join(said_before_airflow) + capsys.readouterr().out + capsys.readouterr().err
    assert code == 1
    assert "runs against the OrderMesh at api.ordermesh.io" in said_before_airflow[0]
    assert SECRET not in out
    assert demo.POLL_VAR not in envs[0], "a real OrderMesh is polled at the DAGs' own pace, not the sandbox's"


def test_the_task_log_becomes_one_line_per_task(demo):
    out = io.StringIO()
    progress = demo.TaskProgress(out=out)
    for line in [
        "2026-11-26T18:25:24.040830Z [info ] [DAG TEST] starting task_id=create_orders map_index=-1 [x]",
        "2026-11-26T18:25:37.450226Z [info ] [DAG TEST] end task task_id=create_orders map_index=-1 [x]",
        "2026-11-26T18:25:37.513251Z [info ] [DAG TEST] starting task_id=wait_for_facilities map_index=-1 [x]",
        "2026-11-26T18:25:37.806321Z [info ] Pausing task as DEFERRED.      [task] dag_id=d",
        "2026-11-26T18:25:40.645696Z [info ] [DAG TEST] end task task_id=wait_for_facilities map_index=-1 [x]",
        "2026-11-26T18:25:41.000000Z [info ] [DAG TEST] starting task_id=find_rejected map_index=2 [x]",
        "2026-11-26T18:25:41.200000Z [error] Task failed with exception [task]",
        "2026-11-26T18:25:41.500000Z [info ] [DAG TEST] end task task_id=find_rejected map_index=2 [x]",
    ]:
        progress(line)

    assert [line.split() for line in out.getvalue().splitlines()] == [
        ["create_orders", "done", "13.4", "s", "(includes", "Airflow's", "one-time", "start-up)"],
        [
            "wait_for_facilities",
            "deferred:",
            "waiting",
            "in",
            "the",
            "triggerer,",
            "no",
            "worker",
            "slot",
            "held",
        ],
        ["wait_for_facilities", "done", "3.1", "s"],
        ["find_rejected[2]", "FAILED", "0.5", "s"],
    ]
    assert progress.failed == ["find_rejected[2]"]


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


def test_the_sandbox_process_starts_answers_and_stops(demo, tmp_path):
    with demo.sandbox_process(log_path=tmp_path / "sandbox.log") as sandbox:
        url = sandbox.wait_ready()
        assert url.startswith("http://127.0.0.1:")
        assert json.loads(sandbox.connection)["host"] == url
        assert sandbox.stats()["orders"] == 0
    assert sandbox.process.returncode == 0  # stopped by SIGTERM, cleanly


def test_a_second_demo_in_the_same_checkout_is_refused(demo, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(demo, "DEMO_HOME", tmp_path)
    monkeypatch.setattr(
        demo.Sandbox, "__init__", lambda *a, **k: pytest.fail("the second demo started a sandbox")
    )

    with demo.only_demo_in_this_checkout():
        code = demo.main([])

    assert code == 1
    assert "another demo is running in this checkout" in capsys.readouterr().err
