"""``ordermesh-probe`` as a command: settings from flags and environment, bad input, exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ordermesh.probe.cli import EXIT_AUTH, EXIT_MATCHES, EXIT_USAGE, main
from probe.conftest import Seeded

pytestmark = pytest.mark.sandbox

ENV_NAMES = (
    "ORDERMESH_HOST",
    "ORDERMESH_CLIENT_ID",
    "ORDERMESH_CLIENT_SECRET",
    "ORDERMESH_USERNAME",
    "ORDERMESH_PASSWORD",
)


@pytest.fixture(autouse=True)
def _no_probe_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def requests_sent(sandbox: Any) -> int:
    return int(sandbox.stats()["requestsTotal"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "{url}", "--client-id", "c"], "also give --client-secret"),
        (["--host", "{url}"], "give either --client-id and --client-secret"),
        (["--host", "{url}", "--client-id", "c", "--client-secret", "s", "--username", "u"], "give either"),
        (["--conn-id", "x", "--host", "{url}"], "either --conn-id or --host"),
        (
            ["--host", "http://ordermesh.example", "--client-id", "c", "--client-secret", "s"],
            "refusing plain http",
        ),
        (["--host", "{url}", "--client-id", "c", "--client-secret", "s", "--timeout", "0"], "--timeout"),
    ],
)
def test_bad_settings_fail_before_any_request_and_name_the_fix(
    sandbox: Any, capsys: Any, args: list[str], message: str
) -> None:
    before = requests_sent(sandbox)
    assert main([a.format(url=sandbox.url) for a in args]) == EXIT_USAGE
    assert message in capsys.readouterr().err
    assert requests_sent(sandbox) == before


@pytest.mark.parametrize("bad", ["", "   ", "a\nb", "x" * 201])
def test_a_bad_id_option_is_refused_by_name(sandbox: Any, capsys: Any, bad: str) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--host", sandbox.url, "--client-id", "c", "--client-secret", "s", "--order-id", bad])
    assert stop.value.code == EXIT_USAGE
    assert "--order-id" in capsys.readouterr().err


def test_a_wrong_secret_is_an_authentication_failure(sandbox: Any, capsys: Any) -> None:
    client_id, _ = sandbox.client_id, sandbox.client_secret
    assert main(["--host", sandbox.url, "--client-id", client_id, "--client-secret", "wrong"]) == EXIT_AUTH
    err = capsys.readouterr().err
    assert "authentication failed" in err and "wrong" not in err


def test_settings_come_from_the_environment(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client_id, client_secret = sandbox.client_id, sandbox.client_secret
    monkeypatch.setenv("ORDERMESH_HOST", sandbox.url)
    monkeypatch.setenv("ORDERMESH_CLIENT_ID", client_id)
    monkeypatch.setenv("ORDERMESH_CLIENT_SECRET", client_secret)
    assert main([]) == EXIT_MATCHES


def probe_command(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``python -m airflow_provider_ordermesh.probe`` in a fresh interpreter, without Airflow settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "ORDERMESH_"))}
    return subprocess.run(
        [sys.executable, "-m", "airflow_provider_ordermesh.probe", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_end_to_end(seeded: Seeded, tmp_path: Path) -> None:
    client_id, client_secret = seeded.handle.client_id, seeded.handle.client_secret
    report = tmp_path / "probe-report.json"
    done = probe_command(
        "--host",
        seeded.url,
        "--report",
        str(report),
        env={"ORDERMESH_CLIENT_ID": client_id, "ORDERMESH_CLIENT_SECRET": client_secret},
    )
    assert done.returncode == EXIT_MATCHES, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].split() == [
        "operation",
        "method",
        "and",
        "path",
        "status",
        "parsed",
        "fields",
        "the",
        "models",
        "do",
        "not",
        "know",
        "verdict",
    ]
    assert any(line.startswith("shipments.get ") and line.rstrip().endswith("matches") for line in lines)
    data = json.loads(report.read_text())
    assert data["exitCode"] == EXIT_MATCHES and data["apiHost"] == "127.0.0.1"
    assert set(data["verdicts"]) == {"matches"}
    assert client_secret not in done.stdout + done.stderr + report.read_text()


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "ordermesh-probe"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.startswith("usage: ordermesh-probe")
