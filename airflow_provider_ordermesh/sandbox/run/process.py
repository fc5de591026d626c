"""The sandbox as a child process: the one way the demo and the benchmarks start it.

``python -m airflow_provider_ordermesh.sandbox --port 0 --ready-file F`` runs in its own process
(its own GIL and CPU-time count); it writes its URL to ``F`` once it listens. ``SandboxProcess``
starts it, waits for that file, and always stops it (SIGTERM, then SIGKILL) when the block ends.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Self

START_TIMEOUT = 60.0


class SandboxStartError(RuntimeError):
    """The sandbox process exited or did not listen in time; the message ends with its log's tail."""


class SandboxProcess:
    """``with SandboxProcess(args) as sandbox:`` — ``sandbox.url`` is its base URL while the block runs."""

    def __init__(self, args: Sequence[str] = (), *, log_path: Path | None = None) -> None:
        self.args = tuple(args)
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir = tempfile.TemporaryDirectory(prefix="ordermesh-sandbox-")
        self.log_path = log_path or Path(self._workdir.name) / "sandbox.log"

    def start(self, timeout: float = START_TIMEOUT) -> Self:
        """Start the process and return once it listens on a free loopback port."""
        ready = Path(self._workdir.name) / "ready"
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
        with open(self.log_path, "wb") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + timeout
        while not ready.exists() or not ready.read_text().strip():
            if self._process.poll() is not None:
                code = self._process.returncode
                self.stop()
                raise SandboxStartError(f"the sandbox exited with code {code}: {self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise SandboxStartError(
                    f"the sandbox was not listening after {timeout:.0f} s: {self.log_tail()}"
                )
            time.sleep(0.05)
        self.url = url_from_ready_file(ready.read_text())
        return self

    def stop(self) -> None:
        """Stop the process (SIGTERM, SIGKILL after 10 s); safe to call twice."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @property
    def pid(self) -> int:
        if self._process is None:
            raise SandboxStartError("the sandbox is not running")
        return self._process.pid

    def log_tail(self, lines: int = 20) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def close(self) -> None:
        """Stop the process and remove its scratch folder."""
        self.stop()
        self._workdir.cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def url_from_ready_file(text: str) -> str:
    """The base URL from the ready file: a JSON object with ``url``, or the URL alone."""
    text = text.strip()
    if text.startswith("{"):
        data = json.loads(text)
        return str(data.get("url") or data["baseUrl"]).rstrip("/")
    return text.splitlines()[0].rstrip("/")
