"""The command line as a script would run it: started in the background, stopped by a signal."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from airflow_provider_ordermesh.sandbox.run.cli import main

pytestmark = pytest.mark.sandbox

CLIENT = {"clientId": "sandbox-client", "clientSecret": "sandbox-secret"}


class Running:
    def __init__(self, process: subprocess.Popen[str], url: str, ready_file: Path) -> None:
        self.process, self.url, self.ready_file = process, url, ready_file

    def stop(self, signum: int) -> tuple[int, str]:
        """Send ``signum``; the exit code and everything the sandbox printed."""
        self.process.send_signal(signum)
        output, _ = self.process.communicate(timeout=15)
        return self.process.returncode, output


def start(tmp_path: Path, *args: str) -> Running:
    ready_file = tmp_path / "sandbox.url"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "airflow_provider_ordermesh.sandbox",
            "--port",
            "0",
            "--ready-file",
            str(ready_file),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not ready_file.exists():
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the sandbox did not write its ready file"
        time.sleep(0.05)
    return Running(process, ready_file.read_text().strip(), ready_file)


@pytest.fixture
def sandbox_process(tmp_path: Path) -> Iterator[Running]:
    running = start(
        tmp_path, "--seed", "3", "--reject-rate", "0", "--fault", "orders.list:status=503:count=1"
    )
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


def test_it_serves_with_the_flags_then_stops_cleanly_on_sigterm(sandbox_process: Running) -> None:
    token = requests.post(f"{sandbox_process.url}/user/v1/clients/token", json=CLIENT, timeout=10).json()
    headers = {"Authorization": f"Bearer {token['accessToken']}"}
    codes = [
        requests.get(f"{sandbox_process.url}/v1/orders", headers=headers, timeout=10).status_code
        for _ in range(2)
    ]
    config = requests.get(f"{sandbox_process.url}/_sandbox/config", timeout=10).json()

    returncode, output = sandbox_process.stop(signal.SIGTERM)

    assert codes == [503, 200]  # the --fault rule
    assert (config["seed"], config["rejectRate"], config["speed"]) == (3, 0, 1)
    assert returncode == 0
    assert not sandbox_process.ready_file.exists()
    [export] = [
        line for line in output.splitlines() if line.startswith("export AIRFLOW_CONN_ORDERMESH_DEFAULT=")
    ]
    connection = json.loads(export.split("=", 1)[1].strip("'"))
    assert connection == {
        "conn_type": "ordermesh",
        "host": sandbox_process.url,
        "login": "sandbox-client",
        "password": "sandbox-secret",
        "extra": {"portal_url": f"{sandbox_process.url}/portal"},
    }


@pytest.mark.parametrize(
    "argv", [["--fault", "orders.*:boom"], ["--reject-rate", "2"], ["--latency-ms", "-5"]]
)
def test_bad_flags_exit_with_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)

    assert exit_info.value.code == 2
    assert "usage: ordermesh-sandbox" in capsys.readouterr().err
