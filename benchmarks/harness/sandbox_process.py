"""A fresh OrderMesh sandbox in its own process, and its control API.

The sandbox runs as ``python -m airflow_provider_ordermesh.sandbox --port 0 --ready-file F``, a
separate process, so that it and the code being measured do not share a GIL (or a CPU-time
count). The control routes under ``/_sandbox/`` reset state, read the request counters and
move the lifecycle clock; they are not part of OrderMesh and are never counted as API requests
by the benchmarks.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

START_TIMEOUT = 60.0


class SandboxError(RuntimeError):
    """The sandbox did not start, or a control call failed."""


class SandboxProcess:
    """Start with ``with SandboxProcess() as sandbox:``; ``sandbox.url`` is its base URL."""

    def __init__(self, *, args: tuple[str, ...] = (), after_reset: Callable[[], None] | None = None):
        self.args = args
        self.after_reset = after_reset
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir = tempfile.TemporaryDirectory(prefix="ordermesh-bench-sandbox-")
        self._control = requests.Session()

    # --- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> SandboxProcess:
        ready = Path(self._workdir.name) / "ready-url"
        log = open(Path(self._workdir.name) / "sandbox.log", "wb")  # noqa: SIM115 (closed with the process)
        command = [
            sys.executable,
            "-m",
            "airflow_provider_ordermesh.sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--ready-file",
            str(ready),
            *self.args,
        ]
        self._process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists() or not ready.read_text().strip():
            if self._process.poll() is not None:
                raise SandboxError(f"the sandbox exited with {self._process.returncode}: {self.log_tail()}")
            if time.monotonic() > deadline:
                self.__exit__()
                raise SandboxError(
                    f"the sandbox was not ready after {START_TIMEOUT:.0f} s: {self.log_tail()}"
                )
            time.sleep(0.05)
        self.url = _url_from_ready_file(ready.read_text())
        return self

    def __exit__(self, *exc: object) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._control.close()
        self._workdir.cleanup()

    @property
    def pid(self) -> int:
        if self._process is None:
            raise SandboxError("the sandbox is not running")
        return self._process.pid

    def log_tail(self, lines: int = 20) -> str:
        path = Path(self._workdir.name) / "sandbox.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    # --- control API -------------------------------------------------------------------------

    def _call(self, method: str, route: str, body: Any = None) -> Any:
        answer = self._control.request(method, f"{self.url}/_sandbox/{route}", json=body, timeout=120)
        if answer.status_code >= 400:
            raise SandboxError(
                f"{method} /_sandbox/{route} answered {answer.status_code}: {answer.text[:300]}"
            )
        return answer.json() if answer.content else None

    def reset(self) -> None:
        """Forget every order, shipment, token and counter (and run ``after_reset``)."""
        self._call("POST", "reset")
        if self.after_reset is not None:
            self.after_reset()

    def reset_stats(self) -> None:
        """Zero the request counters only, keeping the data."""
        self._call("POST", "stats/reset")

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats")

    def configure(self, **settings: Any) -> None:
        self._call("POST", "config", settings)

    def advance(self, seconds: float) -> None:
        """Move the lifecycle clock forward: shipments progress as if that much time had passed."""
        self._call("POST", "clock/advance", {"seconds": seconds})

    def requests_total(self) -> int:
        return int(self.stats()["requestsTotal"])

    def requests_to(self, endpoint: str) -> int:
        """Requests counted for one endpoint name (``orders.create_bulk``), all statuses together."""
        return sum(int(n) for n in self.stats()["requests"].get(endpoint, {}).values())


def _url_from_ready_file(text: str) -> str:
    """The base URL from the ready file, which ``ordermesh-sandbox --ready-file`` writes as one line."""
    return text.strip().splitlines()[0].rstrip("/")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system
