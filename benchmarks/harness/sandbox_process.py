"""A fresh OrderMesh sandbox in its own process, and its control API.

The process itself is started and stopped by ``airflow_provider_ordermesh.sandbox.run.process``
(the demo uses the same), so that it and the code being measured do not share a GIL (or a
CPU-time count). The control routes under ``/_sandbox/`` reset state, read the request counters
and move the lifecycle clock; they are not part of OrderMesh and are never counted as API
requests by the benchmarks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import requests

from airflow_provider_ordermesh.sandbox.run.process import SandboxProcess as _Process
from airflow_provider_ordermesh.sandbox.run.process import SandboxStartError as SandboxError


class SandboxProcess(_Process):
    """Start with ``with SandboxProcess() as sandbox:``; ``sandbox.url`` is its base URL."""

    def __init__(self, *, args: tuple[str, ...] = (), after_reset: Callable[[], None] | None = None):
        super().__init__(args)
        self.after_reset = after_reset
        self._control = requests.Session()

    def close(self) -> None:
        self._control.close()
        super().close()

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

    def set_faults(self, rules: list[dict[str, Any]]) -> None:
        """Replace the live fault rules (``sandbox.backend.faults``); a ``reset()`` clears them."""
        self._call("POST", "faults", {"faults": rules})

    def add_latency(self, milliseconds: int) -> None:
        """Hold every API request (the token request included) ``milliseconds`` before it is served.

        Round trips to a real API over the internet then dominate, as they do for users. The
        sandbox waits asynchronously, so requests in flight together wait together. Until the
        next ``reset()``; the control routes are never delayed.
        """
        self.set_faults([{"route": "*", "kind": "latency", "latencyMs": milliseconds}])

    @contextlib.contextmanager
    def latency(self, milliseconds: int) -> Iterator[None]:
        """``add_latency`` for the block, cleared after it."""
        self.add_latency(milliseconds)
        try:
            yield
        finally:
            self._call("DELETE", "faults")

    def advance(self, seconds: float) -> None:
        """Move the lifecycle clock forward: shipments progress as if that much time had passed."""
        self._call("POST", "clock/advance", {"seconds": seconds})

    def requests_total(self) -> int:
        return int(self.stats()["requestsTotal"])

    def requests_to(self, endpoint: str) -> int:
        """Requests counted for one endpoint name (``orders.create_bulk``), all statuses together."""
        return sum(int(n) for n in self.stats()["requests"].get(endpoint, {}).values())


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system
